import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The eventbridge-bus-policy scenario in the TUI, through the same session loop: the bus
/// policy is read with `events describe-event-bus`, and the verdict names its Deny statement.
/// An explicit deny is never lifted automatically, so no change is offered.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct EventBusPolicyTmuxTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func theBusPolicysDenyIsNamedInTheTUI() async throws {
        try await MotoTestSandbox.with(scenario: "eventbridge-bus-policy") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-bus-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state)
            defer { tmux.close() }
            let walk = try await SessionWalk.confirmEachCommand(in: tmux, changes: .decline)
            #expect(walk.lastScreen.contains("Session complete."), "last screen:\n\(walk.lastScreen)")
            #expect(walk.changeDialogs.isEmpty, "an explicit deny offered a change:\n\(walk.changeDialogs.joined(separator: "\n---\n"))")

            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
            let recorded = RecordedSession(id: id, reading: reading)
            #expect(recorded.commands.contains { $0.argv.starts(with: ["aws", "events", "describe-event-bus", "--name", "orders-bus"]) })
            let evaluation = try #require(recorded.analyses.first { $0.name == "recommend_fix" }).result.serialized()
            #expect(evaluation.contains("event bus policy of orders-bus"), "\(evaluation)")
            #expect(evaluation.contains("DenyLegacyIngest"), "\(evaluation)")

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }
}
