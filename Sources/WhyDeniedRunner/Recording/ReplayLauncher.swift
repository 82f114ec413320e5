import Foundation
import WhyDeniedRedaction
import WhyDeniedSession

/// Answers process starts from a recording instead of running anything. A start is matched to the
/// next unused record with the same argv (`aws` + arguments, compared as recorded: redacted, so
/// `--secret-string X` matches the stored `--secret-string [REDACTED]`); an argv never recorded ends as
/// `.notStarted` with a message naming it, so a replay never silently invents an answer.
///
/// ```swift
/// let replay = ReplayLauncher(records: try RunRecording.read(from: url))
/// ```
public final class ReplayLauncher: ProcessLauncher, @unchecked Sendable {
    private var remaining: [RunRecord]
    private let lock = NSLock()

    public init(records: [RunRecord]) { remaining = records }

    public func launch(executable: String, arguments: [String], environment: [String: String],
                       timeout: Duration) async -> ProcessExit {
        let argv = ["aws"] + arguments
        let stored = Redactor().redact(argv: argv)
        let record: RunRecord? = lock.withLock {
            guard let index = remaining.firstIndex(where: { $0.argv == argv || $0.argv == stored }) else { return nil }
            return remaining.remove(at: index)
        }
        guard let record else {
            return ProcessExit(stdout: "", stderr: "",
                               ending: .notStarted("no recorded run for: \(argv.joined(separator: " "))"),
                               durationMilliseconds: 0)
        }
        return record.processExit
    }

    /// Records not used yet (a replay that leaves some over ran fewer commands than the original).
    public var unusedRecords: [RunRecord] {
        lock.withLock { remaining }
    }
}
