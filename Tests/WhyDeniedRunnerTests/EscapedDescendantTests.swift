import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTestSupport

/// A command's timeout holds even when one of its descendants leaves the process group
/// (`setsid`) and keeps the output pipe open: at the deadline the runner stops reading, ends the
/// group and reports the timeout, instead of waiting for an end of file that never comes.
@Suite struct EscapedDescendantTests {
    /// Pids (first column of `ps`) of the processes whose command line holds `marker`.
    static func pids(matching marker: String) -> [pid_t] {
        ProcessTable.processes(matching: marker).compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).first.flatMap { pid_t($0) }
        }
    }

    @Test(arguments: [false, true])
    func aDescendantHoldingThePipeCannotOutlastTheTimeout(cliKeepsRunning: Bool) async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        // `sleep 6<marker>` escapes into its own session with our stdout pipe; `sleep 7<marker>`
        // stays in the group. The CLI itself either exits at once or hangs too.
        let fake = try ScenarioFakeCLI(script: """
            setsid sleep 6\(marker) &
            sleep 7\(marker) &
            echo started
            sleep 1
            \(cliKeepsRunning ? "sleep 8\(marker)" : "exit 0")
            """)
        defer {
            fake.remove()
            for pid in Self.pids(matching: marker) { kill(pid, SIGKILL) }
        }
        let runner = AWSCommandRunner(connection: AWSConnection(executable: fake.path), defaultTimeout: .seconds(2))
        let clock = ContinuousClock()
        let started = clock.now
        let run = Run(runner, CommandRequest(argv: ["aws", "cloudtrail", "describe-trails"]))
        // Generous bound, as the hang test's: a loaded 2-core machine running the whole suite
        // (hundreds of binaries and moto servers) delays the pool; before the fix the runner
        // never returned at all. Free it by ending the sleeper.
        while clock.now - started < .seconds(90) {
            if run.isFinished { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let returnedInTime = run.isFinished
        #expect(returnedInTime, "the runner was still waiting 90 s after a 2 s timeout")
        if !returnedInTime { for pid in Self.pids(matching: "6\(marker)") { kill(pid, SIGKILL) } }
        let outcome = await run.task.value
        #expect(outcome.ending == .timedOut)
        #expect(outcome.failure == .timedOut(seconds: 2))
        #expect(outcome.stdout.contains("started"))
        try await Task.sleep(for: .milliseconds(200))
        // The group is ended; only the escaped sleeper may remain (the test ends it).
        #expect(ProcessTable.processes(matching: "7\(marker)").isEmpty)
        #expect(ProcessTable.processes(matching: "8\(marker)").isEmpty)
        #expect(ProcessTable.zombieChildren().isEmpty)
    }

    @Test func cancellationIsHeardWhileADescendantHoldsThePipe() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        // The CLI lingers a second so the sleeper has left the group before the CLI is reaped
        // (the runner then ends the group; a sleeper still in it would die with it).
        let fake = try ScenarioFakeCLI(script: "setsid sleep 6\(marker) &\nsleep 1\nexit 0")
        defer {
            fake.remove()
            for pid in Self.pids(matching: marker) { kill(pid, SIGKILL) }
        }
        let runner = AWSCommandRunner(connection: AWSConnection(executable: fake.path), defaultTimeout: .seconds(600))
        let run = Run(runner, CommandRequest(argv: ["aws", "iam", "get-role"]))
        try await Task.sleep(for: .milliseconds(1_500))
        run.task.cancel()
        let clock = ContinuousClock()
        let cancelled = clock.now
        while clock.now - cancelled < .seconds(90), !run.isFinished {
            try await Task.sleep(for: .milliseconds(100))
        }
        let returnedInTime = run.isFinished
        #expect(returnedInTime, "cancellation went unheard for 90 s")
        if !returnedInTime { for pid in Self.pids(matching: "6\(marker)") { kill(pid, SIGKILL) } }
        let outcome = await run.task.value
        #expect(outcome.ending == .cancelled)
        #expect(outcome.failure == .cancelled)
    }

    /// A run in its own task that says whether it has returned, without waiting for it.
    final class Run: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        private(set) var task: Task<CommandOutcome, Never>!

        init(_ runner: AWSCommandRunner, _ request: CommandRequest) {
            task = Task { [self] in
                let outcome = await runner.run(request)
                lock.withLock { done = true }
                return outcome
            }
        }

        var isFinished: Bool { lock.withLock { done } }
    }
}
