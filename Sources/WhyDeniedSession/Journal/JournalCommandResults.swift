import Foundation

extension JournaledOutcome {
    /// The journal record of a runner outcome whose output was saved under the session folder.
    /// Processes that did not exit normally get the shell's conventional codes: 128+signal when
    /// killed, 124 on timeout, 130 when cancelled, 127 when the process never started.
    public init(_ outcome: CommandOutcome, stdout: SessionFolder.SavedFile?, stderr: SessionFolder.SavedFile?) {
        let code: Int32
        switch outcome.ending {
        case .exited(let exit): code = exit
        case .signalled(let signal): code = 128 + signal
        case .timedOut: code = 124
        case .cancelled: code = 130
        case .notStarted: code = 127
        }
        self.init(exitCode: code, durationMilliseconds: outcome.durationMilliseconds,
                  stdoutPath: stdout?.relativePath, stdoutSHA256: stdout?.sha256,
                  stderrPath: stderr?.relativePath, stderrSHA256: stderr?.sha256)
    }
}

extension JournalWriter {
    /// Saves a finished command's output (redacted) under `outputs/` and journals `finished`.
    /// The session loop calls this before it proposes the next command.
    @discardableResult
    public func recordFinished(_ ref: CommandRef, outcome: CommandOutcome, in folder: SessionFolder) throws -> JournaledOutcome {
        let sequence = String(format: "%04d", nextSequenceNumber)
        let stdout = outcome.stdout.isEmpty ? nil : try folder.saveOutput(outcome.stdout, name: "\(sequence)-\(ref.step)-\(ref.command)-stdout.txt")
        let stderr = outcome.stderr.isEmpty ? nil : try folder.saveOutput(outcome.stderr, name: "\(sequence)-\(ref.step)-\(ref.command)-stderr.txt")
        let recorded = JournaledOutcome(outcome, stdout: stdout, stderr: stderr)
        try append(.commandFinished(ref, recorded))
        return recorded
    }
}
