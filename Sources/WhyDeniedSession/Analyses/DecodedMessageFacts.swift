import WhyDeniedEvidence
import WhyDeniedJSON

/// The `read_decoded_message` analysis (step `decode_message`): the decoded authorization
/// message is AWS's own record of the request, so its principal, action, resource and decision
/// replace what was read from the error text. Each replaced value is noted with its origin.
///
/// ```swift
/// let read = try DecodedMessageFacts.derive(captures: engine.captures)
/// read.facts["denial.action"]   // "ec2:RunInstances"
/// read.decoded.denyingStatements.first?.statementId   // "VisualEditor0"
/// ```
struct DecodedMessageFacts {
    var decoded: DecodedAuthorization
    var facts: [String: JSONValue]
    var notes: [String]

    static let captureName = "decoded_authorization"

    static func derive(captures: [String: JSONValue]) throws(DecodedAuthorizationError) -> DecodedMessageFacts {
        guard let document = captures[captureName], !document.isNull else {
            throw DecodedAuthorizationError(path: "", problem: "the decode command gave nothing to read (it failed or was skipped); the session goes on with what the error text says")
        }
        return from(try DecodedAuthorization.read(document))
    }

    /// The facts and notes of a decoded message, however it reached the session (the decode
    /// step's capture, or decoded output pasted as the error message).
    static func from(_ decoded: DecodedAuthorization) -> DecodedMessageFacts {
        var facts: [String: JSONValue] = [:]
        var notes: [String] = []
        let origin = Prefill.decodedMessageOrigin
        if let identity = decoded.principal {
            facts.merge(SessionFacts.principalFacts(identity)) { _, new in new }
            notes.append("principal ← \(origin): context.principal.arn \(identity.arn ?? "")")
        }
        if let account = decoded.accountId { facts["principal.account_id"] = .string(account) }
        if let action = decoded.iamAction {
            facts["denial.action"] = .string(action)
            notes.append("action ← \(origin): \(action)")
        }
        if let resource = decoded.resource, resource.hasPrefix("arn:") {
            facts["denial.resource_arn"] = .string(resource)
            if let target = ResourcePolicyTarget(arn: resource) { facts.merge(target.facts) { _, new in new } }
            notes.append("resource ← \(origin): context.resource \(resource)")
        }
        if let endpoint = decoded.values(of: "aws:SourceVpce")?.first, !endpoint.isEmpty {
            facts["denial.vpc_endpoint_id"] = .string(endpoint)
            notes.append("VPC endpoint ← \(origin): aws:SourceVpce \(endpoint)")
        }
        switch decoded.decision {
        case .explicitDeny:
            facts["denial.deny_type"] = .string("explicit")
            let statements = decoded.denyingStatements.map(\.summary)
            notes.append("The decoded authorization message records an explicit deny"
                         + (statements.isEmpty ? "." : " by statement \(statements.joined(separator: "; "))."))
        case .implicitDeny:
            facts["denial.deny_type"] = .string("implicit")
            notes.append("The decoded authorization message records an implicit deny: no statement allowed the request.")
        case .unknown:
            break
        }
        return DecodedMessageFacts(decoded: decoded, facts: facts, notes: notes)
    }
}
