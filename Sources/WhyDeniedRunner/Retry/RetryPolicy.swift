/// Bounded retries with exponential back-off and full jitter, for throttled requests only.
/// `delay(beforeAttempt:unitRandom:)` is pure so tests pin the jitter.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 4, base: .seconds(1), cap: .seconds(20))
/// policy.delay(beforeAttempt: 3, unitRandom: 0.5)   // 0.5 × min(20 s, 1 s × 2²) = 2 s
/// ```
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration

    public init(maxAttempts: Int = 4, base: Duration = .seconds(1), cap: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.base = base
        self.cap = cap
    }

    /// The wait before attempt number `attempt` (2 is the first retry). `unitRandom` is in [0, 1].
    public func delay(beforeAttempt attempt: Int, unitRandom: Double) -> Duration {
        guard attempt >= 2 else { return .zero }
        let exponent = min(attempt - 2, 30)
        let ceiling = min(cap, base * (1 << exponent))
        return ceiling * min(max(unitRandom, 0), 1)
    }

    public static let none = RetryPolicy(maxAttempts: 1)
}
