/// `permission_set_inline_policy`: an IAM Identity Center role's fix goes to its permission set.
/// The set's inline policy is replaced (its statements kept, the new ones added) and provisioned
/// to every account it is assigned in; the roles take it as `AwsSSOInlinePolicy`. Undone by
/// putting the backed-up inline policy back (or deleting it when there was none) and
/// provisioning again.
///
/// ```swift
/// PermissionSetPolicyApplication().applied("put_permission_set_policy", context)?.rollback.last?.prefix(3)
/// // ["aws", "sso-admin", "provision-permission-set"]
/// ```
public struct PermissionSetPolicyApplication: FixApplication {
    public init() {}

    public var kind: String { "permission_set_inline_policy" }

    /// The name Identity Center gives a permission set's inline policy on each role it provisions.
    public static let provisionedInlinePolicyName = "AwsSSOInlinePolicy"

    static let permissionSet = ["--instance-arn", "{{facts.fix.instance_arn}}", "--permission-set-arn", "{{facts.fix.permission_set_arn}}"]

    public var commands: [FixCommand] {
        let set = Self.permissionSet
        return [
            FixCommand("backup_permission_set_policy", why: "Saves the permission set's inline policy being replaced (none yet is fine).",
                       phase: .backup, argv: ["aws", "sso-admin", "get-inline-policy-for-permission-set"] + set).with { $0.backup = true },
            FixCommand("put_permission_set_policy",
                       why: "Replaces the permission set's inline policy with the fixed one (its statements kept, the new ones added).",
                       phase: .change,
                       argv: ["aws", "sso-admin", "put-inline-policy-to-permission-set"] + set + ["--inline-policy", "{{facts.fix.policy_document}}"]).with {
                $0.mutates = true
                $0.preconditions = ["policy_size_within_limit"]
            },
            FixCommand("provision_permission_set",
                       why: "Provisions the changed permission set to every account it is assigned in; the roles take the new policy.",
                       phase: .change,
                       argv: ["aws", "sso-admin", "provision-permission-set"] + set + ["--target-type", "ALL_PROVISIONED_ACCOUNTS"]).with {
                $0.mutates = true
                $0.captures = [.select("provisioning_request_id", "PermissionSetProvisioningStatus.RequestId", type: "string")]
            },
            FixCommand("permission_set_provisioned", why: "Waits until Identity Center has provisioned the permission set.", phase: .change,
                       argv: ["aws", "sso-admin", "describe-permission-set-provisioning-status", "--instance-arn", "{{facts.fix.instance_arn}}",
                              "--provision-permission-set-request-id", "{{captures.provisioning_request_id}}"]).with {
                $0.needsCaptures = ["provisioning_request_id"]
                $0.poll = FixCommand.Poll(select: "PermissionSetProvisioningStatus.Status", until: ["SUCCEEDED", "FAILED"], failOn: ["FAILED"],
                                          reason: "PermissionSetProvisioningStatus.FailureReason", maxAttempts: 30, interval: "2s..10s")
            },
            FixCommand("verify_permission_set_policy",
                       why: "Reads the permission set's inline policy back to confirm the new one is in place.", phase: .verification,
                       argv: ["aws", "sso-admin", "get-inline-policy-for-permission-set"] + set).with {
                $0.captures = [.select("applied_permission_set_policy", "InlinePolicy", type: "any", optional: true)]
            },
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String {
        "inline policy of permission set \(context.facts["fix.permission_set"]?.stringValue ?? context.fact("fix.permission_set_arn"))"
    }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        let (instance, set) = (context.fact("fix.instance_arn"), context.fact("fix.permission_set_arn"))
        switch commandID {
        case "put_permission_set_policy":
            let names = ["--instance-arn", instance, "--permission-set-arn", set]
            let provision = ["aws", "sso-admin", "provision-permission-set"] + names + ["--target-type", "ALL_PROVISIONED_ACCOUNTS"]
            // get-inline-policy-for-permission-set answers "" (or nothing) when there was none.
            let restore = if let old = context.backup?["InlinePolicy"]?.stringValue, !old.isEmpty {
                ["aws", "sso-admin", "put-inline-policy-to-permission-set"] + names + ["--inline-policy", old]
            } else {
                ["aws", "sso-admin", "delete-inline-policy-from-permission-set"] + names
            }
            return FixChange(target: "inline policy of permission set \(set)", rollback: [restore, provision],
                             writes: .callerRoleInlinePolicy(policyName: Self.provisionedInlinePolicyName))
        case "provision_permission_set":
            // Undone with the inline policy it provisioned: that rollback provisions again.
            return FixChange(target: "accounts of permission set \(set)", rollback: [])
        default:
            return nil
        }
    }
}
