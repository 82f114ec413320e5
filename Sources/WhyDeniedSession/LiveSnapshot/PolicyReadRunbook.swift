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

    public static func slice(_ runbook: Runbook) throws(MissingSteps) -> Runbook {
        let missing = stepIDs.filter { runbook.step($0) == nil }
        guard missing.isEmpty else { throw MissingSteps(missing: missing) }
        var reads = runbook
        reads.steps = runbook.steps.filter { stepIDs.contains($0.id) || optionalStepIDs.contains($0.id) }
        return reads
    }
}
