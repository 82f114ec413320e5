import Foundation
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON

/// The facts the session works out before the first command, from the parameters and the pasted
/// error message: `principal.*`, `time.*`, `resource.*` and what the message says of `denial.*`.
/// Problems (an unreadable time frame) come back as notes, never as a crash.
///
/// ```swift
/// let start = SessionFacts.fromParameters(["principal": "arn:aws:iam::111122223333:user/ana",
///                                          "time_frame": "1 hour ago", "region": "us-east-1"], message: nil, now: Date())
/// start.facts["principal.kind"]   // "user"
/// ```
public enum SessionFacts {
    public struct Derived: Sendable, Equatable {
        public var facts: [String: JSONValue]
        public var notes: [String]
    }

    /// `message` is the parser's reading of the `error_message` parameter, read once by the session.
    public static func fromParameters(_ parameters: [String: String], message: AuthorizationError?, now: Date) -> Derived {
        var facts: [String: JSONValue] = [:]
        var notes: [String] = []

        if let principal = parameters["principal"], !principal.isEmpty {
            if let identity = PrincipalIdentity(arn: principal) {
                facts.merge(principalFacts(identity)) { _, new in new }
            } else if let fromMessage = message?.principal, fromMessage.name == principal || fromMessage.arn == principal {
                facts.merge(principalFacts(fromMessage)) { _, new in new }
            } else {
                facts["principal.name"] = .string(principal)
                notes.append("The principal \"\(principal)\" is a name without an ARN: whether it is a user or a role is read from the events.")
            }
        }
        if let frame = parameters["time_frame"], !frame.isEmpty {
            do {
                let parsed = try TimeFrame.parse(frame, now: now)
                facts["time.start"] = .string(parsed.startText)
                facts["time.end"] = .string(parsed.endText)
                facts["time.start_ms"] = .string(String(Int64(parsed.start.timeIntervalSince1970 * 1000)))
                facts["time.end_ms"] = .string(String(Int64(parsed.end.timeIntervalSince1970 * 1000)))
                // A role session lasts at most 12 hours: the call that issued it came at most that long before.
                facts["time.session_start"] = .string(Timestamp.format(parsed.start.addingTimeInterval(-12 * 3600)))
                facts["time.session_end"] = .string(parsed.endText)
            } catch {
                notes.append(error.description)
            }
        }
        if let message {
            if let action = message.action { facts["denial.action"] = .string(action) }
            if let resource = message.resource, resource.hasPrefix("arn:") { facts["denial.resource_arn"] = .string(resource) }
            if let encoded = message.encodedAuthorizationMessage { facts["denial.encoded_message"] = .string(encoded) }
            if let type = message.policyType { facts["denial.policy_type"] = .string(type.rawValue) }
            switch message.decision.rawValue {
            case let value where value.lowercased().contains("explicit"): facts["denial.deny_type"] = .string("explicit")
            case let value where value.lowercased().contains("implicit"): facts["denial.deny_type"] = .string("implicit")
            default: break
            }
        }
        if let action = parameters["action"], !action.isEmpty { facts["denial.action"] = .string(action) }
        let resource = parameters["resource"].flatMap { $0.isEmpty ? nil : $0 } ?? message?.resource
        if let resource, let target = ResourcePolicyTarget(arn: resource) {
            facts.merge(target.facts) { _, new in new }
            if facts["denial.resource_arn"] == nil { facts["denial.resource_arn"] = .string(resource) }
        }
        return Derived(facts: facts, notes: notes)
    }

    /// `principal.*` facts for an identity (an assumed-role session maps to its role).
    public static func principalFacts(_ identity: PrincipalIdentity) -> [String: JSONValue] {
        var facts: [String: JSONValue] = [:]
        switch identity.kind {
        case .iamUser:
            facts["principal.kind"] = .string("user")
            if let name = identity.name { facts["principal.event_username"] = .string(name) }
        case .role: facts["principal.kind"] = .string("role")
        case .assumedRole:
            facts["principal.kind"] = .string("assumed_role")
            if let session = identity.sessionName {
                facts["principal.session_name"] = .string(session)
                facts["principal.event_username"] = .string(session)
            }
        case .federatedUser:
            // GetFederationToken's session: no IAM policies of its own to read by name.
            facts["principal.kind"] = .string("federated_user")
        default: break
        }
        if let name = identity.name { facts["principal.name"] = .string(name) }
        // An Identity Center role: its grants live in a permission set, read and changed there.
        if identity.kind == .role || identity.kind == .assumedRole,
           let set = identity.name.flatMap(FixTargetOwner.identityCenterPermissionSet(roleName:)) {
            facts["principal.permission_set"] = .string(set)
        }
        if let arn = identity.roleArn ?? identity.arn { facts["principal.arn"] = .string(arn) }
        if let account = identity.accountId { facts["principal.account_id"] = .string(account) }
        return facts
    }
}
