/// `user_inline_policy` / `role_inline_policy`: the denied user's or role's inline policy
/// written with the new statement. Undone by writing the backed-up document back, or by
/// deleting the policy when there was none.
///
/// ```swift
/// InlinePolicyApplication(principal: .user).applied("put_user_policy", FixContext(facts: facts))?.target
/// // "inline policy WhyDeniedFix of user ana"
/// ```
public struct InlinePolicyApplication: FixApplication {
    public var principal: FixPrincipal

    public init(principal: FixPrincipal) { self.principal = principal }

    public var kind: String { "\(principal.rawValue)_inline_policy" }

    var putID: String { "put_\(principal.rawValue)_policy" }

    public var commands: [FixCommand] {
        let who = principal.rawValue
        return [
            FixCommand("backup_\(who)_policy", why: "Saves the inline policy being replaced (none yet is fine).", phase: .backup,
                       argv: ["aws", "iam", "get-\(who)-policy", principal.option, "{{facts.principal.name}}",
                              "--policy-name", "{{facts.fix.policy_name}}"]).with {
                $0.answeredBy = ["NoSuchEntity"]
                $0.backup = true
            },
            FixCommand(putID, why: "Writes the \(who)'s inline policy.", phase: .change,
                       argv: ["aws", "iam", "put-\(who)-policy", principal.option, "{{facts.principal.name}}",
                              "--policy-name", "{{facts.fix.policy_name}}", "--policy-document", "{{facts.fix.policy_document}}"]).with {
                $0.mutates = true
                $0.preconditions = ["policy_size_within_limit"]
            },
            .verifyIdentityFix,
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String {
        "inline policy \(context.fact("fix.policy_name")) of \(principal.rawValue) \(context.fact("principal.name"))"
    }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        guard commandID == putID else { return nil }
        let who = principal.rawValue
        let (owner, name) = (context.fact("principal.name"), context.fact("fix.policy_name"))
        let rollback: [String]
        if let old = context.backup?["PolicyDocument"].flatMap(CLIPolicyDocument.decode) {
            rollback = ["aws", "iam", "put-\(who)-policy", principal.option, owner, "--policy-name", name, "--policy-document", old.serialized()]
        } else {
            rollback = ["aws", "iam", "delete-\(who)-policy", principal.option, owner, "--policy-name", name]
        }
        return FixChange(target: "inline policy \(name) of \(who) \(owner)", rollback: [rollback],
                         writes: .inlinePolicy(owner: principal.owner, ownerName: owner, policyName: name))
    }
}
