import WhyDeniedRunbook

/// The runbook's policy reads, and nothing else: its `check_iam` and `check_resource_policies`
/// steps. `snapshot` and `analyze --live` run these, so a batch reads an account with the very
/// commands (and `answered_by` codes, parsers and captures) a guided session uses: one list.
///
/// ```swift
/// let reads = try PolicyReadRunbook.slice(runbook)   // steps: check_iam, check_resource_policies
/// ```
public enum PolicyReadRunbook {
    public static let stepIDs = ["check_iam", "check_resource_policies"]
    /// Read too when the runbook has it: the policy of the VPC endpoint a request came through,
    /// and the RCPs on the path of another account that owns a resource read.
    public static let optionalStepIDs = ["check_vpc_endpoint_policy", "check_resource_account_rcps"]

    public struct MissingSteps: Error, CustomStringConvertible {
        public let missing: [String]
        public var description: String {
            "the runbook has no step \(missing.joined(separator: ", ")); snapshot reads need \(PolicyReadRunbook.stepIDs.joined(separator: " and "))"
        }
    }

    /// The `check_iam` reads of a user's or role's own policies, groups and boundary: those one
    /// `get-account-authorization-details` answers for a batch (`IdentityReadCaptures` captures what
    /// they would). A test checks these are every `aws iam` read of the step.
    public static let identityReadIDs = [
        "get_user", "attached_user_policies", "user_inline_policies", "user_inline_policy", "user_groups",
        "attached_group_policies", "group_inline_policies", "group_inline_policy",
        "get_role", "attached_role_policies", "role_inline_policies", "role_inline_policy",
        "managed_policy", "managed_policy_version", "boundary_policy", "boundary_policy_version",
    ]

    /// `reads` without the identity reads: what a principal whose policies are already known still
    /// reads (its organization's SCPs and RCPs, its Identity Center permission set).
    public static func withoutIdentityReads(_ reads: Runbook) -> Runbook {
        without(identityReadIDs, inStep: "check_iam", of: reads)
    }

    /// The `check_resource_policies` reads of a bucket a batch leaves for later
    /// (`DeferredBucketSettings`): Block Public Access of the bucket, and its tags.
    public static let deferredBucketReadIDs = ["bucket_public_access_block", "bucket_tags"]

    /// `reads` without the deferred bucket reads: a batch's first read of each bucket.
    public static func withoutDeferredBucketReads(_ reads: Runbook) -> Runbook {
        without(deferredBucketReadIDs, inStep: "check_resource_policies", of: reads)
    }

    private static func without(_ commandIDs: [String], inStep stepID: String, of reads: Runbook) -> Runbook {
        var kept = reads
        kept.steps = reads.steps.map { step in
            guard step.id == stepID else { return step }
            var step = step
            step.commands = step.commands.filter { !commandIDs.contains($0.id) }
            return step
        }
        return kept
    }

    public static func slice(_ runbook: Runbook) throws(MissingSteps) -> Runbook {
        let missing = stepIDs.filter { runbook.step($0) == nil }
        guard missing.isEmpty else { throw MissingSteps(missing: missing) }
        var reads = runbook
        reads.steps = runbook.steps.filter { stepIDs.contains($0.id) || optionalStepIDs.contains($0.id) }
        return reads
    }
}
