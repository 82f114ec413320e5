import WhyDeniedJSON
import WhyDeniedRunbook

/// Re-run one read-only command until its answer says the work is done: an Athena query's
/// `QueryExecution.Status.State`, a CloudTrail Lake query's `QueryStatus`. The runner pauses
/// between runs, doubling from `firstInterval` up to `longestInterval`, for at most
/// `maxAttempts` runs; a terminal state in `failOn` makes the command fail with the text at
/// `reason`. One confirmation covers every run, as with paging.
///
/// ```swift
/// PollRequest(select: try JSONPath("QueryExecution.Status.State"), until: ["SUCCEEDED", "FAILED", "CANCELLED"],
///             failOn: ["FAILED", "CANCELLED"], reason: try JSONPath("QueryExecution.Status.StateChangeReason"))
/// ```
public struct PollRequest: Sendable, Hashable {
    public var select: JSONPath
    public var until: [String]
    public var failOn: [String]
    public var reason: JSONPath?
    public var maxAttempts: Int
    public var firstInterval: Duration
    public var longestInterval: Duration

    public init(select: JSONPath, until: [String], failOn: [String] = [], reason: JSONPath? = nil,
                maxAttempts: Int = 30, firstInterval: Duration = .seconds(1), longestInterval: Duration = .seconds(10)) {
        self.select = select
        self.until = until
        self.failOn = failOn
        self.reason = reason
        self.maxAttempts = max(1, maxAttempts)
        self.firstInterval = firstInterval
        self.longestInterval = max(firstInterval, longestInterval)
    }

    /// The pause before run `attempt` (2, 3, …): the first interval, doubled each time, capped.
    public func pause(beforeAttempt attempt: Int) -> Duration {
        var pause = firstInterval
        for _ in 0..<max(0, attempt - 2) {
            pause = pause * 2
            if pause >= longestInterval { return longestInterval }
        }
        return min(pause, longestInterval)
    }
}

extension PollRequest {
    /// The runner's form of a runbook command's `poll:`.
    public init(_ polling: Polling) {
        self.init(select: polling.select, until: polling.until, failOn: polling.failOn, reason: polling.reason,
                  maxAttempts: polling.maxAttempts, firstInterval: .milliseconds(polling.firstIntervalMilliseconds),
                  longestInterval: .milliseconds(polling.longestIntervalMilliseconds))
    }
}
