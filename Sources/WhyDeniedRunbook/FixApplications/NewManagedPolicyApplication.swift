/// `new_managed_policy_user` / `new_managed_policy_role`: a customer managed policy holding the
/// new statement, created and attached to the denied user or role. Undone by detaching it and
/// deleting it.
///
/// ```swift
/// NewManagedPolicyApplication(principal: .role).commands.map(\.id)
/// // ["create_policy", "attach_role_policy", "verify_identity_fix"]
/// ```
public struct NewManagedPolicyApplication: FixApplication {
    public var principal: FixPrincipal

    public init(principal: FixPrincipal) { self.principal = principal }

    public var kind: String { "new_managed_policy_\(principal.rawValue)" }

    var attachID: String { "attach_\(principal.rawValue)_policy" }

    public var commands: [FixCommand] {
        [
            FixCommand("create_policy", why: "Creates a customer managed policy holding the new statement.", phase: .change,
                       argv: ["aws", "iam", "create-policy", "--policy-name", "{{facts.fix.policy_name}}",
                              "--policy-document", "{{facts.fix.policy_document}}"]).with {
                $0.mutates = true
                $0.preconditions = ["policy_size_within_limit"]
                $0.captures = [.select("created_policy_arn", "Policy.Arn", type: "string")]
            },
            FixCommand(attachID, why: "Attaches the new policy to the \(principal.rawValue).", phase: .change,
                       argv: ["aws", "iam", "attach-\(principal.rawValue)-policy", principal.option, "{{facts.principal.name}}",
                              "--policy-arn", "{{captures.created_policy_arn}}"]).with {
                $0.mutates = true
                $0.needsCaptures = ["created_policy_arn"]
            },
            .verifyIdentityFix,
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String {
        "new managed policy \(context.fact("fix.policy_name")), attached to \(principal.rawValue) \(context.fact("principal.name"))"
    }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        switch commandID {
        case "create_policy":
            let created = context.output?["Policy"]?["Arn"]?.stringValue
            return FixChange(target: "managed policy \(created ?? context.fact("fix.policy_name"))",
                             rollback: created.map { [["aws", "iam", "delete-policy", "--policy-arn", $0]] } ?? [])
        case attachID:
            let owner = context.fact("principal.name")
            let arn = context.capture("created_policy_arn") ?? "?"
            return FixChange(target: "\(principal.rawValue) \(owner)",
                             rollback: [["aws", "iam", "detach-\(principal.rawValue)-policy", principal.option, owner, "--policy-arn", arn]])
        default:
            return nil
        }
    }
}
