import CProcessSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drives a real program in a detached tmux session, for end-to-end tests of the terminal UI:
/// `type` sends literal UTF-8 text, `press` sends tmux key names (`F6`, `C-d`, `Enter`),
/// `screenShowing` polls `capture-pane` until the screen shows a text (there is no blocking
/// wait). Each session has its own tmux server socket, so tests never touch the user's tmux,
/// and `close()` kills only that server.
///
/// ```swift
/// let tmux = try TmuxSession(command: [binary], width: 100, height: 30)
/// defer { tmux.close() }
/// try await tmux.screenShowing("Parameters")
/// tmux.press("F10"); tmux.type("y")
/// ```
public final class TmuxSession: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static var isAvailable: Bool {
        (try? TmuxSession.tmux(["-V"], socket: nil)) != nil
    }

    public let socket: String
    public let target = "main"
    /// Where the wrapper script writes `stty -a` before and after the program, and its exit code.
    public let workDirectory: URL

    /// Starts `command` in a `width`x`height` window. The pane runs a small shell script that
    /// records the terminal settings before and after, so tests can check the terminal is sane.
    public init(command: [String], width: Int, height: Int, environment: [String: String] = [:]) throws {
        socket = "whydenied-test-\(UUID().uuidString.prefix(8))"
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let quoted = command.map(Self.shellQuote).joined(separator: " ")
        let exports = environment.sorted { $0.key < $1.key }
            .map { "export \($0.key)=\(Self.shellQuote($0.value))" }.joined(separator: "; ")
        let dir = Self.shellQuote(workDirectory.path)
        // The exit code is written last: a test reads the settings as soon as it sees it.
        let script = """
            \(exports.isEmpty ? "" : exports + ";") stty -a > \(dir)/stty-before.txt; \(quoted); \
            status=$?; stty -a > \(dir)/stty-after.txt; echo $status > \(dir)/exit-code.txt; echo "[program ended]"; sleep 600
            """
        // The server outlives this call and would hold a stdout pipe open forever: no capture here.
        try Self.tmux(["-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)",
                       "sh", "-c", script], socket: socket, captureOutput: false)
    }

    deinit { close() }

    public func close() {
        // kill-server alone left the server running here (tmux 3.3a); ending the session ends it.
        _ = try? Self.tmux(["kill-session", "-t", target], socket: socket)
        _ = try? Self.tmux(["kill-server"], socket: socket)
    }

    /// Literal text, UTF-8 included (é, 日), one key per character as a terminal paste.
    public func type(_ text: String) {
        _ = try? Self.tmux(["send-keys", "-t", target, "-l", text], socket: socket)
    }

    /// tmux key names: `Enter`, `Escape`, `F2`, `C-d`, `Tab`, `BTab`, `PageDown`…
    public func press(_ keys: String...) {
        _ = try? Self.tmux(["send-keys", "-t", target] + keys, socket: socket)
    }

    /// Pastes `text` as a terminal does: `paste-buffer -p` wraps it in ESC[200~ … ESC[201~ when the
    /// program switched bracketed paste on (`send-keys` cannot send the markers).
    public func pasteBracketed(_ text: String) throws {
        let file = workDirectory.appendingPathComponent("paste-\(UUID().uuidString.prefix(8)).txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Self.tmux(["load-buffer", "-b", "pasted", file.path], socket: socket)
        _ = try Self.tmux(["paste-buffer", "-p", "-d", "-b", "pasted", "-t", target], socket: socket)
    }

    /// Lets the program set tmux's clipboard with OSC 52 (`set-clipboard on`), for `buffer()`.
    public func acceptClipboard() {
        _ = try? Self.tmux(["set-option", "-s", "set-clipboard", "on"], socket: socket)
    }

    /// The newest tmux paste buffer (what an OSC 52 copy put there), nil when there is none.
    public func buffer() -> String? {
        try? Self.tmux(["show-buffer"], socket: socket)
    }

    public func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"], socket: socket)
    }

    /// The visible screen as text, one line per row.
    public func capture() -> String {
        (try? Self.tmux(["capture-pane", "-p", "-t", target], socket: socket)) ?? ""
    }

    /// `capture()` from a thread of its own, for loops that poll the screen from a test.
    public func currentScreen() async throws -> String {
        try await OffPool.run { self.capture() }
    }

    /// The visible screen with its colours and attributes as escape sequences (`capture-pane -e`).
    public func captureWithAttributes() -> String {
        (try? Self.tmux(["capture-pane", "-p", "-e", "-t", target], socket: socket)) ?? ""
    }

    /// Polls the screen until it contains `text` and has settled; throws with the last screen
    /// after `timeout`.
    /// Each `capture-pane` runs on a thread of its own and the wait between polls is a
    /// `Task.sleep` that backs off from 20 ms to 200 ms: a waiting test neither blocks one of the
    /// cooperative threads (two on a 2-core machine) nor starts a tmux client every 50 ms.
    @discardableResult
    public func screenShowing(_ text: String, timeout: TimeInterval = 10) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var pause = Duration.milliseconds(20)
        var screen = try await currentScreen()
        while !screen.contains(text) {
            if Date() > deadline {
                throw Failure(description: "screen never showed \"\(text)\" within \(timeout)s; last screen:\n\(screen)")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
            screen = try await currentScreen()
        }
        return try await settled(screen, showing: text)
    }

    /// The screen once a redraw has finished: ncurses writes a screen in several chunks, and a
    /// capture between them shows the first lines of the new screen and blanks below (a form with
    /// one field). Captures until two in a row, 40 ms apart, are equal, for at most a second (a
    /// spinner never settles), always returning a capture that still shows `text`.
    private func settled(_ screen: String, showing text: String) async throws -> String {
        var last = screen
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(40))
            let next = try await currentScreen()
            guard next.contains(text) else { return last }
            if next == last { return next }
            last = next
        }
        return last
    }

    /// The program's exit code once it has ended (nil while it runs).
    public var exitCode: Int32? {
        (try? String(contentsOf: workDirectory.appendingPathComponent("exit-code.txt"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `stty -a` before the program started and after it ended.
    public func terminalSettings() -> (before: String, after: String)? {
        guard let before = try? String(contentsOf: workDirectory.appendingPathComponent("stty-before.txt"), encoding: .utf8),
              let after = try? String(contentsOf: workDirectory.appendingPathComponent("stty-after.txt"), encoding: .utf8)
        else { return nil }
        return (before, after)
    }

    /// Sends a signal to the program running in the pane (its process is the shell's child).
    public func signalProgram(_ signal: Int32, named name: String) throws {
        kill(try programPid(named: name), signal)
    }

    /// The pid of the program running in this pane: other tests may run the same binary at once.
    public func programPid(named name: String) throws -> pid_t {
        let pids = try Self.run("/usr/bin/pgrep", ["-f", name])
        let shellPid = try Self.tmux(["display-message", "-p", "-t", target, "#{pane_pid}"], socket: socket)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try Self.run("/usr/bin/pgrep", ["-P", shellPid]).split(separator: "\n")
        let candidates = Set(pids.split(separator: "\n")).intersection(children)
        guard let pid = candidates.first.flatMap({ Int32($0) }) else {
            throw Failure(description: "no \(name) process under the tmux pane")
        }
        return pid
    }

    static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    @discardableResult
    static func tmux(_ arguments: [String], socket: String?, captureOutput: Bool = true) throws -> String {
        try run("/usr/bin/env", ["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments, captureOutput: captureOutput)
    }

    /// Runs a short command and returns its stdout. posix_spawn + waitpid rather than Foundation's
    /// Process, whose reaping misses a tmux client whose server forked off (left as a zombie).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], captureOutput: Bool = true) throws -> String {
        var pipe: [Int32] = [-1, -1]
        guard whydenied_pipe_close_on_exec(&pipe) == 0 else { throw Failure(description: "pipe() failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else this process has open (other tests' pipes, scripts being written) leaks in.
        _ = whydenied_spawn_close_from(&actions, 3)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        Glibc.close(pipe[1])
        guard spawned == 0 else {
            Glibc.close(pipe[0])
            throw Failure(description: "cannot start \(executable): errno \(spawned)")
        }
        var data = Data()
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(pipe[0], &buffer, buffer.count)
                if count > 0 { data.append(contentsOf: buffer[0..<count]) } else if count == 0 || errno != EINTR { break }
            }
        }
        Glibc.close(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(exited ? code : 128 + (status & 0x7f))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
