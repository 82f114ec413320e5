/// `trust_policy`: a role's trust policy replaced by the fixed one (its statements kept, the
/// caller's added). Written only once the old one is saved, and undone by writing it back.
///
/// ```swift
/// TrustPolicyApplication().applied("update_trust_policy", context)?.writes   // .trustPolicy(role: "DeployRole")
/// ```
public struct TrustPolicyApplication: FixApplication {
    public init() {}

    public var kind: String { "trust_policy" }

    public var commands: [FixCommand] {
        [
            FixCommand("backup_trust_policy", why: "Saves the role's trust policy being replaced (the role as get-role returns it).",
                       phase: .backup, argv: ["aws", "iam", "get-role", "--role-name", "{{facts.fix.role}}"]).with {
                $0.backup = true
                // The change waits for it: a trust policy not saved first could not be put back.
                $0.captures = [.select("backed_up_trust_policy", "Role.AssumeRolePolicyDocument", type: "any")]
            },
            FixCommand("update_trust_policy",
                       why: "Replaces the role's trust policy with the fixed one (its statements kept, the caller's added).", phase: .change,
                       argv: ["aws", "iam", "update-assume-role-policy", "--role-name", "{{facts.fix.role}}",
                              "--policy-document", "{{facts.fix.policy_document}}"]).with {
                $0.needsCaptures = ["backed_up_trust_policy"]
                $0.mutates = true
                $0.preconditions = ["trust_policy_size_within_limit"]
            },
            FixCommand("verify_trust_policy", why: "Reads the role back to confirm the new trust policy is in place.", phase: .verification,
                       argv: ["aws", "iam", "get-role", "--role-name", "{{facts.fix.role}}"]).with {
                $0.parser = "trust_policy"
                $0.captures = [.parser("applied_trust_policy", type: "object")]
            },
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String { "trust policy of role \(context.fact("fix.role"))" }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        guard commandID == "update_trust_policy" else { return nil }
        let role = context.fact("fix.role")
        // A role always has a trust policy: the undo writes the backed-up one back.
        let rollback = context.backup?["Role"]?["AssumeRolePolicyDocument"].flatMap(CLIPolicyDocument.decode).map {
            [["aws", "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", $0.serialized()]]
        }
        return FixChange(target: "trust policy of role \(role)", rollback: rollback ?? [], writes: .trustPolicy(role: role))
    }
}
