import WhyDeniedSession

/// The raw result of one process start: what it printed and how it ended. The runner turns it
/// into a `CommandOutcome` (classification, retries, pages).
///
/// ```swift
/// let exit = await ChildProcess.run(executable: "/usr/bin/true", arguments: [], environment: [:],
///                                   timeout: .seconds(5))
/// exit.ending == .exited(0)
/// ```
public struct ProcessExit: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var ending: CommandEnding
    public var durationMilliseconds: Int

    public init(stdout: String, stderr: String, ending: CommandEnding, durationMilliseconds: Int) {
        self.stdout = stdout
        self.stderr = stderr
        self.ending = ending
        self.durationMilliseconds = durationMilliseconds
    }
}

/// Starts processes. The live implementation spawns real children; replays and tests substitute
/// recorded or scripted answers. `arguments` excludes the executable.
public protocol ProcessLauncher: Sendable {
    func launch(executable: String, arguments: [String], environment: [String: String],
                timeout: Duration) async -> ProcessExit
}
