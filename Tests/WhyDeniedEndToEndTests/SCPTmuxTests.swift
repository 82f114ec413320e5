import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §4 in the TUI: scp-ou-deny walked in tmux with the real binary, the session as the
/// member account (--profile sandbox-member) and the organization read with the form's
/// organization profile. The verdict names the SCP with its id and the OU it is attached to.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct SCPTmuxTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func theSCPOnTheOUIsNamedInTheTUI() async throws {
        let scenario = try SandboxScenario.named("scp-ou-deny")
        try await MotoTestSandbox.with(scenario: scenario.name) { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-scp-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = sandbox.connection.environment
            environment["XDG_STATE_HOME"] = state.path
            environment["LANG"] = "C.UTF-8"
            let arguments = [GuidedBinary.path, "guide", "--endpoint-url", sandbox.endpointURL, "--sandbox",
                             "--profile", try #require(scenario.sessionProfile)]
                + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
            let tmux = try TmuxSession(command: arguments, width: 120, height: 40, environment: environment)
            defer { tmux.close() }
            let form = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 30)
            #expect(form.contains("Organization profile"), "\(form)")
            tmux.press("F2")
            _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
            let walk = try await SessionWalk.confirmEachCommand(in: tmux)
            #expect(walk.lastScreen.contains("Session complete."), "last screen:\n\(walk.lastScreen)")
            #expect(walk.changeDialogs.isEmpty, "an SCP fix is shown, never offered as a change")

            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
            let evaluation = try #require(RecordedSession(id: id, reading: reading).analyses.first { $0.name == "recommend_fix" })
            let text = evaluation.result.serialized()
            #expect(text.contains("DenyBucketDeletes (p-"), "\(text)")
            #expect(text.contains("OU Workloads/Prod (ou-"), "\(text)")

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }
}
