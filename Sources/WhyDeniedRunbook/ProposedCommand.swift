import WhyDeniedJSON

/// A command the engine wants run next, fully resolved: `argv` is final (no shell, no further
/// substitution) and everything the runner needs to run it safely travels with it.
///
/// ```swift
/// if case .command(let command) = engine.next() {
///     command.id     // "check_iam.get_managed_policy#2"
///     command.argv   // ["aws", "iam", "get-policy", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"]
/// }
/// ```
public struct ProposedCommand: Sendable, Equatable, Identifiable {
    /// Stable id: `step.command`, with `#n` (1-based) for the n-th `foreach` item.
    public let id: String
    public let stepID: String
    public let commandID: String
    /// 1-based position in the `foreach` list, nil outside a loop.
    public let iteration: Int?
    /// The `foreach` item this run is for.
    public let item: JSONValue?
    public private(set) var argv: [String]
    public let why: String
    public private(set) var mutates: Bool
    public let parser: String?
    public let timeoutSeconds: Int
    /// Environment from the runbook's defaults (e.g. `AWS_PAGER=""`).
    public let environment: [String: String]
    public let pagination: Pagination?
    public let rateLimitPerSecond: Double?
    /// Error codes meaning "source unavailable here"; the engine then tries the next command.
    public let fallbackOn: [String]
    /// Error codes that are an answer, not a failure (e.g. `NoSuchBucketPolicy`).
    public let answeredBy: [String]
    /// What `record` will capture; `from: parser` captures are expected in `parserCaptures`.
    public let captures: [CaptureSpec]
    /// Named checks the caller must pass before offering the command.
    public let preconditions: [String]
    /// Keep the output as a backup of what is about to change.
    public let backup: Bool
    /// Re-run until a terminal state (`poll:`); the runner does it under one confirmation.
    public let polling: Polling?
    /// Whose credentials run it (`account:`): the resource owner's for its policy reads.
    public private(set) var account: CommandAccount = .caller

    /// The same command run with an AWS CLI profile (`--profile NAME` added to the argv, where the
    /// operator sees it; one the runbook already set is kept).
    public func runningWith(profile: String) -> ProposedCommand {
        guard !argv.contains("--profile") else { return self }
        var copy = self
        copy.argv = argv + ["--profile", profile]
        return copy
    }

    /// The same command treated as a change: the classifier found it mutating although its
    /// runbook did not say `mutates: true` (a placeholder resolved into something else, or a
    /// runbook loaded without the check).
    public func markedMutating() -> ProposedCommand {
        var copy = self
        copy.mutates = true
        return copy
    }
}

/// A named Swift analysis the caller should run now, then report with `recordAnalysis`.
public struct AnalysisRequest: Sendable, Equatable {
    public let stepID: String
    public let name: String
}

/// Tools whose presence on PATH the caller should check (without running them), then report with
/// `recordToolCheck`.
public struct ToolCheckRequest: Sendable, Equatable {
    public let stepID: String
    public let tools: [String]
}

/// A command that can't be resolved (e.g. a fact nobody supplied); `skip(command:reason:)` moves on.
public struct BlockedCommand: Sendable, Equatable {
    public let id: String
    public let stepID: String
    public let commandID: String
    public let reason: String
}

/// A step failed under `on_failure: stop`; `retryCurrent()`, `skip(command:)`, `skipStep`,
/// `rerunStep` or `stop()` decide what happens next.
public struct Halt: Sendable, Equatable {
    public let stepID: String
    /// The proposal id the run halted on (a command id, or `step@checks` / `step@analysis`).
    public let at: String
    public let reason: String
}

/// What to do next.
public enum Proposal: Sendable, Equatable {
    case checkTools(ToolCheckRequest)
    case command(ProposedCommand)
    case analysis(AnalysisRequest)
    case blocked(BlockedCommand)
    case halted(Halt)
    case finished(Completion)
}

public enum Completion: Sendable, Equatable {
    case completed
    case stoppedByOperator
}

/// Where a step stands.
public enum StepState: Sendable, Equatable {
    case pending
    case active
    case completed
    /// Finished, but some commands failed under `on_failure: continue`.
    case completedWithFailures
    case failed(String)
    case skipped(String)
    /// Its `when` condition was false.
    case notApplicable
}

/// The result of running a proposed command, as the caller hands it back.
///
/// ```swift
/// CommandResult(commandID: command.id, exitStatus: 0, output: try JSONValue.parse(stdout))
/// CommandResult(commandID: command.id, exitStatus: 254, errorCode: AWSErrorCode.find(in: stderr))
/// ```
public struct CommandResult: Sendable, Equatable {
    public var commandID: String
    public var exitStatus: Int32
    /// stdout parsed as JSON, when it was JSON.
    public var output: JSONValue?
    /// The AWS error code, e.g. `AccessDenied` (see `AWSErrorCode.find(in:)`).
    public var errorCode: String?
    /// Values the command's named parser produced, keyed by capture name.
    public var parserCaptures: [String: JSONValue]
    /// The operator stopped the command while it ran: one source of a `first_success` step is
    /// then passed over for the next, as an unavailable one is.
    public var cancelledByOperator: Bool

    public init(commandID: String, exitStatus: Int32, output: JSONValue? = nil, errorCode: String? = nil,
                parserCaptures: [String: JSONValue] = [:], cancelledByOperator: Bool = false) {
        self.commandID = commandID
        self.exitStatus = exitStatus
        self.output = output
        self.errorCode = errorCode
        self.parserCaptures = parserCaptures
        self.cancelledByOperator = cancelledByOperator
    }
}

/// One line of the engine's history: what was proposed and what became of it.
public struct CommandRecord: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case succeeded
        /// Failed with an error code listed in `answered_by`: an answer such as "no policy".
        case answered(String)
        /// Failed with a `fallback_on` code; the next source was tried.
        case fellBack(String)
        case failed(String?)
        case skipped(String)
    }
    public let id: String
    public let stepID: String
    public let argv: [String]
    public let result: Result
}

/// Misuse of the engine: recording something that isn't what it proposed.
public enum StepEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case notProposed(expected: String?, got: String)
    case unknownStep(String)
    case stepAlreadyDone(String)

    public var description: String {
        switch self {
        case .notProposed(let expected, let got):
            "\(got) is not what the engine proposed" + (expected.map { " (it proposed \($0))" } ?? "")
        case .unknownStep(let id): "no step \"\(id)\""
        case .stepAlreadyDone(let id): "step \"\(id)\" is already behind; use rerunStep"
        }
    }
}
