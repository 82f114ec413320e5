import WhyDeniedAnalysis

/// The runbook's reads of the principal's own side (step `check_iam`) by the capture each fills,
/// with what a failed one leaves unknown: the permissions boundary, or some identity policies.
/// A failed list call leaves the whole set it enumerates unknown ("managed policies attached to
/// role App"); a failed read of one document leaves that policy unknown. `CapturedAccount` turns
/// each failed read into an `UnreadPolicy` of the principal.
///
/// ```swift
/// PrincipalPolicyReads.unreadPolicy(for: read, holder: "role OrderProcessorRole")
/// // permissions boundary "OrderProcessorBoundary" could not be read (aws iam get-policy-version …)
/// ```
enum PrincipalPolicyReads {
    struct Read: Sendable {
        let type: PolicyType
        /// Names what is unknown, from the holder ("role App") and the read's foreach item.
        let name: @Sendable (_ holder: String, _ item: [String]) -> String
    }

    static let table: [String: Read] = [
        // get-user / get-role: whether there is a boundary, and which.
        "user_boundary_arns": Read(type: .permissionsBoundary) { holder, _ in "permissions boundary of \(holder), if it has one" },
        "role_boundary_arns": Read(type: .permissionsBoundary) { holder, _ in "permissions boundary of \(holder), if it has one" },
        "boundary_versions": Read(type: .permissionsBoundary) { holder, item in policyName(item) ?? "permissions boundary of \(holder)" },
        "boundary_policies": Read(type: .permissionsBoundary) { holder, item in policyName(item) ?? "permissions boundary of \(holder)" },
        // The user's or role's own policies.
        "attached_user_policy_arns": Read(type: .identityBased) { holder, _ in "managed policies attached to \(holder)" },
        "attached_role_policy_arns": Read(type: .identityBased) { holder, _ in "managed policies attached to \(holder)" },
        "user_inline_policy_names": Read(type: .identityBased) { holder, _ in "inline policies of \(holder)" },
        "role_inline_policy_names": Read(type: .identityBased) { holder, _ in "inline policies of \(holder)" },
        "identity_policies": Read(type: .identityBased) { holder, item in "inline policy \(item.first ?? "?") of \(holder)" },
        "role_policies": Read(type: .identityBased) { holder, item in "inline policy \(item.first ?? "?") of \(holder)" },
        // The user's groups and theirs.
        "group_names": Read(type: .identityBased) { holder, _ in "groups of \(holder) and their policies" },
        "attached_group_policy_arns": Read(type: .identityBased) { _, item in "managed policies attached to group \(item.first ?? "?")" },
        "group_inline_policies": Read(type: .identityBased) { _, item in "inline policies of group \(item.first ?? "?")" },
        "group_policies": Read(type: .identityBased) { _, item in
            "inline policy \(item.dropFirst().first ?? "?") of group \(item.first ?? "?")"
        },
        // Managed policies of any of them: get-policy (default version) and get-policy-version.
        "managed_policy_versions": Read(type: .identityBased) { _, item in policyName(item) ?? "a managed policy" },
        "managed_policies": Read(type: .identityBased) { _, item in policyName(item) ?? "a managed policy" },
    ]

    static var captures: Set<String> { Set(table.keys) }

    /// A managed policy named as a successful read names it: the last part of its ARN.
    static func policyName(_ item: [String]) -> String? {
        item.first.flatMap { $0.split(separator: "/").last.map(String.init) }
    }

    static func unreadPolicy(for read: FailedPolicyRead, holder: String) -> UnreadPolicy? {
        guard let entry = table[read.capture] else { return nil }
        return UnreadPolicy(type: entry.type, name: entry.name(holder, read.item), failedRead: read.read, reason: read.reason)
    }
}
