/// Whether a command changes the account, and the reason in the operator's words. A command is
/// read-only only when that is proven; everything else is a change and goes through the change
/// dialog.
///
/// ```swift
/// classifier.classify(["aws", "iam", "list-users"])
/// // CommandClassification(mutates: false, reason: "iam:ListUsers is List in the action catalog")
/// classifier.classify(["aws", "s3", "mb", "s3://new-bucket"])
/// // CommandClassification(mutates: true, reason: "aws s3 mb creates a bucket")
/// ```
public struct CommandClassification: Sendable, Hashable, CustomStringConvertible {
    public let mutates: Bool
    public let reason: String

    public static func readOnly(_ reason: String) -> CommandClassification {
        CommandClassification(mutates: false, reason: reason)
    }

    public static func mutating(_ reason: String) -> CommandClassification {
        CommandClassification(mutates: true, reason: reason)
    }

    public init(mutates: Bool, reason: String) {
        self.mutates = mutates
        self.reason = reason
    }

    public var description: String { (mutates ? "changes the account: " : "read-only: ") + reason }
}

/// Decides whether an argv changes the account. The runbook module checks `mutates:` with it but
/// does not own the rule, which needs the IAM action catalog (see the session module's
/// `CommandClassifier`); the loader takes one injected.
public protocol CommandClassifying: Sendable {
    func classify(_ argv: [String]) -> CommandClassification
}
