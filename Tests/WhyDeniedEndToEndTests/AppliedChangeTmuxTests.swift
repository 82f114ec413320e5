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

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func appliedChangeIsJournaledWithItsRollbackAndTheRollbackWorks() async throws {
        try await MotoTestSandbox.with(scenario: "user-no-allow") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-apply-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state)
            defer { tmux.close() }
            let walk = try await SessionWalk.confirmEachCommand(in: tmux, changes: .apply)
            #expect(walk.appliedWords == [Self.word], "last screen:\n\(walk.lastScreen)")
            // moto has no simulator (HTTP 500): the optional check is noted, the session still ends.
            #expect(walk.lastScreen.contains("Session complete."), "the session did not finish; last screen:\n\(walk.lastScreen)")

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

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }

    /// A change declined once can be offered again: `r` once the session has finished restarts
    /// the implement step (its backup read again), and the typed word and Enter apply it.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func aDeclinedChangeIsOfferedAgainAndApplied() async throws {
        try await MotoTestSandbox.with(scenario: "user-no-allow") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-again-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state)
            defer { tmux.close() }
            let declined = try await SessionWalk.confirmEachCommand(in: tmux, changes: .decline)
            #expect(declined.declinedChanges == 1, "last screen:\n\(declined.lastScreen)")
            #expect(declined.lastScreen.contains("r offer the declined change again"), "last screen:\n\(declined.lastScreen)")

            tmux.press("r")
            // The step starts over: its backup read comes first, at the gate.
            _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
            let applied = try await SessionWalk.confirmEachCommand(in: tmux, changes: .apply)
            #expect(applied.appliedWords == [Self.word], "last screen:\n\(applied.lastScreen)")
            #expect(applied.lastScreen.contains("Session complete."), "last screen:\n\(applied.lastScreen)")
            #expect(!applied.lastScreen.contains("r offer the declined change again"))

            // The journal: the change proposed again after its decline, then applied.
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let recorded = RecordedSession(id: id, reading: try JournalReading(
                contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl")))
            #expect(recorded.changes.first?.target == "inline policy \(Self.word) of user ci-deployer")
            let after = await sandbox.runner().run(CommandRequest(argv: ["aws", "iam", "get-user-policy", "--user-name", "ci-deployer",
                                                                         "--policy-name", Self.word]))
            #expect(after.succeeded, "\(after.stderr)")

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }
}
