import Dispatch
import Foundation

/// `items.map(transform)` on every core, results in the items' order: a batch's events are
/// independent (the analyzer and the snapshot are immutable), so 500 of them need not wait on one core.
///
/// ```swift
/// let results = OrderedParallelMap.map(events) { analyzer.analyse($0) }
/// ```
public enum OrderedParallelMap {
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ transform: @Sendable (Item) -> Result
    ) -> [Result] {
        guard items.count > 1, workers > 1 else { return items.map(transform) }
        // Small chunks so that a slow item does not leave the other cores idle at the end.
        let chunks = min(items.count, workers * 8)
        let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        // Each index is written by the one chunk that holds it, and read only after all have ended.
        nonisolated(unsafe) let output = slots
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            for index in range { output[index] = transform(items[index]) }
        }
        return slots.map { $0! }
    }
}
