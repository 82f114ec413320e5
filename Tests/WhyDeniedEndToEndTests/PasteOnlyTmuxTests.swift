import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The TUI, through the same session loop, with an empty trail: the denial is known only from the
/// pasted message, and the session still ends with a verdict and applies the fix for real.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct PasteOnlyTmuxTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func thePastedMessageAloneEndsWithAFixAppliedThroughTheTUI() async throws {
        try await MotoTestSandbox.with(scenario: "user-no-allow-paste") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-paste-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state)
            defer { tmux.close() }
            let walk = try await SessionWalk.confirmEachCommand(in: tmux, changes: .apply)
            // With no event the lookup goes on to Athena (a change: it writes query results), then the fix.
            #expect(walk.appliedWords.last == "whydenied-s3-PutObject", "last screen:\n\(walk.lastScreen)")
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let journalText = (try? String(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"), encoding: .utf8)) ?? ""
            #expect(walk.lastScreen.contains("Session complete."),
                    "last screen:\n\(walk.lastScreen)\njournal:\n\(journalText.split(separator: "\n").suffix(12).joined(separator: "\n"))")

            // The journal has the verdict, reached without an event.
            let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
            let recorded = RecordedSession(id: id, reading: reading)
            let evaluation = try #require(recorded.analyses.first { $0.name == "recommend_fix" })
            #expect(evaluation.result.serialized().contains("implicit"), "\(evaluation.result.serialized())")

            let after = await sandbox.runner().run(CommandRequest(argv: ["aws", "iam", "get-user-policy", "--user-name", "ci-deployer",
                                                                         "--policy-name", "whydenied-s3-PutObject"]))
            #expect(after.succeeded, "\(after.stderr)")
            #expect(after.stdout.contains("s3:PutObject"))

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }
}
