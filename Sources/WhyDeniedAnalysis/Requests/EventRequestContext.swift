import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON

/// Fills the request context of a denied call from its CloudTrail event.
///
/// Each key is set when the event carries it, marked *absent* when the event shows the request
/// did not carry it (no `vpcEndpointId` → no `aws:SourceVpce`; long-term access keys → no
/// `aws:MultiFactorAuthPresent`), and otherwise left *unknown*, so that a condition reading it
/// becomes Undecided instead of a silent guess. Example: the seed's GetObject from 198.51.100.23
/// gets `aws:SourceIp = 198.51.100.23`, `aws:SecureTransport = true` (it has `tlsDetails`),
/// `aws:PrincipalArn = arn:aws:iam::111122223333:role/DataAnalystRole`.
struct EventRequestContext {
    let event: CloudTrailEvent
    let principal: RequestPrincipal
    let principalTags: [String: String]
    let resourceAccount: String?

    func build() -> RequestContext {
        var context = RequestContext()
        let identity = event.userIdentity
        let session = identity?.sessionContext

        // Network
        if let source = event.sourceIPAddress, Self.isIPAddress(source) {
            context["aws:SourceIp"] = ContextValue(.ip, source)
        } else if event.sourceIPAddress != nil {
            // An AWS service hostname: the service called on the principal's behalf.
            context.markAbsent("aws:SourceIp")
        }
        if let endpoint = event.vpcEndpointId, !endpoint.isEmpty {
            context["aws:SourceVpce"] = ContextValue(.string, endpoint)
        } else {
            context.markAbsent("aws:SourceVpce")
            context.markAbsent("aws:SourceVpc")
            context.markAbsent("aws:VpcSourceIp")
        }
        if let region = event.awsRegion { context["aws:RequestedRegion"] = ContextValue(.string, region) }
        if let tls = event.tlsDetails, tls.tlsVersion != nil || tls.cipherSuite != nil {
            context["aws:SecureTransport"] = ContextValue(.bool, "true")
        }
        if let agent = event.userAgent { context["aws:UserAgent"] = ContextValue(.string, agent) }

        // Time
        if let time = event.eventTime {
            context["aws:CurrentTime"] = ContextValue(.date, Self.iso(time))
            context["aws:EpochTime"] = ContextValue(.date, String(Int(time.timeIntervalSince1970)))
        }

        // Principal
        let isAWSService = principal.kind == .service
        context["aws:PrincipalIsAWSService"] = ContextValue(.bool, isAWSService ? "true" : "false")
        if isAWSService {
            context["aws:PrincipalServiceName"] = ContextValue(.string, principal.arn)
        } else if principal.kind == .accountOnly {
            // Only the account and the unique id are known: the ARN (and a user's name) stay unknown.
            if let account = principal.account { context["aws:PrincipalAccount"] = ContextValue(.string, account) }
            if let userId = identity?.principalId { context["aws:userid"] = ContextValue(.string, userId) }
            switch principal.uniqueId?.prefix(4) {
            case "AROA"?:
                context["aws:PrincipalType"] = ContextValue(.string, "AssumedRole")
                context.markAbsent("aws:username")
            case "AIDA"?:
                context["aws:PrincipalType"] = ContextValue(.string, "User")
            default:
                break
            }
            for (key, value) in principalTags {
                context["aws:PrincipalTag/\(key)"] = ContextValue(.string, value)
            }
        } else if principal.kind != .anonymous {
            context["aws:PrincipalArn"] = ContextValue(.arn, principal.principalArnForConditions)
            if let account = principal.account { context["aws:PrincipalAccount"] = ContextValue(.string, account) }
            if let type = Self.principalType(principal.kind) { context["aws:PrincipalType"] = ContextValue(.string, type) }
            if let userId = identity?.principalId { context["aws:userid"] = ContextValue(.string, userId) }
            if principal.kind == .iamUser, let name = identity?.userName ?? PrincipalIdentity(arn: principal.arn)?.name
                ?? ArnParts(principal.arn).flatMap({ $0.resource.split(separator: "/").last.map(String.init) }) {
                context["aws:username"] = ContextValue(.string, name)
            } else {
                context.markAbsent("aws:username")
            }
            for (key, value) in principalTags {
                context["aws:PrincipalTag/\(key)"] = ContextValue(.string, value)
            }
        }

        // Credentials: temporary (a session) or long-term access keys.
        if let session, session.creationDate != nil || session.mfaAuthenticated != nil {
            let mfa = session.mfaAuthenticated ?? false
            context["aws:MultiFactorAuthPresent"] = ContextValue(.bool, mfa ? "true" : "false")
            if let created = session.creationDate {
                context["aws:TokenIssueTime"] = ContextValue(.date, Self.iso(created))
                if mfa, let time = event.eventTime {
                    context["aws:MultiFactorAuthAge"] = ContextValue(.number, String(max(0, Int(time.timeIntervalSince(created)))))
                }
            }
            if !mfa { context.markAbsent("aws:MultiFactorAuthAge") }
            if let sourceIdentity = session.sourceIdentity { context["aws:SourceIdentity"] = ContextValue(.string, sourceIdentity) }
        } else if identity?.accessKeyId?.hasPrefix("AKIA") == true {
            // Long-term keys: the MFA keys are not in the request at all.
            context.markAbsent("aws:MultiFactorAuthPresent")
            context.markAbsent("aws:MultiFactorAuthAge")
            context.markAbsent("aws:TokenIssueTime")
        }

        // Calls made through an AWS service (forward access sessions).
        if let via = identity?.invokedBy, !via.isEmpty {
            context["aws:ViaAWSService"] = ContextValue(.bool, "true")
            context["aws:CalledVia"] = ContextValue(.string, [via], multiValued: true)
            context["aws:CalledViaFirst"] = ContextValue(.string, via)
            context["aws:CalledViaLast"] = ContextValue(.string, via)
        } else if let source = event.sourceIPAddress, source.hasSuffix(".amazonaws.com") {
            context["aws:ViaAWSService"] = ContextValue(.bool, "true")
        } else if event.sourceIPAddress != nil {
            context["aws:ViaAWSService"] = ContextValue(.bool, "false")
            context.markAbsent("aws:CalledVia")
            context.markAbsent("aws:CalledViaFirst")
            context.markAbsent("aws:CalledViaLast")
        }

        if let resourceAccount { context["aws:ResourceAccount"] = ContextValue(.string, resourceAccount) }
        addServiceKeys(to: &context)
        return context
    }

    /// Service keys the request parameters carry (S3 listing keys for now).
    private func addServiceKeys(to context: inout RequestContext) {
        guard event.eventSource == "s3.amazonaws.com", let parameters = event.requestParameters?.objectValue else { return }
        let name = event.eventName ?? ""
        guard name == "ListObjects" || name == "ListObjectsV2" || name == "ListObjectVersions" else { return }
        for (parameter, key, type) in [("prefix", "s3:prefix", ContextValueType.string),
                                       ("delimiter", "s3:delimiter", .string),
                                       ("max-keys", "s3:max-keys", .number)] {
            if let value = parameters[parameter]?.scalarText {
                context[key] = ContextValue(type, value)
            } else {
                context.markAbsent(key)
            }
        }
    }

    static func principalType(_ kind: PrincipalKind) -> String? {
        switch kind {
        case .iamUser: return "User"
        case .assumedRole, .role: return "AssumedRole"
        case .federatedUser: return "FederatedUser"
        case .root: return "Account"
        case .anonymous: return "Anonymous"
        case .service, .accountOnly: return nil
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ part in UInt8(part) != nil }) { return true }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    /// Swift's own ISO 8601 style: the same text as `ISO8601DateFormatter` with internet date-time,
    /// without building an ICU formatter per event (a tenth of a batch's evaluation).
    static func iso(_ date: Date) -> String { isoStyle.format(date) }
    private static let isoStyle = Date.ISO8601FormatStyle()
}
