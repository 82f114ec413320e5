/// A policy that applies to the request but whose document is not known: the read that should
/// have fetched it failed (whydenied's own AccessDenied, no connection, a service error), or it
/// was not given at all. It is its own state, distinct from "there is no such policy"
/// (`NoSuchBucketPolicy` is an answer: the slot is simply empty).
///
/// The evaluator never treats it as allowing or as silent: the verdict is Undecided, naming the
/// policy and the failed read, unless the request is decided whatever the policy says (see
/// `UnreadPolicyResolution`).
///
/// ```swift
/// policies.unreadPolicies = [UnreadPolicy(type: .resourceBased, name: "bucket policy of reports",
///     failedRead: "aws s3api get-bucket-policy --bucket reports",
///     reason: "no connection: Could not connect to the endpoint URL")]
/// ```
public struct UnreadPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The resource side (`.resourceBased`, `.kmsKeyPolicy`, `.roleTrustPolicy`) or the caller's
    /// (`.permissionsBoundary`, `.identityBased`, `.sessionPolicy`). An unread identity policy
    /// may stand for a set whose members are unknown ("managed policies attached to role App").
    public var type: PolicyType
    public var name: String
    /// The command that failed, as shown to the operator; nil when no read was made.
    public var failedRead: String?
    /// Why it failed, or why the policy is missing.
    public var reason: String
    /// SCPs and RCPs: the account whose organization path they are on; nil for the caller's.
    public var account: String?

    public init(type: PolicyType, name: String, failedRead: String? = nil, reason: String, account: String? = nil) {
        self.type = type
        self.name = name
        self.failedRead = failedRead
        self.reason = reason
        self.account = account
    }

    /// How the SCPs or RCPs on an account's organization path are named, read or not
    /// ("RCPs on the path of account 111122223333").
    public static func organizationPathName(_ type: PolicyType, of account: String) -> String {
        "\(type == .serviceControlPolicy ? "SCP" : "RCP")s on the path of account \(account)"
    }

    /// The SCPs or RCPs of an account whose organization path the evidence does not hold.
    public static func organizationPath(_ type: PolicyType, of account: String, holding: String?) -> UnreadPolicy {
        let short = type == .serviceControlPolicy ? "SCP" : "RCP"
        let whose = type == .serviceControlPolicy ? "the caller's" : "the resource's"
        return UnreadPolicy(type: type, name: organizationPathName(type, of: account),
                            reason: "\(whose) account \(account) is not the account read (\(holding ?? "?")); its organization's \(short)s are read "
                                + "from that organization's management account or a delegated administrator",
                            account: account)
    }

    public var reference: PolicyReference { PolicyReference(type: type, name: name) }

    /// `resource-based policy "bucket policy of reports" could not be read (aws s3api
    /// get-bucket-policy --bucket reports failed: no connection …)`.
    public var description: String { "\(reference) \(problem)" }

    /// `could not be read (… failed: …)` or `was not given (…)`.
    public var problem: String {
        if let failedRead { return "could not be read (\(failedRead) failed: \(reason))" }
        return "was not given (\(reason))"
    }
}
