import Foundation
import WhyDeniedJSON

/// The analysis of one denied CloudTrail event: the verdict, the deciding policy and statement,
/// the fix, and the same as JSON in the shape Access Undenied users read (`EventId`,
/// `AssessmentResult`, `ResultDetails.PoliciesToAdd` / `ExplicitDenyPolicies`) with whydenied's
/// richer fields beside it.
///
/// ```swift
/// let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: sets).analyse(event)
/// analysis.assessment        // "Explicit deny in a resource-based policy"
/// analysis.json.serialized(pretty: true)
/// ```
public struct EventAnalysis: Sendable {
    public var eventID: String?
    public var assessment: String
    /// Nil when the event could not be evaluated (see `errorMessage`).
    public var decision: Decision?
    public var denied: DeniedRequest?
    public var analysed: [AnalysedRequest]
    /// The request whose verdict decides the event (the worst one, preferring AWS's named action).
    public var deciding: AnalysedRequest?
    public var fix: LeastPrivilegeFix?
    public var errorMessage: String?
    public var notes: [String]
    /// Who owns each target of the fix, and the fix as code.
    public var placements: [FixPlacement] = []
    /// Set for a request reported by a pasted message (`analyze --message`), which has no event:
    /// the message's place, e.g. "standard input, message 2, line 3".
    public var reportedFrom: String?

    public init(eventID: String?, assessment: String, decision: Decision? = nil, denied: DeniedRequest? = nil,
                analysed: [AnalysedRequest] = [], deciding: AnalysedRequest? = nil, fix: LeastPrivilegeFix? = nil,
                errorMessage: String? = nil, notes: [String] = []) {
        self.eventID = eventID
        self.assessment = assessment
        self.decision = decision
        self.denied = denied
        self.analysed = analysed
        self.deciding = deciding
        self.fix = fix
        self.errorMessage = errorMessage
        self.notes = notes
    }

    /// The Access Undenied-compatible JSON object plus whydenied's fields.
    public var json: JSONValue {
        var object = JSONObject()
        object["EventId"] = eventID.map(JSONValue.string) ?? .null
        if let reportedFrom {
            // No event: the request is the one the message reports, each fact from where it was read.
            var reported = JSONObject([("From", .string("the pasted message at \(reportedFrom)"))])
            if case .reported(let request)? = denied?.evidence {
                reported["Facts"] = .object(JSONObject(request.sources.keys.sorted().compactMap { fact in
                    request.sources[fact].map { (fact.rawValue, .string($0.description)) }
                }))
            }
            // A message no request could be built from is named, not called a request.
            object[denied == nil ? "PastedMessage" : "ReportedRequest"] = .object(reported)
        }
        object["AssessmentResult"] = .string(assessment)
        if let errorMessage { object["ErrorMessage"] = .string(errorMessage) }
        var details = JSONObject()
        if let fix, !fix.policiesToAdd.isEmpty {
            details["PoliciesToAdd"] = .array(fix.policiesToAdd.map { add in
                .object(JSONObject([("AttachmentTargetArn", .string(add.attachmentTargetArn)), ("Policy", add.policy)]))
            })
        }
        let denies = explicitDenyPolicies
        if !denies.isEmpty { details["ExplicitDenyPolicies"] = .array(denies) }
        if !details.isEmpty { object["ResultDetails"] = .object(details) }

        // whydenied's own fields.
        if let decision { object["Decision"] = .string(decision.rawValue) }
        if let denied {
            object["ApiCall"] = .object(JSONObject([
                ("eventSource", .string(denied.eventSource)), ("eventName", .string(denied.eventName)),
                ("principal", .string(denied.principal.arn)),
                ("actions", .array(denied.requests.map { .string($0.action) })),
            ]))
        }
        if let deciding {
            object["Explanation"] = .string(deciding.result.deciding.summary)
            if let policy = deciding.result.deciding.policy { object["DecidingPolicy"] = Self.encode(policy) }
            if let statement = deciding.result.deciding.statement { object["DecidingStatement"] = Self.encode(statement) }
            if !deciding.result.missingContextKeys.isEmpty {
                object["MissingContextKeys"] = .array(deciding.result.missingContextKeys.map(JSONValue.string))
            }
        }
        if !analysed.isEmpty {
            object["Evaluations"] = .array(analysed.map { item in
                var entry = JSONObject([("action", .string(item.request.action)),
                                        ("resource", item.request.resource.map { .string($0.arn) } ?? .string("*")),
                                        ("decision", .string(item.result.decision.rawValue)),
                                        ("summary", .string(item.result.deciding.summary))])
                entry["gates"] = Self.encode(item.result.gates)
                if !item.result.notes.isEmpty { entry["notes"] = .array(item.result.notes.map(JSONValue.string)) }
                return .object(entry)
            })
        }
        if let fix { object["Fix"] = Self.encode(fix) }
        if !placements.isEmpty { object["FixPlacements"] = .array(placements.map(\.json)) }
        if !notes.isEmpty { object["Notes"] = .array(notes.map(JSONValue.string)) }
        return .object(object)
    }

    /// Access Undenied's `ExplicitDenyPolicies` entries, from the matched Deny statements.
    private var explicitDenyPolicies: [JSONValue] {
        guard let fix else { return [] }
        return fix.denyEdits.map { edit in
            let attachment: String
            switch edit.policy.type {
            case .identityBased, .permissionsBoundary, .sessionPolicy:
                attachment = edit.policy.attachment?.holderName ?? (denied?.principal.arn ?? "")
            case .serviceControlPolicy, .resourceControlPolicy:
                attachment = edit.policy.organizationLevel ?? ""
            case .resourceBased, .kmsKeyPolicy, .roleTrustPolicy:
                let resource = deciding?.request.resource?.arn ?? ""
                attachment = edit.policy.type == .resourceBased ? (FixCommands.s3Bucket(resource).map { "arn:aws:s3:::\($0)" } ?? resource) : resource
            case .vpcEndpointPolicy:
                attachment = denied?.context["aws:SourceVpce"]?.values.first ?? ""
            }
            return .object(JSONObject([
                ("PolicyArn", .string(edit.policy.arn ?? "\(attachment)/\(Self.madeUpPolicyName(edit.policy.type, attachment))")),
                ("PolicyName", .string(edit.policy.name)),
                ("AttachmentTargetArn", .string(attachment)),
                ("PolicyStatement", edit.statementJSON),
            ]))
        }
    }

    /// Access Undenied's made-up "ARN" suffixes for policies that have no ARN of their own.
    static func madeUpPolicyName(_ type: PolicyType, _ attachment: String) -> String {
        switch type {
        case .resourceBased: return attachment.hasPrefix("arn:aws:s3:") ? "S3BucketPolicy" : "ResourcePolicy"
        case .kmsKeyPolicy: return "KMSKeyPolicy"
        case .roleTrustPolicy: return "RoleTrustPolicy"
        case .vpcEndpointPolicy: return "VpcEndpointPolicy"
        default: return "InlinePolicy"
        }
    }

    static func encode<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }
}
