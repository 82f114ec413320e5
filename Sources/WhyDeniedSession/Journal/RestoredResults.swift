import Foundation

/// The results a resumed session takes from its journal instead of running the commands again:
/// every read-only command whose `finished` line is in the journal and whose saved output is
/// still there with the digest the journal recorded. A mutating command is never restored (its
/// step re-reads the current state and proposes it again), and a result whose output file is
/// missing or altered, or whose path leaves the session folder, is not trusted: that command
/// runs again, and `notes` says why.
///
/// ```swift
/// let restored = RestoredResults(session: recorded, folder: folder)
/// if let outcome = restored.take(SessionJournal.ref(command)) { session.record(outcome, for: command) }
/// ```
public final class RestoredResults: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [CommandRef: CommandOutcome]
    /// Refs in journal order, for `remaining`.
    private let order: [CommandRef]
    /// Why some journaled results are not restored.
    public let notes: [String]
    private var taken = 0

    public init(session: RecordedSession, folder: SessionFolder) {
        var notes: [String] = []
        var outcomes: [CommandRef: CommandOutcome] = [:]
        var order: [CommandRef] = []
        for command in session.commands {
            guard let journaled = command.outcome else { continue }
            if command.mutates {
                notes.append("\(command.ref) changed the account; it is not replayed: its step re-reads the current state and proposes it again")
                continue
            }
            switch Self.outcome(of: command, journaled: journaled, folder: folder) {
            case .success(let outcome):
                if outcomes[command.ref] == nil { order.append(command.ref) }
                outcomes[command.ref] = outcome
            case .failure(let why):
                notes.append("\(command.ref) runs again: \(why)")
            }
        }
        self.notes = notes
        self.outcomes = outcomes
        self.order = order
    }

    /// The restored result for a command, once: a command proposed again later runs for real.
    public func take(_ ref: CommandRef) -> CommandOutcome? {
        lock.lock()
        defer { lock.unlock() }
        guard let outcome = outcomes.removeValue(forKey: ref) else { return nil }
        taken += 1
        return outcome
    }

    /// How many results were handed back with `take`.
    public var takenCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return taken
    }

    /// Results still waiting to be taken, in journal order.
    public var remaining: [CommandRef] {
        lock.lock()
        defer { lock.unlock() }
        return order.filter { outcomes[$0] != nil }
    }

    private struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    private static func outcome(of command: RecordedSession.Command, journaled: JournaledOutcome,
                                folder: SessionFolder) -> Result<CommandOutcome, Unusable> {
        func savedText(_ path: String?, digest: String?, what: String) -> Result<String, Unusable> {
            guard let path else { return .success("") }
            guard let file = folder.containedFile(path) else {
                return .failure(Unusable(description: "its saved \(what) path \(path) leaves the session folder; refused"))
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                return .failure(Unusable(description: "its saved \(what) \(path) is missing"))
            }
            if let digest, SHA256Digest.hex(of: data) != digest {
                return .failure(Unusable(description: "its saved \(what) \(path) does not match the journal's SHA-256"))
            }
            return .success(String(decoding: data, as: UTF8.self))
        }
        let stdout: String, stderr: String
        switch savedText(journaled.stdoutPath, digest: journaled.stdoutSHA256, what: "output") {
        case .success(let text): stdout = text
        case .failure(let why): return .failure(why)
        }
        switch savedText(journaled.stderrPath, digest: journaled.stderrSHA256, what: "error output") {
        case .success(let text): stderr = text
        case .failure(let why): return .failure(why)
        }
        let ending = Self.ending(exitCode: journaled.exitCode)
        let failure = journaled.exitCode == 0 ? nil
            : CommandFailure.classify(stderr: stderr, exitCode: journaled.exitCode, argv: command.argv)
        return .success(CommandOutcome(argv: command.argv, stdout: stdout, stderr: stderr, ending: ending,
                                       durationMilliseconds: journaled.durationMilliseconds, attempts: 0,
                                       failure: failure))
    }

    /// The journal keeps the shell convention for how a command ended (see GuidedSession.exitStatus).
    static func ending(exitCode: Int32) -> CommandEnding {
        switch exitCode {
        case 124: return .timedOut
        case 130: return .cancelled
        case 127: return .notStarted("not started (as journaled)")
        case 129...192: return .signalled(exitCode - 128)
        default: return .exited(exitCode)
        }
    }
}
