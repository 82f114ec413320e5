import Testing
import WhyDeniedSession

/// A batch runs each distinct read once, also when two principals ask for the same managed
/// policy at the same moment (their reads overlap since issue 17 §2).
@Suite struct BatchReadCacheTests {
    /// Answers every read after a pause, counting the reads it was asked to start.
    actor SlowReads: SessionEffects {
        var started: [[String]] = []
        func run(_ request: CommandRequest) async -> CommandOutcome {
            started.append(request.argv)
            try? await Task.sleep(for: .milliseconds(50))
            return CommandOutcome(argv: request.argv, stdout: "{\"asked\": \(started.count)}", ending: .exited(0))
        }
        func isToolAvailable(_ name: String) async -> Bool { true }
    }

    @Test func aReadAskedWhileTheSameReadRunsIsNotStartedAgain() async {
        let reads = SlowReads()
        let cache = BatchReadCache(wrapping: reads)
        let policy = CommandRequest(argv: ["aws", "iam", "get-policy-version", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess", "--version-id", "v1"])
        let outcomes = await BoundedConcurrency.map(Array(repeating: policy, count: 4), limit: 4) { request in
            await cache.run(request)
        }
        #expect(await reads.started.count == 1)
        #expect(await cache.started.count == 1)
        #expect(await cache.reused == 3)
        #expect(Set(outcomes.map(\.stdout)) == ["{\"asked\": 1}"])
    }

    @Test func differentReadsAtOnceEachRun() async {
        let reads = SlowReads()
        let cache = BatchReadCache(wrapping: reads)
        let requests = ["RoleA", "RoleB", "RoleC"].map { CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", $0]) }
        _ = await BoundedConcurrency.map(requests, limit: 3) { await cache.run($0) }
        #expect(await reads.started.count == 3)
        #expect(await cache.reused == 0)
    }
}
