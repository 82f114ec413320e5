import WhyDeniedRunbook

/// A read of a resource's policy that failed: the command as the operator saw it and why it
/// failed (whydenied's own AccessDenied, no connection, a service error, output that is not a
/// policy). An answer such as `NoSuchBucketPolicy` is not a failed read: it says there is none.
///
/// ```swift
/// FailedPolicyRead(read: "aws s3api get-bucket-policy --bucket analytics-data-bucket",
///                  reason: "no connection to the AWS endpoint …")
/// ```
public struct FailedPolicyRead: Sendable, Equatable {
    public var read: String
    public var reason: String

    public init(read: String, reason: String) {
        self.read = read
        self.reason = reason
    }

    public init(argv: [String], reason: String) {
        self.init(read: ArgvDisplay.line(argv), reason: reason)
    }

    /// The resource-policy captures `command` fills (`resource_policy`, `key_policy`, …).
    static func policyCaptures(of command: ProposedCommand) -> [String] {
        let names = Set(CapturedAccount.resourcePolicyCaptures.map(\.capture))
        return command.captures.map(\.name).filter(names.contains)
    }
}
