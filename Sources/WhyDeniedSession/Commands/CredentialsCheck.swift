/// The session's credentials did not work (none found, expired, rejected, an unknown profile):
/// what the operator sees instead of a dead end. It says what is missing in operator words,
/// offers the CLI's configured profiles to check again with, and names the demo, which needs
/// no AWS account.
///
/// ```swift
/// let failure = CommandFailure.credentials(.missing, message: "Unable to locate credentials.")
/// let check = CredentialsCheck(after: failure, profile: nil, stepID: "verify_dependencies",
///                              profiles: ["audit", "dev"])
/// check?.headline   // "No AWS credentials: the AWS CLI found none for the default profile …"
/// ```
public struct CredentialsCheck: Hashable, Sendable {
    public var problem: CommandFailure.CredentialProblem
    /// The CLI's own line about it (already redacted by the caller).
    public var detail: String
    /// The profile the failed check ran with; nil is the CLI's default chain.
    public var profile: String?
    /// The step to check again (its halted command is proposed anew).
    public var stepID: String
    /// Profiles the CLI knows (`aws configure list-profiles`, or its files' sections).
    public var profiles: [String]

    /// Nil unless `failure` is about the credentials themselves: an access denial, a throttle or
    /// an unreachable endpoint is not helped by another profile.
    public init?(after failure: CommandFailure?, profile: String?, stepID: String, profiles: [String]) {
        guard case .credentials(let problem, let message) = failure else { return nil }
        self.problem = problem
        self.detail = message
        self.profile = profile
        self.stepID = stepID
        self.profiles = profiles
    }

    /// Whether another profile or refreshed credentials could help with `failure`.
    public static func applies(to failure: CommandFailure?) -> Bool {
        if case .credentials = failure { return true }
        return false
    }

    private var whose: String { profile.map { "profile \($0)" } ?? "the default profile" }

    /// What is wrong, in the operator's words.
    public var headline: String {
        switch problem {
        case .missing:
            "No AWS credentials: the AWS CLI found none for \(whose) (no access keys in the environment or its files, no SSO or role set up)."
        case .expired:
            "The AWS credentials of \(whose) have expired."
        case .ssoExpired:
            "The SSO session of \(whose) has expired."
        case .invalid:
            "AWS rejected the credentials of \(whose) as invalid."
        case .profileNotFound:
            "The AWS CLI has no profile named \(profile ?? "(default)")."
        }
    }

    /// What the operator can do about it outside whydenied, then come back with `r`.
    public var remedy: String {
        let name = profile ?? "<profile>"
        switch problem {
        case .missing, .invalid:
            return "Set credentials up (`aws configure`, `aws configure sso`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or pick a profile below."
        case .expired:
            return "Refresh them (`aws sso login --profile \(name)`, a new session token or new keys), or pick a profile below."
        case .ssoExpired:
            return "Run `aws sso login --profile \(name)` in another terminal, or pick a profile below."
        case .profileNotFound:
            return "Pick one of the configured profiles below, or add it to ~/.aws/config."
        }
    }

    /// The line that says where to go without any credentials.
    public static let demoHint = "No AWS account at hand? `whydenied demo` walks a denied request in a local sandbox."
}
