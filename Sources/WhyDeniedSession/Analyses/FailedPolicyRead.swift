import WhyDeniedJSON
import WhyDeniedRunbook

/// A read of a policy that failed: the command as the operator saw it and why it failed
/// (whydenied's own AccessDenied, no connection, a service error, output that is not a policy,
/// a read not run). An answer such as `NoSuchBucketPolicy` is not a failed read: it says there
/// is none. Reads of the resource's policy and of the principal's identity policies and boundary
/// (including the list calls that enumerate them) count; for a `foreach` command each item is its
/// own read.
///
/// ```swift
/// FailedPolicyRead(read: "aws s3api get-bucket-policy --bucket analytics-data-bucket",
///                  reason: "no connection to the AWS endpoint …")
/// ```
public struct FailedPolicyRead: Sendable, Equatable {
    public var read: String
    public var reason: String
    /// The capture the read should have filled (`resource_policy`, `boundary_policies`, …).
    public var capture: String
    /// The `foreach` item the read was for, as text: a policy ARN, a group name, or for a
    /// `keep_item` pair both parts (`["Admins", "Inline"]`); empty for a single read.
    public var item: [String]

    public init(read: String, reason: String, capture: String = "", item: [String] = []) {
        self.read = read
        self.reason = reason
        self.capture = capture
        self.item = item
    }

    public init(argv: [String], reason: String, capture: String = "", item: [String] = []) {
        self.init(read: ArgvDisplay.line(argv), reason: reason, capture: capture, item: item)
    }

    /// The key in `GuidedSession.failedPolicyReads`: the capture name, with the item for a
    /// `foreach` read (`boundary_policies arn:aws:iam::…:policy/B v1`).
    public var key: String { ([capture] + item).joined(separator: " ") }

    /// The policy captures `command` fills: a resource's policy (`resource_policy`,
    /// `key_policy`, …) and a key's grants, the principal's (`PrincipalPolicyReads`), its session's (`SessionPolicyReads`) or the
    /// organization's SCPs (`OrganizationPolicyReads`).
    static func policyCaptures(of command: ProposedCommand) -> [String] {
        let names = Set(CapturedAccount.resourcePolicyCaptures).union(PrincipalPolicyReads.captures)
            .union(OrganizationPolicyReads.captures).union(SessionPolicyReads.captures)
            .union([CapturedAccount.endpointPolicyCapture, CapturedAccount.keyGrantsCapture]).union(S3BucketControlReads.captures)
        return command.captures.map(\.name).filter(names.contains)
    }

    /// `command.item` as text: a string, or the `item` and `value` of a `keep_item` pair.
    static func itemText(_ item: JSONValue?) -> [String] {
        guard let item else { return [] }
        if let text = item.scalarText { return [text] }
        if let object = item.objectValue {
            return ["item", "value"].compactMap { object[$0]?.scalarText }
        }
        return [item.serialized()]
    }
}
