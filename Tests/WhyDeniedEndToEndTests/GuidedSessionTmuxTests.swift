import Foundation
import Testing
import WhyDeniedSession
import WhyDeniedTestSupport

/// The real `whydenied` binary in tmux (100x30, LANG=C.UTF-8): what an operator sees.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct GuidedSessionTmuxTests {
    static let seedError = """
        An error occurred (AccessDenied) when calling the GetObject operation: User: \
        arn:aws:sts::123456789012:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: \
        s3:GetObject on resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv" with an explicit deny \
        in a resource-based policy
        """

    func start(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> TmuxSession {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests (\(GuidedBinary.path) is missing)")
        var env = ["LANG": "C.UTF-8", "AWS_REGION": "us-east-1", "AWS_PAGER": ""]
        env.merge(environment) { $1 }
        return try TmuxSession(command: [GuidedBinary.path] + arguments, width: 100, height: 30, environment: env)
    }

    @Test func formPasteResizeAndQuitLeaveTheTerminalAsItWas() async throws {
        let tmux = try start()
        defer { tmux.close() }
        var screen = try await tmux.screenShowing("Parameters: type them")
        #expect(screen.contains("▸ Principal (user/role name or ARN) *"))
        #expect(screen.contains("Region *                             us-east-1"))
        #expect(screen.contains("✓ ok · from AWS_REGION"))
        #expect(screen.contains(" F2/Ctrl-S start · F6/Ctrl-V paste · F3/Ctrl-O load file · F1/Ctrl-G help · F10/Ctrl-Q quit"))

        // Non-ASCII typing lands in the field as typed.
        tmux.type("Rôle日本")
        // capture-pane can catch a frame half written: wait for its last part, the check line.
        screen = try await tmux.screenShowing("✗ IAM names use letters, digits and +=,.@_-")
        #expect(screen.contains("▸ Principal (user/role name or ARN) *  Rôle日本"))
        tmux.press("C-u")
        try await tmux.screenShowing("! required")

        // Paste the seed's error message, read it, accept all.
        tmux.press("F6")
        try await tmux.screenShowing("Paste an error message or CloudTrail event")
        tmux.type(Self.seedError)
        try await tmux.screenShowing("resource-based policy")
        tmux.press("C-d")
        screen = try await tmux.screenShowing("a accept all · Enter accept checked")  // the footer: drawn last
        #expect(screen.contains("[x] principal     arn:aws:iam::123456789012:role/DataA… ← error message"))
        #expect(screen.contains("[x] action        s3:GetObject"))
        tmux.press("a")
        screen = try await tmux.screenShowing("from the pasted text")
        #expect(screen.contains("Action (service:Action)              s3:GetObject"))
        #expect(screen.contains("Account id                           123456789012"))
        #expect(screen.contains("✓ role · pasted: error message"))

        // Resize: the layout follows the terminal.
        tmux.resize(width: 80, height: 24)
        screen = try await tmux.screenShowing(" whydenied │ READ-ONLY │ REAL AWS │ 123456789012 │ us-east-1 │ profile default\n")
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 24)
        tmux.resize(width: 50, height: 12)
        try await tmux.screenShowing("Terminal too small (50x12)")
        tmux.resize(width: 100, height: 30)
        try await tmux.screenShowing("as ?")

        // Help, then quit (asks first).
        tmux.press("F1")
        try await tmux.screenShowing("Paste dialog")
        tmux.press("Escape")
        tmux.press("F10")
        try await tmux.screenShowing("Quit whydenied?")
        tmux.press("n")
        try await tmux.screenShowing("F2/Ctrl-S start")
        try await SessionWalk.quit(tmux)
    }

    /// The seed scenario end to end: paste its error message, accept the prefill, confirm every
    /// read-only command, reach the recommendation, decline any change, export, quit. Read-only:
    /// on the seeded sandbox this test process shares (`SharedSandboxes`), as the next test.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(10)))
    func seedScenarioFromPasteToRecommendation() async throws {
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-e2e-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = sandbox.connection.environment
            environment["XDG_STATE_HOME"] = state.path
            // Its commands start as the suite's do (Scripts/test.sh: the resident driver). The
            // operator's default, a process per command, stays covered end to end by
            // LiveReadsBinaryTests' snapshot and every tmux test whose aws is a fake (run as itself).
            let tmux = try start(["guide", "--endpoint-url", sandbox.endpointURL, "--sandbox"], environment: environment)
            defer { tmux.close() }
            var screen = try await tmux.screenShowing("Parameters: type them")
            #expect(screen.contains(" whydenied │ READ-ONLY │ SANDBOX │"))

            // Paste the seed's error message and accept what was read from it.
            tmux.press("F6")
            try await tmux.screenShowing("Paste an error message or CloudTrail event")
            tmux.type(try #require(parameters["error_message"]))
            try await tmux.screenShowing("resource-based policy")
            tmux.press("C-d")
            screen = try await tmux.screenShowing("a accept all · Enter accept checked")  // the footer: drawn last
            #expect(screen.contains("[x] principal"))
            #expect(screen.contains("[x] principal     arn:aws:iam::123456789012:role/DataA…"))
            #expect(screen.contains("[x] action        s3:GetObject"))
            tmux.press("a")
            screen = try await tmux.screenShowing("from the pasted text")
            #expect(screen.contains("Action (service:Action)              s3:GetObject"))

            // Start: the first command waits at the gate, nothing has run.
            tmux.press("F2")
            screen = try await tmux.screenShowing(" Enter/F5 run · s/F8 skip · e edit · Tab steps · a run all read-only · ?/F1 help", timeout: 30)
            #expect(screen.contains("$ aws sts get-caller-identity"))
            #expect(screen.contains("│ Why: Shows which account and identity every later     │"))
            #expect(screen.contains(" Enter/F5 run · s/F8 skip · e edit · Tab steps · a run all read-only · ?/F1 help · q quit"))

            let run = try await SessionWalk.confirmEachCommand(in: tmux)
            #expect(run.confirmed >= 5, "confirmed \(run.confirmed) read-only commands")
            screen = run.lastScreen
            #expect(screen.contains("Session complete."))
            #expect(screen.contains("│ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │"),
                    "the banner shows the account, and no profile is in play")
            #expect(screen.contains("│ as user/moto"), "the banner shows the caller moto answers for")
            #expect(screen.split(separator: "\n").contains { $0.hasPrefix(" ✓ ") && $0.contains("Recommend a least-privileg") },   // two-digit step numbers cut the title one character earlier
                    "the recommend step is done:\n\(screen)")
            #expect(screen.contains("Denied events: 1 · s3:GetObject on"))
            // The resource is wrapped onto the next line, never cut.
            #expect(screen.contains("│ arn:aws:s3:::analytics-data-bucket/reports/2026/q3-"), "\(screen)")
            #expect(screen.contains("Explicit deny in a resource-based policy"))
            #expect(screen.contains("Recommendation: "), "the recommendation is on the session screen:\n\(screen)")

            // Findings page: the denied event, the explanation and the recommended change.
            tmux.press("f")
            screen = try await tmux.screenShowing("Findings and recommendation")
            #expect(screen.contains("Denied events (1)"))
            #expect(screen.contains("DataAnalystRole"))
            // The deciding statement's Sid, found with the pager's search: the reads listed above
            // it (the object's ACL among them) can push it past the first page.
            tmux.press("/")
            tmux.type("DenyOutsideCorporateNetwork")
            tmux.press("Enter")
            screen = try await tmux.screenShowing("DenyOutsideCorporateNetwork")
            tmux.press("Escape")
            try await tmux.screenShowing("Session complete.")

            // Export, then quit.
            tmux.press("e")
            screen = try await tmux.screenShowing("Report written to ")
            let reports = try FileManager.default.subpathsOfDirectory(atPath: state.path).filter { $0.hasSuffix("report.md") }
            #expect(reports.count == 1)
            try await SessionWalk.quit(tmux, key: "q")

            // Everything was journaled, and the report names the deciding statement.
            let folder = state.appendingPathComponent("whydenied/sessions")
            let session = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
            let journal = try String(contentsOf: folder.appendingPathComponent("\(session)/journal.jsonl"), encoding: .utf8)
            for event in ["session_started", "parameter_set", "proposed", "confirmed", "started", "finished", "analysis",
                          "session_ended"] {
                #expect(journal.contains("\"event\":\"\(event)\""), "journal has \(event)")
            }
            let report = try String(contentsOf: folder.appendingPathComponent("\(session)/report.md"), encoding: .utf8)
            #expect(report.contains("DenyOutsideCorporateNetwork"))
            // Issue 16 §4: changes were never enabled in this session, and the report says so;
            // its steps are named by their titles.
            #expect(report.contains("| Changes enabled | no |"), "\(report.prefix(1500))")
            #expect(report.contains("| Check identity-based policies | completed |"), "\(report)")
            #expect(!report.replacingOccurrences(of: #"outputs/[^`| ]*"#, with: "", options: .regularExpression).contains("check_iam"))
            #expect(report.contains("| Check the VPC endpoint policy | skipped: not needed for this request (its condition did not hold) |"), "\(report)")
        }
    }

    /// A case whose fix changes the account: the change dialog opens on Cancel, shows the
    /// document, refuses to run read-only, and declining leaves the account untouched.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func declinedChangeIsNotApplied() async throws {
        try await SharedSandboxes.reading(scenario: "user-no-allow") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-e2e-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = sandbox.connection.environment
            environment["XDG_STATE_HOME"] = state.path
            let arguments = ["guide", "--endpoint-url", sandbox.endpointURL, "--sandbox"]
                + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
            let tmux = try start(arguments, environment: environment)
            defer { tmux.close() }
            try await tmux.screenShowing("Parameters: type them")
            tmux.press("F2")
            try await tmux.screenShowing("Next command · read-only", timeout: 30)
            let run = try await SessionWalk.confirmEachCommand(in: tmux)
            #expect(run.declinedChanges >= 1, "no change was proposed; last screen:\n\(run.lastScreen)")
            // Nothing changed, so the verification after the change is skipped, not run.
            #expect(run.lastScreen.contains("Session complete."), "last screen:\n\(run.lastScreen)")
            #expect(run.changeDialogs.allSatisfy { $0.contains("[ Cancel ]") && $0.contains("The session is READ-ONLY") })
            let dialog = try #require(run.changeDialogs.first)
            #expect(dialog.contains("│ $ aws iam put-user-policy --user-name ci-deployer --policy-name whydenied-s3-PutObject"))
            #expect(dialog.contains("│ Change to inline policy whydenied-s3-PutObject of user ci-deployer:"))
            #expect(dialog.contains("│ +       \"Action\": \"s3:PutObject\","))
            #expect(dialog.contains("│ [ Cancel ]  [ Run (disabled) ]"))
            // The journal says the change was declined, and it never started.
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let recorded = RecordedSession(id: id, reading: try JournalReading(
                contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl")))
            let change = try #require(recorded.commands.first { $0.mutates })
            #expect(change.status == .declined(reason: "declined by the operator"))
            #expect(recorded.changes.isEmpty)
            // Kept for review: what the operator saw.
            try? run.changeDialogs.first?.write(toFile: NSTemporaryDirectory() + "whydenied-change-dialog.txt",
                                                atomically: true, encoding: .utf8)
            try await SessionWalk.quit(tmux, key: "q", exitCode: nil)
        }
    }

    /// A command that takes long shows a spinner and the elapsed time, and `x` cancels it: the
    /// process is stopped and the session says so. The `aws` here is a stand-in that sleeps.
    @Test func longCommandShowsElapsedTimeAndCancels() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-slow-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let marker = "4\(Int.random(in: 100...999))"
        try ScenarioFakeCLI.writeExecutable("#!/bin/sh\nexec sleep \(marker)\n", to: bin.appendingPathComponent("aws"))
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let tmux = try start(["guide", "--param", "principal=SlowRole", "--param", "region=us-east-1"],
                             environment: ["PATH": path, "XDG_STATE_HOME": folder.appendingPathComponent("state").path])
        defer { tmux.close() }
        try await tmux.screenShowing("Parameters: type them")
        tmux.press("F2")
        try await tmux.screenShowing("Next command · read-only", timeout: 30)
        tmux.press("Enter")
        var screen = try await tmux.screenShowing("· x or Ctrl-C cancels")
        #expect(screen.contains("Running "))
        screen = try await tmux.screenShowing("Running 1.", timeout: 5)
        #expect(screen.contains(" x/Ctrl-C cancel · o last output · Tab steps · ?/F1 help"))
        tmux.press("x")
        screen = try await tmux.screenShowing("Exit 130 after", timeout: 10)
        // The command by its words, never by the runbook's id for it.
        #expect(screen.contains("`aws sts get-caller-identity`:"), "\(screen)")
        #expect(!screen.contains("verify_dependencies"), "\(screen)")
        #expect(screen.contains("Session stopped: a step failed and the runbook stops"), "\(screen)")
        #expect(screen.contains(" ✗ 1 Verify dependencies"))
        let left = (try? TmuxSession.run("/usr/bin/pgrep", ["-f", "sleep \(marker)"])) ?? ""
        #expect(left.isEmpty, "the cancelled command's process is gone")
        try await SessionWalk.quit(tmux, exitCode: nil)
    }

    @Test func terminalIsRestoredWhenTheProgramIsKilled() async throws {
        let tmux = try start()
        defer { tmux.close() }
        try await tmux.screenShowing("Parameters: type them")
        try tmux.signalProgram(SIGTERM, named: GuidedBinary.path)
        try await tmux.screenShowing("[program ended]")
        #expect(tmux.exitCode == 143)
        let stty = try #require(tmux.terminalSettings())
        #expect(stty.before == stty.after)
    }

    @Test func withoutATerminalItSaysSoAndPointsAtHeadlessMode() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GuidedBinary.path)
        process.arguments = ["guide"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("no terminal (stdin or stdout is not a TTY)"))
        #expect(text.contains("whydenied run --non-interactive"))
        #expect(process.terminationStatus == 2)
    }
}

/// The built binary the end-to-end tests drive (`swift build` first): the one WhyDeniedBinary finds.
enum GuidedBinary {
    static var path: String { WhyDeniedBinary.path }
    static var exists: Bool { WhyDeniedBinary.exists }
}
