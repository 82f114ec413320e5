import Foundation
import WhyDeniedRunner
import WhyDeniedSession

/// Answers process starts from a list, and remembers what was asked.
final class ScriptedLauncher: ProcessLauncher, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [ProcessExit]
    private(set) var calls: [[String]] = []

    init(_ answers: [ProcessExit]) { self.answers = answers }

    func launch(executable: String, arguments: [String], environment: [String: String],
                timeout: Duration) async -> ProcessExit {
        lock.withLock {
            calls.append(arguments)
            return answers.isEmpty
                ? ProcessExit(stdout: "", stderr: "script exhausted", ending: .exited(99), durationMilliseconds: 0)
                : answers.removeFirst()
        }
    }

    var recordedCalls: [[String]] { lock.withLock { calls } }
}

/// Collects the waits the runner asked for instead of sleeping.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Duration] = []
    func record(_ duration: Duration) { lock.withLock { waits.append(duration) } }
    var all: [Duration] { lock.withLock { waits } }
}

func ok(_ stdout: String) -> ProcessExit {
    ProcessExit(stdout: stdout, stderr: "", ending: .exited(0), durationMilliseconds: 5)
}

func failing(_ stderr: String, exit: Int32 = 254) -> ProcessExit {
    ProcessExit(stdout: "", stderr: stderr, ending: .exited(exit), durationMilliseconds: 5)
}
