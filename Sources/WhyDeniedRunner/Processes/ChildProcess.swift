#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import WhyDeniedSession

/// Spawns one child with `posix_spawn` (argv array, no shell) in its own process group, stdin from
/// /dev/null, stdout and stderr captured. A timeout or the calling task's cancellation sends
/// SIGTERM to the whole group, then SIGKILL after `terminationGrace`; the child is always reaped.
/// Both hold over reading the output too: a descendant that left the group (`setsid`) and keeps
/// the pipe open is not waited for past the deadline (reading stops after the grace).
///
/// ```swift
/// let exit = await ChildProcess.run(executable: "/usr/local/bin/aws",
///                                   arguments: ["sts", "get-caller-identity"],
///                                   environment: ProcessInfo.processInfo.environment,
///                                   timeout: .seconds(60))
/// ```
public struct ChildProcess: ProcessLauncher {
    public var terminationGrace: Duration

    public init(terminationGrace: Duration = .seconds(2)) {
        self.terminationGrace = terminationGrace
    }

    public func launch(executable: String, arguments: [String], environment: [String: String],
                       timeout: Duration) async -> ProcessExit {
        await Self.run(executable: executable, arguments: arguments, environment: environment,
                       timeout: timeout, terminationGrace: terminationGrace)
    }

    public static func run(executable: String, arguments: [String], environment: [String: String],
                           timeout: Duration, terminationGrace: Duration = .seconds(2)) async -> ProcessExit {
        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Int { Self.milliseconds(clock.now - started) }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard makeCloseOnExecPipe(&outPipe) else {
            return ProcessExit(stdout: "", stderr: "", ending: .notStarted("pipe failed: \(String(cString: strerror(errno)))"), durationMilliseconds: 0)
        }
        guard makeCloseOnExecPipe(&errPipe) else {
            close(outPipe[0]); close(outPipe[1])
            return ProcessExit(stdout: "", stderr: "", ending: .notStarted("pipe failed: \(String(cString: strerror(errno)))"), durationMilliseconds: 0)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        inheritOnlyStandardStreams(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so a timeout can kill the CLI and anything it started), default
        // signal handlers and an empty mask whatever the parent has set.
        configureSpawnAttributes(&attributes, ownProcessGroup: true)

        let argv = [executable] + arguments
        let envp = environment.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var spawnStatus: Int32 = 0
        // ETXTBSY: a script written an instant ago can still be open in a child another thread
        // is spawning (until that child's exec closes it); it clears within milliseconds.
        let attempts = 20
        for attempt in 1...attempts {
            spawnStatus = withCStringArray(argv) { cArgv in
                withCStringArray(envp) { cEnvp in
                    posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvp)
                }
            }
            guard spawnStatus == ETXTBSY, attempt < attempts else { break }
            usleep(UInt32(min(attempt, 5)) * 20_000)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawnStatus == 0 else {
            close(outPipe[0]); close(errPipe[0])
            return ProcessExit(stdout: "", stderr: "",
                               ending: .notStarted("could not start \(executable): \(String(cString: strerror(spawnStatus)))"),
                               durationMilliseconds: elapsed())
        }

        let stdoutDrain = PipeDrain(descriptor: outPipe[0])
        let stderrDrain = PipeDrain(descriptor: errPipe[0])

        // Done when the child is reaped and both pipes are read to their end. A descendant that
        // left the group (setsid) may keep a pipe open for ever: the deadline and cancellation
        // hold over the reading too, and after the kill's grace we stop reading.
        var status: Int32 = 0
        var reaped = false
        var stopReason: CommandEnding?
        var killDeadline: ContinuousClock.Instant?
        var sentKill = false
        let deadline = started + timeout
        while !(reaped && stdoutDrain.isFinished && stderrDrain.isFinished) {
            if !reaped {
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid || (waited == -1 && errno != EINTR) {
                    reaped = true
                    // Anything the CLI left behind in its group would hold our pipes open: end it.
                    kill(-pid, SIGKILL)
                    continue
                }
            }
            let now = clock.now
            if stopReason == nil {
                if Task.isCancelled { stopReason = .cancelled } else if now >= deadline { stopReason = .timedOut }
                // Once reaped, the group was already ended (and its id may be reused): no signal.
                if stopReason != nil {
                    if !reaped { kill(-pid, SIGTERM) }
                    killDeadline = now + terminationGrace
                }
            } else if !sentKill, let killDeadline, now >= killDeadline {
                if !reaped { kill(-pid, SIGKILL) }
                sentKill = true
                stdoutDrain.stop()
                stderrDrain.stop()
            }
            if Task.isCancelled {
                usleep(10_000)
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }

        let stdout = String(decoding: stdoutDrain.bytes, as: UTF8.self)
        let stderr = String(decoding: stderrDrain.bytes, as: UTF8.self)
        let ending: CommandEnding
        if let stopReason {
            ending = stopReason
        } else if status & 0x7f == 0 {
            ending = .exited((status >> 8) & 0xff)
        } else {
            ending = .signalled(status & 0x7f)
        }
        return ProcessExit(stdout: stdout, stderr: stderr, ending: ending, durationMilliseconds: elapsed())
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// `strings` as a NULL-terminated C array (argv, envp) for the length of `body`.
func withCStringArray<Result>(_ strings: [String],
                                      _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
