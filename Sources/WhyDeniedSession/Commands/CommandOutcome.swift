/// What running one `CommandRequest` produced: the argv as run (with the session's global options,
/// `aws` as the first element rather than its full path), captured output, exit, duration, and
/// the classified failure if it failed.
///
/// ```swift
/// if let failure = outcome.failure { print(failure.operatorMessage) }
/// else { let json = outcome.stdout }
/// ```
public struct CommandOutcome: Sendable, Equatable {
    public var argv: [String]
    public var stdout: String
    public var stderr: String
    public var ending: CommandEnding
    public var durationMilliseconds: Int
    /// Process starts for this request, retries and pages included.
    public var attempts: Int
    /// Pages read and whether the page bound stopped us while more were available.
    public var pagesRead: Int
    public var morePagesAvailable: Bool
    public var failure: CommandFailure?

    public init(argv: [String], stdout: String = "", stderr: String = "", ending: CommandEnding,
                durationMilliseconds: Int = 0, attempts: Int = 1, pagesRead: Int = 1,
                morePagesAvailable: Bool = false, failure: CommandFailure? = nil) {
        self.argv = argv
        self.stdout = stdout
        self.stderr = stderr
        self.ending = ending
        self.durationMilliseconds = durationMilliseconds
        self.attempts = attempts
        self.pagesRead = pagesRead
        self.morePagesAvailable = morePagesAvailable
        self.failure = failure
    }

    public var succeeded: Bool { failure == nil }
    public var exitCode: Int32? {
        if case .exited(let code) = ending { return code }
        return nil
    }
}

/// How the process ended.
public enum CommandEnding: Sendable, Equatable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
    case cancelled
    /// The process never started (CLI missing, no recorded answer in a replay, …).
    case notStarted(String)
}
