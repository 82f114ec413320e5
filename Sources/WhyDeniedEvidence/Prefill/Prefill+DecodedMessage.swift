import Foundation

extension Prefill {
    /// The origin every value read from a decoded message carries.
    public static let decodedMessageOrigin = "decoded authorization message"

    /// Prefill from pasted `decode-authorization-message` output (or the decoded document).
    static func fromDecodedMessage(_ decoded: DecodedAuthorization, text: String, now: Date) -> Prefill {
        var prefill = Prefill()
        prefill.evidence = .decodedAuthorizationMessage
        prefill.denial = .decodedMessage(decoded)
        prefill.apply(decoded)
        // The session reads the decoded output back from error_message, whole.
        if text.count <= maximumErrorMessageLength {
            prefill.set(RunbookParameterName.errorMessage, text, source: .decodedMessage, origin: "\(decodedMessageOrigin): the pasted output")
        } else {
            prefill.notes.append("the decoded output is longer than \(maximumErrorMessageLength) characters: it prefills the parameters but is not kept as the error message")
        }
        if prefill[RunbookParameterName.timeFrame] == nil {
            let frame = TimeFrame(start: now.addingTimeInterval(-3600), end: now, meaning: "last 1 hour", now: now)
            prefill.set(RunbookParameterName.timeFrame, frame.canonical, source: .defaultValue, origin: "default: a decoded message carries no time; the last hour before now")
        }
        return prefill
    }

    /// Fills principal, action, resource, account and region from a decoded message. AWS's own
    /// record of the evaluation beats what the error text said, so its values replace those.
    public mutating func apply(_ decoded: DecodedAuthorization) {
        let origin = Self.decodedMessageOrigin
        if let identity = decoded.principal {
            if identity.kind == .assumedRole, let role = identity.roleArn {
                replace(RunbookParameterName.principal, role, source: .decodedMessage, origin: "\(origin): context.principal.arn (role of the session \(identity.sessionName ?? "?"))")
            } else if let arn = identity.arn {
                replace(RunbookParameterName.principal, arn, source: .decodedMessage, origin: "\(origin): context.principal.arn")
            }
        }
        if let action = decoded.iamAction {
            let how = decoded.action == action ? "context.action" : "context.action \(decoded.action ?? "") with its service"
            replace(RunbookParameterName.action, action, source: .decodedMessage, origin: "\(origin): \(how)")
        }
        if let resource = decoded.resource, !resource.isEmpty {
            replace(RunbookParameterName.resource, resource, source: .decodedMessage, origin: "\(origin): context.resource")
        }
        if let account = decoded.accountId {
            replace(RunbookParameterName.accountId, account, source: .decodedMessage, origin: "\(origin): account of context.principal.arn")
        }
        if let region = decoded.values(of: "aws:RequestedRegion")?.first ?? decoded.values(of: "aws:Region")?.first,
           !region.isEmpty {
            replace(RunbookParameterName.region, region, source: .decodedMessage, origin: "\(origin): context.conditions aws:Region")
        }
        switch decoded.decision {
        case .explicitDeny:
            let statements = decoded.denyingStatements.map(\.summary)
            notes.append("the decoded message records an explicit deny"
                         + (statements.isEmpty ? "" : " by statement \(statements.joined(separator: "; "))"))
        case .implicitDeny:
            notes.append("the decoded message records an implicit deny: no statement allowed the request")
        case .unknown:
            break
        }
        if !decoded.conditions.isEmpty {
            notes.append("the decoded message carries \(decoded.conditions.count) context value(s) of the request: they are used as known values")
        }
    }

    /// Sets a parameter, replacing a value read from weaker evidence.
    mutating func replace(_ name: String, _ value: String, source: PrefilledParameter.Source, origin: String) {
        parameters.removeAll { $0.name == name }
        set(name, value, source: source, origin: origin)
    }
}
