import Foundation
import Testing
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// moto (or AWS) stops answering in the middle of a session: the session still ends, no child is
/// left, the operator is told so, in those words, and never that the next source is being tried
/// when no fallback happens.
@Suite struct EndpointStopsAnsweringTests {
    /// Stops moto after a few commands: every later command fails to connect, the session still
    /// ends (it stops cleanly at the first `on_failure: stop` or finishes), and no child is left.
    final class StopsSandboxMidway: SessionEffects, @unchecked Sendable {
        let inner: AWSCommandRunner
        let sandbox: MotoSandbox
        let after: Int
        private let lock = NSLock()
        private var count = 0

        init(inner: AWSCommandRunner, sandbox: MotoSandbox, after: Int) {
            self.inner = inner
            self.sandbox = sandbox
            self.after = after
        }

        private func tick() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count == after
        }

        func run(_ request: CommandRequest) async -> CommandOutcome {
            if tick() { sandbox.stop() }
            return await inner.run(request)
        }

        func isToolAvailable(_ name: String) async -> Bool { await inner.isToolAvailable(name) }
    }

    // The session's clean end and what the operator is told, checked on one moto stopped midway
    // (they were two tests, on user-no-allow and on seed, each seeding and stopping its own).
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func theSessionEndsCleanlyAndTheOperatorIsToldTheEndpointStoppedAnswering() async throws {
        try await MotoTestSandbox.with(scenario: "seed") { sandbox, parameters in
            let port = URL(string: sandbox.endpointURL)?.port ?? 0
            let effects = StopsSandboxMidway(inner: sandbox.runner(retry: RetryPolicy(maxAttempts: 1)), sandbox: sandbox, after: 3)
            let runbook = try RunbookFixture.loaded()
            var session = GuidedSession(runbook: runbook, parameters: parameters, now: Date(), readOnly: true)
            let lines = CollectedLines()
            await session.runHeadless(effects: effects) { lines.append($0) }
            guard case .finished = session.nextStep() else {
                Issue.record("the session did not end: \(session.nextStep())")
                return
            }
            #expect(!sandbox.isRunning)
            let failed = GuidedMotoRunbookTests.ran(session).dropFirst(2).filter { $0.outcome.failure != nil }
            #expect(!failed.isEmpty)
            #expect(session.notes.contains { $0.contains("127.0.0.1:\(port)") || $0.lowercased().contains("connect") }, "\(session.notes)")
            #expect(ProcessTable.zombieChildren().isEmpty)
            #expect(ProcessTable.processes(matching: "127.0.0.1:\(port)").isEmpty)

            let text = (lines.all + session.notes).joined(separator: "\n")
            #expect(text.contains("The endpoint stopped answering"), "\(text.suffix(3000))")
            // With the endpoint gone no fallback happens, so none may be announced.
            let fellBack = session.engine.history.contains { if case .fellBack = $0.result { true } else { false } }
            #expect(!fellBack)
            #expect(!text.contains("trying the next source"), "\(text.suffix(3000))")
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func aRealFallbackIsAnnouncedWhereItHappens() async throws {
        // moto answers lookup-events with HTTP 500: the runbook falls back to the log group. The
        // seed scenario's one live run (`ScenarioRecordings`) answers the commands as moto did.
        let recording = try await ScenarioRecordings.shared.recording("seed")
        do {
            let runbook = try RunbookFixture.loaded()
            var session = GuidedSession(runbook: runbook, parameters: recording.parameters, now: Date(), readOnly: true)
            let lines = CollectedLines()
            await session.runHeadless(effects: recording.replayRunner()) { lines.append($0) }
            let all = lines.all
            let lookup = try #require(all.firstIndex { $0.contains("$ aws cloudtrail lookup-events") }, "\(all)")
            let after = all[(lookup + 1)...].prefix(3).joined(separator: "\n")
            #expect(after.contains("trying the next source"), "\(after)")
            #expect(!all.joined(separator: "\n").contains("stopped answering"))
        }
    }
}
