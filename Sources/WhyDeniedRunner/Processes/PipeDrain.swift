#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads one of a child's output pipes to its end on a thread of its own, so a chatty child
/// never blocks on a full pipe, and can be told to stop: a descendant that left the child's
/// process group (`setsid`) can hold the pipe's write end open for ever, and the runner must
/// still be able to give up at its deadline or on cancellation.
///
/// ```swift
/// let drain = PipeDrain(descriptor: outPipe[0])
/// // … the child exits, or the deadline passes: drain.stop()
/// if drain.isFinished { let bytes = drain.bytes }
/// ```
final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [UInt8] = []
    private var finished = false
    private var stopRequested = false

    /// Starts reading `descriptor`; it is closed when reading ends.
    init(descriptor: Int32) {
        let thread = Thread { [self] in readToEnd(descriptor) }
        thread.start()
    }

    /// True once the pipe reached its end, or reading stopped after `stop()`.
    var isFinished: Bool { lock.withLock { finished } }

    /// What was read so far (all of it once `isFinished`).
    var bytes: [UInt8] { lock.withLock { collected } }

    /// Stops reading within a tenth of a second, keeping what was read.
    func stop() { lock.withLock { stopRequested = true } }

    private func readToEnd(_ descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        reading: while !lock.withLock({ stopRequested }) {
            // Wait for data a short while at a time, so a stop is noticed.
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 100)
            if polled == 0 || (polled < 0 && errno == EINTR) { continue }
            if polled < 0 { break }
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    lock.withLock { collected.append(contentsOf: buffer[0..<count]) }
                    break
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break reading
                }
            }
        }
        close(descriptor)
        lock.withLock { finished = true }
    }
}
