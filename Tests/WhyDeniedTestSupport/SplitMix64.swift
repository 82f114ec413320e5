/// SplitMix64: a tiny, seeded, deterministic generator for the fuzz and property tests, so the
/// same cases run on every machine and a failing case can be replayed from its seed.
///
/// ```swift
/// var random = SplitMix64(seed: 0x5EED)
/// let width = random.int(in: 1...250)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }
}
