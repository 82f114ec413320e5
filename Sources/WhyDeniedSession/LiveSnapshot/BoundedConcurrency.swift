import Foundation

/// Runs independent async jobs at most `limit` at a time and returns their results in the
/// order of the jobs, whatever order they finish in: a batch's reads overlap up to the core
/// count, and its snapshot and notes stay the same from run to run.
///
/// ```swift
/// let sessions = await BoundedConcurrency.map(jobs, limit: 2) { job in await run(job) }
/// ```
public enum BoundedConcurrency {
    /// The default width: one job per core (each job's cost is mostly the `aws` processes it starts).
    public static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public static func map<Job: Sendable, Result: Sendable>(_ jobs: [Job], limit: Int = coreCount,
                                                            _ work: @escaping @Sendable (Job) async -> Result) async -> [Result] {
        guard !jobs.isEmpty else { return [] }
        let width = max(1, min(limit, jobs.count))
        return await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: jobs.count)
            for index in jobs.indices {
                // Past the first `width` jobs, each starts when one finishes.
                if index >= width, let (done, result) = await group.next() { results[done] = result }
                group.addTask { (index, await work(jobs[index])) }
            }
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}
