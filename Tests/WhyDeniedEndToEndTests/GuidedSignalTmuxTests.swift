import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// `whydenied guide` in tmux, a command running (a fake `aws` on PATH that hangs with a child):
/// SIGTERM or SIGHUP from outside ends the command's process group, closes the journal with the
/// signal, restores the terminal and exits 128 + the signal.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct GuidedSignalTmuxTests {
    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalWhileACommandRunsEndsItsGroupAndTheJournal(signal number: Int32) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let marker = "\(Int.random(in: 100_000...999_999))"
        let fake = try ScenarioFakeCLI(script: "sleep 7\(marker) &\nsleep 8\(marker)")
        let stateHome = fake.directory.appendingPathComponent("state")
        defer {
            for line in ProcessTable.processes(matching: marker) {
                if let pid = line.split(separator: " ").first.flatMap({ pid_t($0) }) { kill(pid, SIGKILL) }
            }
            fake.remove()
        }
        let environment = ["LANG": "C.UTF-8", "AWS_PAGER": "", "XDG_STATE_HOME": stateHome.path,
                           "PATH": fake.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        let tmux = try TmuxSession(command: [GuidedBinary.path, "guide", "--param", "principal=arn:aws:iam::111122223333:user/ana",
                                             "--param", "region=us-east-1", "--param", "time_frame=1 hour ago"],
                                   width: 100, height: 30, environment: environment)
        defer { tmux.close() }
        _ = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
        tmux.press("F2")
        _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
        tmux.press("Enter")
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline, ProcessTable.processes(matching: "8\(marker)").isEmpty || ProcessTable.processes(matching: "7\(marker)").isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(!ProcessTable.processes(matching: "8\(marker)").isEmpty, "the command never ran:\n\(tmux.capture())")

        try tmux.signalProgram(number, named: GuidedBinary.path)
        _ = try await SessionWalk.waitFor("[program ended]", in: tmux, timeout: 30)
        #expect(tmux.exitCode == 128 + number)
        let stty = try #require(tmux.terminalSettings())
        #expect(stty.before == stty.after)
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcessTable.processes(matching: marker).isEmpty, "left running: \(ProcessTable.processes(matching: marker))")

        let sessions = stateHome.appendingPathComponent("whydenied/sessions")
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
        let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
        #expect(reading.entries.last?.event == .sessionEnded(reason: "cancelled by \(SessionInterruption.name(of: number))"),
                "\(reading.entries.suffix(3).map(\.event.kind))")
        let finished = reading.entries.compactMap { if case .commandFinished(_, let outcome) = $0.event { outcome.exitCode } else { nil } }
        #expect(finished == [130], "the interrupted command is journaled as cancelled")
    }

    /// `demo` in a terminal runs the guided session as its child: SIGTERM sent to the demo goes
    /// to that child too (which closes its journal and the screen), then the sandbox stops and
    /// the demo exits 143. Nothing of the session is left running.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func sigtermToTheDemoEndsItsGuidedSessionToo() async throws {
        try await endDemoAtTheGate(with: SIGTERM, expectedExit: 143)
    }

    /// A demo killed outright (SIGKILL: no handler runs) still leaves nothing behind: the guided
    /// session gets SIGTERM from the kernel when its parent dies, and moto ends when the pipe
    /// from the demo closes.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func aKilledDemoLeavesNoSessionOrSandboxBehind() async throws {
        try await endDemoAtTheGate(with: SIGKILL, expectedExit: 137)
    }

    private func endDemoAtTheGate(with signal: Int32, expectedExit: Int32) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-demo-signal-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: stateHome) }
        let environment = ["LANG": "C.UTF-8", "AWS_PAGER": "", "XDG_STATE_HOME": stateHome.path,
                           "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "HOME": ProcessInfo.processInfo.environment["HOME"] ?? stateHome.path]
        let tmux = try TmuxSession(command: [GuidedBinary.path, "demo", "--scenario", "seed"], width: 120, height: 40,
                                   environment: environment)
        defer { tmux.close() }
        // Issue 16 §3: the staging (about 10 s of aws commands) says what it is creating.
        let staging = try await SessionWalk.waitFor(" command · aws ", in: tmux, timeout: 120)
        #expect(staging.contains("Staging seed · "), "\(staging)")
        _ = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 180)
        tmux.press("F2")
        _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 60)
        // This demo's own child: other suites run demos at the same time.
        let demoPid = try tmux.programPid(named: GuidedBinary.path + " demo")
        let guides = ProcessTable.processes(matching: "guide --endpoint-url http://127.0.0.1:").filter { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 1 && fields[1] == "\(demoPid)" && line.contains("whydenied guide")
        }
        let guide = try #require(guides.first, "no guided session child of the demo \(demoPid)")
        let port = try #require(guide.range(of: "http://127.0.0.1:").map { Int(guide[$0.upperBound...].prefix { $0.isNumber }) } ?? nil)

        try tmux.signalProgram(signal, named: GuidedBinary.path + " demo")
        // The exit code file, not the screen: after a killed demo the session's own screen
        // restore may draw over what the shell printed.
        let clock = ContinuousClock()
        let ended = clock.now + .seconds(30)
        while clock.now < ended, tmux.exitCode == nil { try await Task.sleep(for: .milliseconds(100)) }
        #expect(tmux.exitCode == expectedExit, "\(tmux.capture())")
        if signal != SIGKILL {
            // A killed demo cannot restore the terminal before its shell goes on; the session does
            // that an instant later, after the shell wrote down its settings.
            let stty = try #require(tmux.terminalSettings())
            #expect(stty.before == stty.after)
        }
        // Whatever ends them, they end: the session and moto are given a few seconds.
        let deadline = clock.now + .seconds(10)
        func leftovers() -> (session: [String], motoAnswers: Bool) {
            (ProcessTable.processes(matching: "guide --endpoint-url http://127.0.0.1:\(port)"), LoopbackPort.isAccepting(port))
        }
        while clock.now < deadline, !leftovers().session.isEmpty || leftovers().motoAnswers {
            try await Task.sleep(for: .milliseconds(100))
        }
        let left = leftovers()
        #expect(left.session.isEmpty, "the guided session was left running: \(left.session)\n\(tmux.capture())")
        #expect(!left.motoAnswers, "moto still answers on \(port): \(ProcessTable.processes(matching: "moto"))\n\(tmux.capture())")

        let sessions = stateHome.appendingPathComponent("whydenied/sessions")
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
        let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
        #expect(reading.entries.last?.event == .sessionEnded(reason: "cancelled by SIGTERM"))
    }
}
