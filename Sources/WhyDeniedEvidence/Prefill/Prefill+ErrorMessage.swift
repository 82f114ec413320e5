import Foundation

extension Prefill {
    /// Prefill from an authorization error text, or nil when the text is not one.
    static func fromErrorMessage(_ text: String, now: Date) -> Prefill? {
        guard case .success(let denied) = AuthorizationErrorParser.parse(text) else { return nil }
        var prefill = Prefill()
        prefill.evidence = .errorMessage
        prefill.denial = .errorMessage(denied)
        prefill.fill(from: denied, originPrefix: "error message", now: now)
        prefill.set(RunbookParameterName.errorMessage, String(text.prefix(maximumErrorMessageLength)), source: .errorMessage, origin: "error message: the pasted text")
        if prefill[RunbookParameterName.timeFrame] == nil {
            let frame = TimeFrame(start: now.addingTimeInterval(-3600), end: now, meaning: "last 1 hour", now: now)
            prefill.set(RunbookParameterName.timeFrame, frame.canonical, source: .defaultValue, origin: "default: an error message carries no time; the last hour before now")
        }
        return prefill
    }

    /// The denial CloudTrail recorded in `errorMessage` names the action and resource exactly as
    /// IAM evaluated them, which beats deriving them from the event name and request; call it
    /// before those are set. The message is read by `EventDenial`, as every other view reads it.
    mutating func refineFromEventMessage(_ denial: EventDenial, tag: String) {
        guard let denied = denial.message else { return }
        notes += denied.notes.map { "\(tag): errorMessage: \($0)" }
        if let action = denial.messageAction {
            set(RunbookParameterName.action, action, source: .cloudTrailEvent, origin: "\(tag): errorMessage '\(snippet(denied, .action, fallback: action))'")
        }
        if let resource = denial.messageResource {
            set(RunbookParameterName.resource, resource, source: .cloudTrailEvent, origin: "\(tag): errorMessage '\(snippet(denied, .resource, fallback: resource))'")
        }
        if let type = denied.policyType {
            notes.append("the error message blames a \(Self.describe(type))\(denied.decision == .explicitDeny ? " (explicit deny)" : "")")
        }
    }

    mutating func fill(from denied: AuthorizationError, originPrefix: String, now: Date) {
        notes += denied.notes.map { "\(originPrefix): \($0)" }
        if let identity = denied.principal {
            let quoted = snippet(denied, .principal, fallback: denied.principalText ?? identity.arn ?? "")
            if identity.kind == .assumedRole, let role = identity.roleArn {
                set(RunbookParameterName.principal, role, source: .errorMessage, origin: "\(originPrefix): '\(quoted)' (role of the session)")
                notes.append("assumed-role session '\(identity.sessionName ?? "?")' of role \(identity.name ?? role): policies attach to the role, not the session; a role under a path needs its full ARN from IAM")
            } else if let arn = identity.arn {
                set(RunbookParameterName.principal, arn, source: .errorMessage, origin: "\(originPrefix): '\(quoted)'")
            }
        } else if let text = denied.principalText {
            set(RunbookParameterName.principal, text, source: .errorMessage, origin: "\(originPrefix): '\(snippet(denied, .principal, fallback: text))' (not a parsable ARN)")
        }
        if let account = denied.accountId {
            set(RunbookParameterName.accountId, account, source: .errorMessage, origin: "\(originPrefix): '\(snippet(denied, .accountId, fallback: account))'")
        }
        if let action = denied.action {
            set(RunbookParameterName.action, action, source: .errorMessage, origin: "\(originPrefix): '\(snippet(denied, .action, fallback: action))'")
        } else if let operation = denied.operation {
            notes.append("the message names the operation \(operation) but not the IAM action")
        }
        if let resource = denied.resource {
            set(RunbookParameterName.resource, resource, source: .errorMessage, origin: "\(originPrefix): '\(snippet(denied, .resource, fallback: resource))'")
        }
        // Region: only regional ARNs carry one (IAM and S3 ARNs do not).
        for arnText in [denied.resource, denied.principal?.arn, denied.policyArn].compactMap({ $0 }) {
            if let arn = ARN(arnText), !arn.region.isEmpty {
                set(RunbookParameterName.region, arn.region, source: .errorMessage, origin: "\(originPrefix): region of \(arnText)")
                break
            }
        }
        if let type = denied.policyType {
            notes.append("the message blames a \(Self.describe(type))\(denied.decision == .explicitDeny ? " (explicit deny)" : "")")
        }
        if denied.encodedAuthorizationMessage != nil {
            notes.append("the message carries an encoded authorization message: decode it with `aws sts decode-authorization-message`")
        }
    }

    func snippet(_ denied: AuthorizationError, _ field: AuthorizationErrorField, fallback: String) -> String {
        let text = denied.origins[field]?.snippet ?? fallback
        return text.count > 160 ? String(text.prefix(157)) + "..." : text
    }

    static func describe(_ type: DenyingPolicyType) -> String {
        switch type {
        case .identityBased: return "identity-based policy"
        case .resourceBased: return "resource-based policy"
        case .permissionsBoundary: return "permissions boundary"
        case .sessionPolicy: return "session policy"
        case .serviceControlPolicy: return "service control policy"
        case .resourceControlPolicy: return "resource control policy"
        case .vpcEndpointPolicy: return "VPC endpoint policy"
        }
    }
}
