import WhyDeniedJSON

/// The analysis results the report knows how to present, as they are written into the journal
/// (`JournalEvent.analysisRecorded`). Each has a `kind` so a reader can tell them apart; any
/// other result is kept and shown as raw JSON. The shapes are part of the report schema
/// (docs/report-schema.md).
///
/// ```swift
/// try journal.append(.analysisRecorded(step: "parse", name: "summarize_denials",
///                                      result: DeniedRequestsRecord(rows: rows).jsonValue))
/// ```
public enum AnalysisRecordKind: String, Sendable, CaseIterable {
    case deniedRequests = "denied_requests"
    case evaluation
    case recommendation
}

/// One denied request, as a row of the events table.
public struct DeniedRequestRow: Sendable, Hashable {
    public var time: String
    public var principal: String
    public var action: String
    public var resource: String?
    public var errorCode: String
    public var errorMessage: String?
    /// e.g. `explicit deny in an identity-based policy`, as the error message says it.
    public var denyType: String?
    /// Where the row came from: `cloudtrail lookup-events`, `pasted error`, a file name.
    public var source: String?

    public init(time: String, principal: String, action: String, resource: String? = nil, errorCode: String,
                errorMessage: String? = nil, denyType: String? = nil, source: String? = nil) {
        self.time = time
        self.principal = principal
        self.action = action
        self.resource = resource
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.denyType = denyType
        self.source = source
    }
}

/// The table of denied requests the parse step produced.
public struct DeniedRequestsRecord: Sendable, Hashable {
    public var rows: [DeniedRequestRow]
    /// Why no denied event was found (empty when one was), each with the command not run.
    public var whyNoEvent: [NoEventFindingRecord]
    public init(rows: [DeniedRequestRow], whyNoEvent: [NoEventFindingRecord] = []) {
        self.rows = rows
        self.whyNoEvent = whyNoEvent
    }
}

/// A policy the evaluator read.
public struct ExaminedPolicy: Sendable, Hashable {
    public var name: String
    public var arn: String?
    /// `identity (managed)`, `identity (inline)`, `permissions boundary`, `resource (s3 bucket)`, `scp`, …
    public var type: String
    /// How it was obtained: the command or file.
    public var source: String?

    public init(name: String, arn: String? = nil, type: String, source: String? = nil) {
        self.name = name
        self.arn = arn
        self.type = type
        self.source = source
    }
}

/// One line of the decision trace: a statement and what it did to the request.
public struct TraceStep: Sendable, Hashable {
    public var policy: String
    /// Sid, or `#<index>` when the statement has none.
    public var statement: String
    public var effect: String
    /// `matched`, `not matched`, `undecided`.
    public var outcome: String
    public var reason: String

    public init(policy: String, statement: String, effect: String, outcome: String, reason: String) {
        self.policy = policy
        self.statement = statement
        self.effect = effect
        self.outcome = outcome
        self.reason = reason
    }
}

/// A condition key the evaluator could not decide from the evidence: an open question.
public struct UndecidedKey: Sendable, Hashable {
    public var key: String
    public var why: String
    public init(key: String, why: String) {
        self.key = key
        self.why = why
    }
}

/// What the evaluator concluded: the verdict, the deciding statement, the policies it read, the
/// trace and the open questions.
public struct EvaluationRecord: Sendable, Hashable {
    /// `explicit_deny`, `implicit_deny`, `allowed` or `undecided`.
    public var verdict: String
    /// `policy` + `statement` that decided, when one did.
    public var deciding: TraceStep?
    public var policies: [ExaminedPolicy]
    public var trace: [TraceStep]
    public var undecidedKeys: [UndecidedKey]

    public init(verdict: String, deciding: TraceStep? = nil, policies: [ExaminedPolicy] = [], trace: [TraceStep] = [],
                undecidedKeys: [UndecidedKey] = []) {
        self.verdict = verdict
        self.deciding = deciding
        self.policies = policies
        self.trace = trace
        self.undecidedKeys = undecidedKeys
    }
}

/// A reason for one element of the recommended policy (`Action`, `Resource`, `Condition`).
public struct RecommendationReason: Sendable, Hashable {
    public var element: String
    public var reason: String
    public init(element: String, reason: String) {
        self.element = element
        self.reason = reason
    }
}

/// The least-privilege fix: a one-line summary, where it goes, the document and why each element.
public struct RecommendationRecord: Sendable, Hashable {
    public var summary: String
    /// The policy the fix changes or creates (ARN or `inline policy X of role Y`).
    public var target: String?
    public var document: JSONValue
    public var reasons: [RecommendationReason]
    /// Who owns the target and the change as code (a policy to add only).
    public var placement: FixPlacementRecord?

    public init(summary: String, target: String? = nil, document: JSONValue, reasons: [RecommendationReason] = [],
                placement: FixPlacementRecord? = nil) {
        self.summary = summary
        self.target = target
        self.document = document
        self.reasons = reasons
        self.placement = placement
    }
}

/// Where the fix belongs (`FixPlacement`): the owner of its target and the fix as Terraform and
/// CloudFormation, as the journal and the report keep them.
public struct FixPlacementRecord: Sendable, Hashable {
    public var owner: String
    public var whereTheChangeBelongs: String
    public var terraform: String?
    public var cloudFormation: String?
    public var codeNote: String?
    /// Why the session did not apply the change to the target itself (its owner would revert
    /// it, or refuses edits); nil when it was offered.
    public var notApplied: String?
    /// Said when the changed managed policy is attached to others too.
    public var sharedPolicyNote: String?

    public init(owner: String, whereTheChangeBelongs: String, terraform: String? = nil, cloudFormation: String? = nil,
                codeNote: String? = nil, notApplied: String? = nil, sharedPolicyNote: String? = nil) {
        self.owner = owner
        self.whereTheChangeBelongs = whereTheChangeBelongs
        self.terraform = terraform
        self.cloudFormation = cloudFormation
        self.codeNote = codeNote
        self.notApplied = notApplied
        self.sharedPolicyNote = sharedPolicyNote
    }

    public var jsonValue: JSONValue {
        object([("owner", .string(owner)), ("where_the_change_belongs", .string(whereTheChangeBelongs)),
                ("terraform", text(terraform)), ("cloudformation", text(cloudFormation)), ("code_note", text(codeNote)),
                ("not_applied", text(notApplied)), ("shared_policy_note", text(sharedPolicyNote))])
    }

    public init?(jsonValue value: JSONValue) {
        guard let owner = value["owner"]?.stringValue else { return nil }
        self.init(owner: owner, whereTheChangeBelongs: value["where_the_change_belongs"]?.stringValue ?? "",
                  terraform: value["terraform"]?.stringValue, cloudFormation: value["cloudformation"]?.stringValue,
                  codeNote: value["code_note"]?.stringValue, notApplied: value["not_applied"]?.stringValue,
                  sharedPolicyNote: value["shared_policy_note"]?.stringValue)
    }
}

// MARK: JSON

private func object(_ entries: [(String, JSONValue?)]) -> JSONValue {
    .object(JSONObject(entries.compactMap { key, value in value.map { (key, $0) } }))
}

private func text(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }

extension DeniedRequestRow {
    public var jsonValue: JSONValue {
        object([("time", text(time)), ("principal", text(principal)), ("action", text(action)), ("resource", text(resource)),
                ("error_code", text(errorCode)), ("error_message", text(errorMessage)), ("deny_type", text(denyType)),
                ("source", text(source))])
    }

    public init?(jsonValue value: JSONValue) {
        guard let action = value["action"]?.stringValue else { return nil }
        self.init(time: value["time"]?.stringValue ?? "", principal: value["principal"]?.stringValue ?? "", action: action,
                  resource: value["resource"]?.stringValue, errorCode: value["error_code"]?.stringValue ?? "",
                  errorMessage: value["error_message"]?.stringValue, denyType: value["deny_type"]?.stringValue,
                  source: value["source"]?.stringValue)
    }
}

extension DeniedRequestsRecord {
    public var jsonValue: JSONValue {
        object([("kind", .string(AnalysisRecordKind.deniedRequests.rawValue)), ("rows", .array(rows.map(\.jsonValue))),
                ("why_no_event", whyNoEvent.isEmpty ? nil : .array(whyNoEvent.map(\.jsonValue)))])
    }

    public init?(jsonValue value: JSONValue) {
        guard value["kind"]?.stringValue == AnalysisRecordKind.deniedRequests.rawValue else { return nil }
        self.init(rows: (value["rows"]?.arrayValue ?? []).compactMap(DeniedRequestRow.init(jsonValue:)),
                  whyNoEvent: (value["why_no_event"]?.arrayValue ?? []).compactMap(NoEventFindingRecord.init(jsonValue:)))
    }
}

extension ExaminedPolicy {
    public var jsonValue: JSONValue {
        object([("name", text(name)), ("arn", text(arn)), ("type", text(type)), ("source", text(source))])
    }

    public init?(jsonValue value: JSONValue) {
        guard let name = value["name"]?.stringValue else { return nil }
        self.init(name: name, arn: value["arn"]?.stringValue, type: value["type"]?.stringValue ?? "",
                  source: value["source"]?.stringValue)
    }
}

extension TraceStep {
    public var jsonValue: JSONValue {
        object([("policy", text(policy)), ("statement", text(statement)), ("effect", text(effect)),
                ("outcome", text(outcome)), ("reason", text(reason))])
    }

    public init?(jsonValue value: JSONValue) {
        guard let policy = value["policy"]?.stringValue else { return nil }
        self.init(policy: policy, statement: value["statement"]?.stringValue ?? "", effect: value["effect"]?.stringValue ?? "",
                  outcome: value["outcome"]?.stringValue ?? "", reason: value["reason"]?.stringValue ?? "")
    }
}

extension UndecidedKey {
    public var jsonValue: JSONValue { object([("key", text(key)), ("why", text(why))]) }

    public init?(jsonValue value: JSONValue) {
        guard let key = value["key"]?.stringValue else { return nil }
        self.init(key: key, why: value["why"]?.stringValue ?? "")
    }
}

extension EvaluationRecord {
    public var jsonValue: JSONValue {
        object([("kind", .string(AnalysisRecordKind.evaluation.rawValue)), ("verdict", text(verdict)),
                ("deciding", deciding?.jsonValue), ("policies", .array(policies.map(\.jsonValue))),
                ("trace", .array(trace.map(\.jsonValue))), ("undecided_keys", .array(undecidedKeys.map(\.jsonValue)))])
    }

    public init?(jsonValue value: JSONValue) {
        guard value["kind"]?.stringValue == AnalysisRecordKind.evaluation.rawValue else { return nil }
        self.init(verdict: value["verdict"]?.stringValue ?? "undecided",
                  deciding: value["deciding"].flatMap(TraceStep.init(jsonValue:)),
                  policies: (value["policies"]?.arrayValue ?? []).compactMap(ExaminedPolicy.init(jsonValue:)),
                  trace: (value["trace"]?.arrayValue ?? []).compactMap(TraceStep.init(jsonValue:)),
                  undecidedKeys: (value["undecided_keys"]?.arrayValue ?? []).compactMap(UndecidedKey.init(jsonValue:)))
    }
}

extension RecommendationRecord {
    public var jsonValue: JSONValue {
        object([("kind", .string(AnalysisRecordKind.recommendation.rawValue)), ("summary", text(summary)),
                ("target", text(target)), ("document", document),
                ("reasons", .array(reasons.map { object([("element", text($0.element)), ("reason", text($0.reason))]) })),
                ("placement", placement?.jsonValue)])
    }

    public init?(jsonValue value: JSONValue) {
        guard value["kind"]?.stringValue == AnalysisRecordKind.recommendation.rawValue,
              let summary = value["summary"]?.stringValue else { return nil }
        self.init(summary: summary, target: value["target"]?.stringValue, document: value["document"] ?? .null,
                  reasons: (value["reasons"]?.arrayValue ?? []).compactMap { item in
                      item["element"]?.stringValue.map { RecommendationReason(element: $0, reason: item["reason"]?.stringValue ?? "") }
                  },
                  placement: value["placement"].flatMap(FixPlacementRecord.init(jsonValue:)))
    }
}
