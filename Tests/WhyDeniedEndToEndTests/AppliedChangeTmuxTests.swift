import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// A fix applied through the guided session, for real, against moto: changes enabled (F4), the
/// typed word, Run; the journal then holds the change with its undo, the real CLI sees the new
/// policy, and running the journaled rollback removes it again.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct AppliedChangeTmuxTests {
    static let word = "whydenied-s3-PutObject"

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(6)))
    func appliedChangeIsJournaledWithItsRollbackAndTheRollbackWorks() async throws {
        try await MotoTestSandbox.with(scenario: "user-no-allow") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-apply-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = sandbox.connection.environment
            environment["XDG_STATE_HOME"] = state.path
            environment["LANG"] = "C.UTF-8"
            environment["AWS_PAGER"] = ""
            let arguments = [GuidedBinary.path, "guide", "--endpoint-url", sandbox.endpointURL, "--sandbox"]
                + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
            let tmux = try TmuxSession(command: arguments, width: 120, height: 40, environment: environment)
            defer { tmux.close() }
            try tmux.waitFor("Parameters: type them")
            tmux.press("F2")
            try tmux.waitFor("Next command · read-only", timeout: 30)
            tmux.press("F4")
            try tmux.waitFor("y enable", timeout: 10)
            tmux.type("y")
            try tmux.waitFor("Changes enabled", timeout: 10)

            var applied = false
            var lastScreen = ""
            let deadline = Date().addingTimeInterval(240)
            var lastGate = ""
            var sameGateSince = Date()
            while Date() < deadline {
                let screen = tmux.capture()
                lastScreen = screen
                if screen.contains("Session complete.") || screen.contains("Session stopped:") { break }
                if screen.contains("This command CHANGES your account"), !applied {
                    tmux.type(Self.word)
                    tmux.press("Tab")
                    tmux.press("Enter")
                    lastScreen = try tmux.waitFor("Roll back with:", timeout: 60)
                    applied = true
                    continue
                }
                if screen.contains("Next command · read-only"), !screen.contains(" Running ") {
                    let gate = screen.split(separator: "\n").first { $0.contains("│ $ ") }.map(String.init) ?? screen
                    if gate != lastGate || Date().timeIntervalSince(sameGateSince) > 5 {
                        tmux.press("Enter")
                        lastGate = gate
                        sameGateSince = Date()
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(applied, "no change was applied; last screen:\n\(lastScreen)")
            // moto has no simulator (HTTP 500): the optional check is noted, the session still ends.
            #expect(lastScreen.contains("Session complete."), "the session did not finish; last screen:\n\(lastScreen)")

            // The journal holds the change and how to undo it.
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
            let recorded = RecordedSession(id: id, reading: reading)
            let change = try #require(recorded.changes.first, "no change_applied in the journal")
            #expect(change.target == "inline policy \(Self.word) of user ci-deployer")
            #expect(change.rollbackArgv == [["aws", "iam", "delete-user-policy", "--user-name", "ci-deployer", "--policy-name", Self.word]])

            // The evaluator, run again on the new document, says the request is now allowed.
            let check = try #require(recorded.analyses.first { $0.name == "verify_change_offline" })
            #expect(check.result["result"]?.stringValue == "Re-evaluated offline with the new document: the denied request is now allowed.")
            let simulation = try #require(recorded.commands.first { $0.ref.command == "verify_identity_fix" }, "the simulator was not offered")
            #expect(simulation.outcome?.exitCode != nil)

            // The real CLI sees the policy; the journaled rollback removes it.
            let runner = sandbox.runner()
            let after = await runner.run(CommandRequest(argv: ["aws", "iam", "get-user-policy", "--user-name", "ci-deployer",
                                                               "--policy-name", Self.word]))
            #expect(after.succeeded, "\(after.stderr)")
            #expect(after.stdout.contains("s3:PutObject"))
            let rollback = await runner.run(CommandRequest(argv: change.rollbackArgv[0]))
            #expect(rollback.succeeded, "\(rollback.stderr)")
            let gone = await runner.run(CommandRequest(argv: ["aws", "iam", "get-user-policy", "--user-name", "ci-deployer",
                                                              "--policy-name", Self.word]))
            #expect(!gone.succeeded)
            #expect(gone.stderr.contains("NoSuchEntity"))

            tmux.press("F10")
            try tmux.waitFor("Quit whydenied?")
            tmux.type("y")
            try tmux.waitFor("[program ended]", timeout: 20)
        }
    }
}
