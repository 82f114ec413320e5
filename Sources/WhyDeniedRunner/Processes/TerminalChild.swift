#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a program in the foreground of our terminal and waits for it, as `system(3)` does but
/// without a shell: stdin, stdout and stderr are inherited, the child stays in our process group
/// (so it owns the terminal with us), its signal handlers start at their defaults, and while it
/// runs we ignore SIGINT and SIGQUIT so Ctrl-C reaches only the child. Used by `whydenied demo` to
/// open the guided session (`whydenied guide …`) as a child and stop the sandbox after it.
///
/// ```swift
/// let status = TerminalChild.run(executable: "/proc/self/exe", arguments: ["guide", "--sandbox"],
///                                environment: ProcessInfo.processInfo.environment)
/// ```
public enum TerminalChild {
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case notStarted(String)
    }

    /// The running executable's own path (`/proc/self/exe` resolved), else argv[0].
    public static func ownExecutablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// `started` gets the child's pid as soon as it runs (to forward SIGTERM/SIGHUP to it).
    public static func run(executable: String, arguments: [String], environment: [String: String],
                           started: (pid_t) -> Void = { _ in }) -> Ending {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        configureSpawnAttributes(&attributes, ownProcessGroup: false)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        inheritOnlyStandardStreams(&actions)

        // Saved and restored whole (handler, flags, mask): a dispatch signal source's handler
        // must come back exactly as it was.
        var previousInterrupt = sigaction()
        var previousQuit = sigaction()
        sigaction(SIGINT, nil, &previousInterrupt)
        sigaction(SIGQUIT, nil, &previousQuit)
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        defer {
            sigaction(SIGINT, &previousInterrupt, nil)
            sigaction(SIGQUIT, &previousQuit, nil)
        }
        let argv = [executable] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvp) }
        }
        guard status == 0 else { return .notStarted("\(executable): \(String(cString: strerror(status)))") }
        started(pid)
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 {
            if errno != EINTR { return .notStarted("waitpid: \(String(cString: strerror(errno)))") }
        }
        let low = waitStatus & 0x7f
        if low == 0 { return .exited((waitStatus >> 8) & 0xff) }
        return .signalled(low)
    }

    private static func withCStrings<Result>(_ strings: [String],
                                             _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
