import WhyDeniedRunbook

/// What the guided session wants done next. A driver (headless loop or TUI) performs it and
/// reports back to `GuidedSession`.
///
/// ```swift
/// switch session.nextStep() {
/// case .run(let command, let request): session.record(await effects.run(request), for: command)
/// …
/// }
/// ```
public enum SessionStep: Sendable, Equatable {
    case checkTools(ToolCheckRequest)
    /// A read-only command, or a mutating one the operator may confirm (never in headless runs).
    case run(ProposedCommand, CommandRequest)
    /// A mutating command in a read-only session: shown, never run.
    case refuseMutation(ProposedCommand)
    case analyse(AnalysisRequest)
    case blocked(BlockedCommand)
    case halted(Halt)
    case finished(Completion)
}

/// One line of the session's transcript: a command and what came of it.
public struct TranscriptEntry: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case ran(CommandOutcome)
        case refused(reason: String)
        case skipped(reason: String)
    }

    public var commandID: String
    public var stepID: String
    public var argv: [String]
    public var mutates: Bool
    public var result: Result
}
