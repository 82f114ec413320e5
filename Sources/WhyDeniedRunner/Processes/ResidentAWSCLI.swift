#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import WhyDeniedJSON
import WhyDeniedSession

/// Runs `aws` commands through AWS CLI v1's own driver (`awscli.clidriver.main`, what the `aws`
/// script runs) in long-lived Python processes, instead of one process per command: each start
/// of v1 costs about half a second of CPU importing botocore, and a seeding or a session is dozens
/// of commands. The argv, environment, output and exit status are the CLI's own; only the process
/// start is shared. Up to `workers` drivers run side by side (a session's reads run concurrently).
/// Where it cannot run (CLI v2, a Python without `awscli`, an `aws` that is not the CLI's own
/// script under `.cliScriptOnly`), every command falls back to a process of its own (`fallback`),
/// so it is never less able than `ChildProcess`.
///
/// ```swift
/// let runner = AWSCommandRunner(connection: sandbox.connection, launcher: ResidentAWSCLI())
/// ```
public actor ResidentAWSCLI: ProcessLauncher {
    /// Which `aws` executables the driver may stand in for.
    public enum Admission: Sendable {
        /// Any `aws`: the script's Python, else `python3` (the sandbox's own seeding).
        case anyPython
        /// Only AWS CLI v1's own entry script (an operator's wrapper or a fake runs as itself).
        case cliScriptOnly
    }

    /// The Python that runs the driver; `nil`: decided from the executable by `admission`.
    private let python: String?
    private let admission: Admission
    private let fallback: any ProcessLauncher
    private let workers: Int
    /// Per executable: the Python that runs its commands, or nil when they fall back; decided once
    /// (commands that start together wait for the one decision, e.g. a single `pyenv which`).
    private var pythons: [String: Task<String?, Never>] = [:]
    private var idle: [String: [Worker]] = [:]
    /// Drivers `warmUp` is starting, by Python: a command that finds no idle driver takes one of
    /// these before it starts another (never more than `workers` drivers).
    private var warming: [String: [(id: Int, start: Task<Result<Worker, Worker.StartFailure>, Never>)]] = [:]
    private var warmingStarted = 0
    /// Pythons drivers were started on before `pyenv which` confirmed them: a start that fails
    /// meanwhile does not make the driver unavailable (the guess may be wrong).
    private var unconfirmed: Set<String> = []
    /// Starts taken by commands that wait for them to be ready.
    private var startsAwaited = 0
    private var running: [ObjectIdentifier: Worker] = [:]
    /// Running drivers `stop()` asked to end: ended when their command answers.
    private var retired: Set<ObjectIdentifier> = []
    /// Set once a start failed (no `awscli` to import): every later command goes to `fallback`.
    private var unavailable: String?
    private var slotsTaken = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// Commands the driver ran and commands that fell back to a process of their own.
    public private(set) var commandsRun = 0
    public private(set) var commandsFallenBack = 0
    /// Drivers started, and the most that ran commands at once.
    public private(set) var driversStarted = 0
    public private(set) var peakRunning = 0
    /// The drivers' processes, idle or running a command.
    public var driverProcessIDs: [pid_t] { (Array(idle.values.joined()) + Array(running.values)).map(\.pid) }
    /// Drivers whose processes are started and not yet ready.
    public var driversStarting: Int { warming.values.map(\.count).reduce(0, +) + startsAwaited }

    public init(python: String? = nil, admission: Admission = .anyPython, workers: Int = 1,
                fallback: any ProcessLauncher = ChildProcess()) {
        self.python = python
        self.admission = admission
        self.workers = max(1, workers)
        self.fallback = fallback
    }

    /// Why commands go to a process of their own, once a start failed.
    public var unavailableReason: String? { unavailable }

    public func launch(executable: String, arguments: [String], environment: [String: String],
                       timeout: Duration) async -> ProcessExit {
        // Only the `aws` CLI runs in the driver; anything else is started as it is.
        guard URL(fileURLWithPath: executable).lastPathComponent == "aws",
              let python = await driverPython(for: executable, environment: environment) else {
            return await fallBack(executable, arguments, environment, timeout)
        }
        await takeSlot()
        guard let worker = await residentWorker(python: python) else {
            releaseSlot()
            return await fallBack(executable, arguments, environment, timeout)
        }
        let answer = await worker.exchange(arguments: arguments, environment: environment, timeout: timeout)
        running[ObjectIdentifier(worker)] = nil
        commandsRun += 1
        switch answer {
        case .exit(let exit):
            if retired.remove(ObjectIdentifier(worker)) != nil { worker.stop() } else { idle[python, default: []].append(worker) }
            releaseSlot()
            return exit
        case .ended(let exit):
            // Timed out, cancelled or the driver died: that process is gone, the next command starts another.
            retired.remove(ObjectIdentifier(worker))
            worker.stop()
            releaseSlot()
            return exit
        }
    }

    private func driverPython(for executable: String, environment: [String: String]) async -> String? {
        if let python { return python }
        if let deciding = pythons[executable] { return await deciding.value }
        let admission = admission
        let deciding = Task { () -> String? in
            switch admission {
            case .anyPython: AWSCLIEntryPoint.interpreter(of: executable, path: environment["PATH"])
            case .cliScriptOnly: await AWSCLIEntryPoint.cliScriptPython(of: executable, environment: environment)
            }
        }
        pythons[executable] = deciding
        return await deciding.value
    }

    /// An idle driver, else one being started (the earliest), else a new one (the caller holds a
    /// slot, so at most `workers` run); nil once a start failed (`unavailable`).
    private func residentWorker(python: String) async -> Worker? {
        if unavailable != nil { return nil }
        let worker: Worker
        if let reused = idle[python]?.popLast() {
            worker = reused
        } else {
            if warming[python, default: []].isEmpty { startDrivers(1, python: python) }
            let pending = warming[python]!.removeFirst()
            startsAwaited += 1
            let started = await pending.start.value
            startsAwaited -= 1
            switch started {
            case .success(let started):
                worker = started
                driversStarted += 1
            case .failure(let reason):
                unavailable = reason.description
                return nil
            }
        }
        running[ObjectIdentifier(worker)] = worker
        peakRunning = max(peakRunning, running.count)
        return worker
    }

    /// Starts drivers for `executable` up to `workers`, side by side and in the background, so that
    /// a batch's first concurrent reads find them ready instead of each waiting for a start (about
    /// half a second of imports). Returns once their processes are started (not ready): a caller
    /// with CPU-bound work to do next cannot hold up the starts. Nothing for an `aws` the driver
    /// does not stand in for.
    public func warmUp(executable: String, environment: [String: String]) async {
        // Found on PATH as a command's is: `--aws` names it, often as a bare `aws`.
        guard URL(fileURLWithPath: executable).lastPathComponent == "aws", unavailable == nil,
              let found = ExecutableLocator.find(executable, path: environment["PATH"]) else { return }
        // Behind a pyenv shim the drivers start on the likely Python while `pyenv which` decides;
        // commands wait for the decision, and drivers of a wrong guess are ended unused.
        var guess: String?
        if python == nil, admission == .cliScriptOnly, pythons[found] == nil, warming.isEmpty, idle.isEmpty, running.isEmpty {
            guess = AWSCLIEntryPoint.likelyCLIScriptPython(of: found, environment: environment)
            if let guess {
                unconfirmed.insert(guess)
                startDrivers(workers, python: guess)
            }
        }
        let decided = await driverPython(for: found, environment: environment)
        if let guess {
            unconfirmed.remove(guess)
            if guess != decided { abandon(python: guess) }
        }
        guard let python = decided else { return }
        let present = (idle[python]?.count ?? 0) + running.count + (warming[python]?.count ?? 0) + startsAwaited
        if present < workers { startDrivers(workers - present, python: python) }
    }

    /// Starts `count` drivers now: one process, which forks the others once it has imported the
    /// CLI (`Worker.spawn`). Each is ready (or has failed) when its `start` ends; until a command
    /// takes it, it waits in `warming`, and becomes an idle driver once ready.
    private func startDrivers(_ count: Int, python: String) {
        for spawned in Worker.spawn(python: python, count: count) {
            warmingStarted += 1
            let id = warmingStarted
            let start: Task<Result<Worker, Worker.StartFailure>, Never>
            switch spawned {
            case .success(let worker): start = Task { await worker.ready() }
            case .failure(let reason): start = Task { .failure(reason) }
            }
            warming[python, default: []].append((id, start))
            Task { await self.warmed(id, python: python, start.value) }
        }
    }

    /// Ends the drivers started for `python` (a guess the decision did not confirm), idle or starting.
    private func abandon(python: String) {
        for worker in idle.removeValue(forKey: python) ?? [] { worker.stop() }
        for pending in warming.removeValue(forKey: python) ?? [] {
            Task { if case .success(let worker) = await pending.start.value { worker.stop() } }
        }
    }

    /// A start that no command took on the way becomes an idle driver.
    private func warmed(_ id: Int, python: String, _ started: Result<Worker, Worker.StartFailure>) {
        guard let index = warming[python]?.firstIndex(where: { $0.id == id }) else { return }
        warming[python]?.remove(at: index)
        switch started {
        case .success(let worker):
            driversStarted += 1
            idle[python, default: []].append(worker)
        case .failure(let reason):
            if !unconfirmed.contains(python) { unavailable = reason.description }
        }
    }

    /// Ends the idle drivers' processes, and each running one once its command has answered (a
    /// command in flight gets the CLI's own answer, never a killed driver's). Drivers also end by
    /// themselves when this process goes: their input closes.
    public func stop() {
        for worker in idle.values.joined() { worker.stop() }
        idle = [:]
        retired.formUnion(running.keys)
        // Drivers still starting for a warm-up end once started.
        for pending in warming.values.joined() {
            Task { if case .success(let worker) = await pending.start.value { worker.stop() } }
        }
        warming = [:]
    }

    private func fallBack(_ executable: String, _ arguments: [String], _ environment: [String: String],
                          _ timeout: Duration) async -> ProcessExit {
        commandsFallenBack += 1
        return await fallback.launch(executable: executable, arguments: arguments, environment: environment, timeout: timeout)
    }

    private func takeSlot() async {
        if slotsTaken < workers {
            slotsTaken += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the next waiting command, else frees it.
    private func releaseSlot() {
        if waiting.isEmpty { slotsTaken -= 1 } else { waiting.removeFirst().resume() }
    }

    enum Answer: Sendable {
        /// The driver answered.
        case exit(ProcessExit)
        /// No answer (timed out, cancelled, the driver's process ended): that process is to be stopped.
        case ended(ProcessExit)
    }

    /// One driver process and its socket. Only the actor uses it, one exchange at a time.
    final class Worker: @unchecked Sendable {
        /// The process; for a forked driver, known once it is ready (it says so).
        private(set) var pid: pid_t
        let python: String
        /// Forked by the first driver of its group: not this process's child.
        let forked: Bool
        private let socket: Int32
        private var pending: [UInt8] = []
        private var stopped = false

        private init(pid: pid_t, python: String, forked: Bool, socket: Int32) {
            self.pid = pid
            self.python = python
            self.forked = forked
            self.socket = socket
        }

        /// Starts one driver process for `count` drivers: it imports the CLI once, then forks one
        /// driver per extra socket (descriptors 3, 4, …), each answering on its own; a driver's
        /// start is about half a second of CPU, paid once per group instead of once per driver.
        /// `ready()` waits for each.
        static func spawn(python: String, count: Int) -> [Result<Worker, Worker.StartFailure>] {
            func failed(_ reason: String) -> [Result<Worker, Worker.StartFailure>] {
                Array(repeating: .failure(StartFailure(reason)), count: max(1, count))
            }
            var ours: [Int32] = [], theirs: [Int32] = []
            defer { for end in theirs { close(end) } }
            // The driver's ends sit above 2 + count first, so that no dup2 below overwrites another's source.
            let firstAbove = Int32(2 + max(1, count))
            for _ in 0..<max(1, count) {
                var ends: [Int32] = [-1, -1]
                guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
                    for end in ours { close(end) }
                    return failed("socketpair failed: \(String(cString: strerror(errno)))")
                }
                let moved = fcntl(ends[1], F_DUPFD_CLOEXEC, firstAbove)
                close(ends[1])
                ours.append(ends[0])
                if moved >= 0 { theirs.append(moved) }
            }
            guard theirs.count == ours.count else {
                for end in ours { close(end) }
                return failed("could not set up the drivers' sockets: \(String(cString: strerror(errno)))")
            }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, theirs[0], 0)
            posix_spawn_file_actions_adddup2(&actions, theirs[0], 1)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            for (index, end) in theirs.enumerated().dropFirst() { posix_spawn_file_actions_adddup2(&actions, end, Int32(2 + index)) }
            inheritOnly(below: firstAbove, &actions)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            configureSpawnAttributes(&attributes, ownProcessGroup: true)
            let argv = [python, "-c", ResidentDriverScript.source] + (1..<theirs.count).map { String(2 + $0) }
            // The driver's environment is set per command; this one only has to start Python.
            let environment = PythonEnvironment.start(from: ProcessInfo.processInfo.environment)
            let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            var pid: pid_t = 0
            let status = withCStringArray(argv) { cArgv in
                withCStringArray(envp) { cEnvp in posix_spawn(&pid, python, &actions, &attributes, cArgv, cEnvp) }
            }
            guard status == 0 else {
                for end in ours { close(end) }
                return failed("could not start \(python): \(String(cString: strerror(status)))")
            }
            return ours.enumerated().map { index, socket in
                .success(Worker(pid: index == 0 ? pid : 0, python: python, forked: index > 0, socket: socket))
            }
        }

        /// This driver once it says it is ready (a forked one says which process it is), else
        /// stopped and why.
        func ready(within: Duration = .seconds(30)) async -> Result<Worker, Worker.StartFailure> {
            guard let line = await readLine(until: ContinuousClock().now + within),
                  let ready = try? JSONValue.parse(line), ready["ready"]?.boolValue == true,
                  !forked || (ready["pid"]?.intValue).map({ $0 > 1 }) == true else {
                stop()
                return .failure(StartFailure("\(python) cannot run the AWS CLI's driver (no awscli module: CLI v2 or another Python)"))
            }
            if forked, let own = ready["pid"]?.intValue { pid = pid_t(own) }
            return .success(self)
        }

        struct StartFailure: Error, CustomStringConvertible {
            let description: String
            init(_ description: String) { self.description = description }
        }

        func exchange(arguments: [String], environment: [String: String], timeout: Duration) async -> Answer {
            let clock = ContinuousClock()
            let started = clock.now
            func elapsed() -> Int { ChildProcess.milliseconds(clock.now - started) }
            let request = JSONValue.object(JSONObject([
                ("args", .array(arguments.map(JSONValue.string))),
                ("env", .object(JSONObject(environment.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))),
            ])).serialized() + "\n"
            guard send(Array(request.utf8)) else {
                return .ended(ProcessExit(stdout: "", stderr: "", ending: .notStarted("the AWS CLI driver's process ended"),
                                          durationMilliseconds: elapsed()))
            }
            let deadline = started + timeout
            while true {
                if let line = takeLine() {
                    guard let answer = try? JSONValue.parse(line), let code = answer["rc"]?.intValue else {
                        return .ended(ProcessExit(stdout: "", stderr: "the AWS CLI driver answered: \(line.prefix(200))",
                                                  ending: .exited(255), durationMilliseconds: elapsed()))
                    }
                    return .exit(ProcessExit(stdout: answer["stdout"]?.stringValue ?? "", stderr: answer["stderr"]?.stringValue ?? "",
                                             ending: .exited(Int32(code)), durationMilliseconds: elapsed()))
                }
                if Task.isCancelled {
                    return .ended(ProcessExit(stdout: "", stderr: "", ending: .cancelled, durationMilliseconds: elapsed()))
                }
                if clock.now >= deadline {
                    return .ended(ProcessExit(stdout: "", stderr: "", ending: .timedOut, durationMilliseconds: elapsed()))
                }
                switch receive(waitingMilliseconds: 0) {
                case .some(true): continue
                case .some(false): try? await Task.sleep(for: Self.pause(after: clock.now - started))
                case nil:
                    return .ended(ProcessExit(stdout: "", stderr: "the AWS CLI driver's process ended",
                                              ending: .exited(255), durationMilliseconds: elapsed()))
                }
            }
        }

        /// How long to wait before looking for the answer again: most commands answer within
        /// tens of milliseconds (a batch's next command waits on this one), a few take seconds.
        static func pause(after elapsed: Duration) -> Duration {
            elapsed < .milliseconds(100) ? .milliseconds(1) : .milliseconds(5)
        }

        /// Ends the driver's process group and reaps it. A forked driver is its group's first
        /// driver's child, not ours: it is signalled only while its end of the socket is still open
        /// (it is alive, so its id is still its own), and reaped by that driver or, once that one
        /// is gone, by init.
        func stop() {
            guard !stopped else { return }
            stopped = true
            if forked {
                if pid > 1 && peerIsOpen() { kill(-pid, SIGKILL) }
                close(socket)
                return
            }
            close(socket)
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }

        /// Whether the driver still holds its end: no end of stream waiting to be read.
        private func peerIsOpen() -> Bool {
            var byte: UInt8 = 0
            let count = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            return count > 0 || (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        }

        deinit { stop() }

        private func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }

        /// Reads what is there, waiting at most `waitingMilliseconds`: true when bytes came,
        /// false when none did, nil at the end of the stream.
        private func receive(waitingMilliseconds: Int32) -> Bool? {
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, waitingMilliseconds)
            if polled == 0 || (polled < 0 && errno == EINTR) { return false }
            if polled < 0 { return nil }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                pending.append(contentsOf: buffer[0..<count])
                return true
            }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { return false }
            return nil
        }

        private func takeLine() -> String? {
            guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            return line
        }

        /// The driver's first line (it is ready): looked for every millisecond, as the batch's first command waits on it.
        private func readLine(until deadline: ContinuousClock.Instant) async -> String? {
            while ContinuousClock().now < deadline {
                if let line = takeLine() { return line }
                switch receive(waitingMilliseconds: 0) {
                case .some(true): continue
                case .some(false): try? await Task.sleep(for: .milliseconds(1))
                case nil: return takeLine()
                }
            }
            return nil
        }
    }
}
