import Foundation
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTestSupport

/// A recorded session as the guided driver's executor: each command is answered from a live
/// run's recording (argv for argv, through the real runner's replay, so arguments, failure
/// classification and paging are the runner's own), except the operations a test scripts — a
/// fault, answering once, in order, before the recording answers that operation again — and the
/// commands the recording has no run for (a change the read-only run never made, and what
/// follows it), answered by `unrecorded`.
///
/// ```swift
/// let effects = RecordedEffects(try await ScenarioRecordings.shared.recording("seed"))
/// effects.script("sts get-caller-identity", RecordedEffects.failure("…ExpiredToken…"))
/// ```
final class RecordedEffects: SessionEffects, @unchecked Sendable {
    typealias Answer = @Sendable ([String]) -> CommandOutcome
    private let replay: AWSCommandRunner
    private let lock = NSLock()
    private var scripted: [String: [Answer]] = [:]
    private var fallbacks: [String: Answer] = [:]
    private var ran: [[String]] = []
    private var missing: [[String]] = []

    init(_ recording: ScenarioRecording) {
        replay = recording.replayRunner()
    }

    /// `operation` is `service verb` (`iam put-user-policy`).
    func script(_ operation: String, _ answers: Answer...) {
        lock.withLock { scripted[operation, default: []] += answers }
    }

    /// The answer to `operation` whenever the recording has no run left for it.
    func unrecorded(_ operation: String, _ answer: @escaping Answer) {
        lock.withLock { fallbacks[operation] = answer }
    }

    /// Commands the recording had no run for and no test answered (the replay refused them).
    var unanswered: [[String]] { lock.withLock { missing } }

    /// The `service verb` of every command run, in order.
    var operations: [String] { lock.withLock { ran.map { $0.dropFirst().prefix(2).joined(separator: " ") } } }

    func run(_ request: CommandRequest) async -> CommandOutcome {
        let operation = request.argv.dropFirst().prefix(2).joined(separator: " ")
        let answer: Answer? = lock.withLock {
            ran.append(request.argv)
            guard var queue = scripted[operation], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            scripted[operation] = queue
            return first
        }
        if let answer { return answer(request.argv) }
        let replayed = await replay.run(request)
        if case .notStarted(let reason) = replayed.ending, reason.hasPrefix("no recorded run") {
            if let fallback = lock.withLock({ fallbacks[operation] }) { return fallback(request.argv) }
            lock.withLock { missing.append(request.argv) }
        }
        return replayed
    }

    func isToolAvailable(_ name: String) async -> Bool { true }

    static func success(_ stdout: String) -> Answer {
        { argv in CommandOutcome(argv: argv, stdout: stdout, ending: .exited(0), durationMilliseconds: 5) }
    }

    /// A failure as the CLI prints it, classified as the runner classifies it.
    static func failure(_ stderr: String, exit: Int32 = 254) -> Answer {
        { argv in
            CommandOutcome(argv: argv, stderr: stderr, ending: .exited(exit), durationMilliseconds: 5,
                           failure: CommandFailure.classify(stderr: stderr, exitCode: exit, argv: argv))
        }
    }
}
