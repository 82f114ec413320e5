import Testing
import WhyDeniedSession

/// Issue 17 §2: a batch's independent reads overlap up to the core count, and its results keep
/// the order of the jobs (the snapshot and notes do not change from run to run).
@Suite struct BoundedConcurrencyTests {
    /// Counts the jobs running at once and the most there ever were.
    actor Overlap {
        var now = 0
        var most = 0
        func enter() { now += 1; most = max(most, now) }
        func leave() { now -= 1 }
    }

    @Test func resultsKeepTheJobsOrderWhateverOrderTheyFinishIn() async {
        // The later a job, the sooner it finishes.
        let results = await BoundedConcurrency.map(Array(0..<12), limit: 4) { job in
            try? await Task.sleep(for: .milliseconds(2 * (12 - job)))
            return job * 10
        }
        #expect(results == (0..<12).map { $0 * 10 })
    }

    @Test(arguments: [1, 2, 3])
    func neverMoreJobsAtOnceThanTheLimitAndTheLimitIsUsed(limit: Int) async {
        let overlap = Overlap()
        _ = await BoundedConcurrency.map(Array(0..<9), limit: limit) { _ in
            await overlap.enter()
            try? await Task.sleep(for: .milliseconds(20))
            await overlap.leave()
        }
        #expect(await overlap.most == limit)
    }

    @Test func noJobsGiveNoResults() async {
        let results = await BoundedConcurrency.map([Int](), limit: 3) { $0 }
        #expect(results.isEmpty)
    }
}
