/// Why an `aws` command failed, in the terms the operator acts on. Classified from the CLI's own
/// text (stderr) and exit, so it works the same for CLI v1 and v2 and for recorded runs.
///
/// ```swift
/// let failure = CommandFailure.classify(
///     stderr: "An error occurred (ThrottlingException) when calling the LookupEvents operation: Rate exceeded",
///     exitCode: 254, argv: ["aws", "cloudtrail", "lookup-events"])
/// failure == .throttled(message: "Rate exceeded")   // true; the runner retries it
/// ```
public enum CommandFailure: Sendable, Equatable {
    /// Our own read was refused: the caller lacks `action`.
    case permissionDenied(action: String?, message: String)
    case throttled(message: String)
    case credentials(CredentialProblem, message: String)
    /// The source cannot answer here (unknown operation, not implemented, HTTP 5xx): the
    /// runbook falls back to its next source, if the step has one (the runbook says so, not this).
    case sourceUnavailable(reason: String)
    /// No answer from the endpoint at all (connection refused, connect or read timeout): moto or
    /// AWS stopped answering, so every later command would fail alike. Not a source outage.
    case endpointUnreachable(detail: String)
    /// The thing asked about does not exist (`NoSuchBucketPolicy`, `NoSuchEntity`, …): often a finding.
    case notFound(code: String, message: String)
    /// The CLI or the service rejected the request itself (bad parameter, usage error).
    case invalidRequest(message: String)
    case cliMissing(searched: String)
    case cliTooOld(found: String, minimum: String)
    case timedOut(seconds: Double)
    case cancelled
    case failed(code: String?, message: String)

    public enum CredentialProblem: String, Sendable, Equatable {
        case expired, invalid, missing, ssoExpired, profileNotFound
    }

    public var isRetryable: Bool {
        if case .throttled = self { return true }
        return false
    }

    /// True when the runbook should try its next source instead of stopping.
    public var meansSourceUnavailable: Bool {
        if case .sourceUnavailable = self { return true }
        return false
    }

    /// The service error code, when the CLI printed one (for `fallback_on` / `on_error` matching).
    public var errorCode: String? {
        switch self {
        case .notFound(let code, _): return code
        case .failed(let code, _): return code
        default: return nil
        }
    }

    /// One or two sentences the operator can act on.
    public var operatorMessage: String {
        switch self {
        case .permissionDenied(let action, let message):
            let what = action.map { "your credentials lack \($0)" } ?? "your credentials lack permission for this read"
            return "AccessDenied on whydenied's own read: \(what). Ask for that read permission or run as an identity that has it. (\(message))"
        case .throttled(let message):
            return "AWS throttled the request (\(message)); retried with back-off and gave up after the last attempt."
        case .credentials(let problem, let message):
            switch problem {
            case .expired:
                return "Your AWS credentials have expired (\(message)). Refresh them: `aws sso login --profile <profile>` for SSO profiles, or get a new session token / access keys and retry."
            case .ssoExpired:
                return "Your AWS SSO session has expired (\(message)). Run `aws sso login --profile <profile>` and retry."
            case .invalid:
                return "AWS rejected your credentials as invalid (\(message)). Check the access key / secret (`aws configure`) or the profile, or create new keys."
            case .missing:
                return "The AWS CLI found no credentials (\(message)). Run `aws configure`, `aws sso login`, or pass --profile."
            case .profileNotFound:
                return "The AWS CLI does not know this profile (\(message)). Check --profile against ~/.aws/config."
            }
        case .sourceUnavailable(let reason):
            return "This source is unavailable here (\(reason))."
        case .endpointUnreachable(let detail):
            return "The endpoint stopped answering (\(detail)). Check that it is up and reachable "
                + "(the sandbox still running, the network, a proxy); the commands after this one will fail the same way."
        case .notFound(let code, let message):
            return "\(code): \(message)"
        case .invalidRequest(let message):
            return "The request was rejected: \(message)"
        case .cliMissing(let searched):
            return "The `aws` CLI was not found (searched \(searched)). Install it: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html (or `pip install awscli`)."
        case .cliTooOld(let found, let minimum):
            return "The `aws` CLI is too old (\(found); need \(minimum) or newer). Upgrade it."
        case .timedOut(let seconds):
            return "The command did not finish within \(Self.format(seconds)) s and was stopped."
        case .cancelled:
            return "The command was cancelled."
        case .failed(let code, let message):
            return code.map { "\($0): \(message)" } ?? message
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
