/// The one effect the session needs from the outside world: run a command and hand back the
/// outcome. The live runner, a replay of a recording and test fakes implement it, so the session
/// loop (and the TUI driving it) never touches processes itself.
///
/// ```swift
/// struct Canned: CommandEffects {
///     func run(_ request: CommandRequest) async -> CommandOutcome {
///         CommandOutcome(argv: request.argv, stdout: "{}", ending: .exited(0))
///     }
/// }
/// ```
public protocol CommandEffects: Sendable {
    func run(_ request: CommandRequest) async -> CommandOutcome
}
