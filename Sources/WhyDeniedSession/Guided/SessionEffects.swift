/// Everything a guided session asks of the outside world: run a command, and say whether a tool
/// is on PATH (without running it). The live runner implements it; tests and the TUI's previews
/// use fakes.
///
/// ```swift
/// struct Offline: SessionEffects {
///     func run(_ request: CommandRequest) async -> CommandOutcome { … }
///     func isToolAvailable(_ name: String) async -> Bool { name == "aws" }
/// }
/// ```
public protocol SessionEffects: CommandEffects {
    func isToolAvailable(_ name: String) async -> Bool
}
