#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A long-running child (the moto server) started with `posix_spawn` in its own process group,
/// stdin from /dev/null (or, with `lifeline`, from a pipe whose only writer is this process, so a
/// child that watches its stdin ends when we do, even killed by SIGKILL) and output appended to a
/// log file. `stop()` ends it by its own pid (SIGTERM to its group, SIGKILL after a grace period)
/// and reaps it; calling it twice is harmless.
///
/// ```swift
/// let server = try BackgroundProcess.start(executable: "/usr/local/bin/moto_server",
///                                          arguments: ["-H", "127.0.0.1", "-p", "5123"],
///                                          environment: [:], logPath: "/tmp/moto.log")
/// defer { server.stop() }
/// ```
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    public let logPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?
    /// The lifeline's write end: never written, closed when we stop or die.
    private var lifelineWriter: Int32?

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(pid: pid_t, logPath: String, lifelineWriter: Int32?) {
        self.pid = pid
        self.logPath = logPath
        self.lifelineWriter = lifelineWriter
    }

    public static func start(executable: String, arguments: [String], environment: [String: String],
                             logPath: String, lifeline: Bool = false) throws(StartError) -> BackgroundProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var lifelinePipe: [Int32] = [-1, -1]
        if lifeline {
            // Both ends close-on-exec: no other child inherits the writer; dup2 onto 0 gives the
            // child its reader.
            guard makeCloseOnExecPipe(&lifelinePipe) else {
                throw StartError(description: "could not make a pipe: \(String(cString: strerror(errno)))")
            }
            posix_spawn_file_actions_adddup2(&actions, lifelinePipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        inheritOnlyStandardStreams(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        configureSpawnAttributes(&attributes, ownProcessGroup: true)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = argv.withUnsafeBufferPointer { cArgv in
            envp.withUnsafeBufferPointer { cEnvp in
                posix_spawn(&pid, executable, &actions, &attributes, cArgv.baseAddress!, cEnvp.baseAddress!)
            }
        }
        if lifeline { close(lifelinePipe[0]) }
        guard status == 0 else {
            if lifeline { close(lifelinePipe[1]) }
            throw StartError(description: "could not start \(executable): \(String(cString: strerror(status)))")
        }
        return BackgroundProcess(pid: pid, logPath: logPath, lifelineWriter: lifeline ? lifelinePipe[1] : nil)
    }

    /// True while the process has not exited (reaps it if it has).
    public var isRunning: Bool {
        lock.withLock {
            guard exitStatus == nil else { return false }
            var status: Int32 = 0
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited == -1 && errno == ECHILD) {
                exitStatus = status
                return false
            }
            return true
        }
    }

    public func stop(grace: Duration = .seconds(3)) {
        lock.withLock {
            if let writer = lifelineWriter {
                close(writer)
                lifelineWriter = nil
            }
            guard exitStatus == nil else { return }
            kill(-pid, SIGTERM)
            let clock = ContinuousClock()
            let deadline = clock.now + grace
            var status: Int32 = 0
            while true {
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid || (waited == -1 && errno == ECHILD) { break }
                if clock.now >= deadline {
                    kill(-pid, SIGKILL)
                    _ = waitpid(pid, &status, 0)
                    break
                }
                usleep(20_000)
            }
            // Helpers it forked into its group go too.
            kill(-pid, SIGKILL)
            exitStatus = status
        }
    }

    deinit { stop(grace: .milliseconds(500)) }
}
