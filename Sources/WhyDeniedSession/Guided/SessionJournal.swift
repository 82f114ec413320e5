import Foundation
import WhyDeniedJSON
import WhyDeniedRunbook

/// A session's journal on disk: carries out the `JournalWrite`s a `JournalRecorder` decides —
/// appends each event through `JournalWriter`, saves each command's output (redacted, with its
/// SHA-256) and each change's backup in the session folder — and never stops the session over
/// a write failure: a failure becomes a note (`takeProblems()`), said once per distinct problem.
///
/// Every append is forced to disk by `JournalWriter` before it returns, so a command's
/// proposal, confirmation and start are on disk before the command runs. What is recorded is
/// enough to rebuild the session: parameters with their origin, every command's `CommandRef`
/// (step, command, `foreach` item), argv, exit, duration, saved stdout path + sha256, captures
/// (the capture's value after the command), facts learned and analysis results.
///
/// The headless run keeps its recorder here and writes at once (`record`); the guided model
/// owns its own recorder and hands the writes to its performer, which calls `carryOut`.
///
/// ```swift
/// let journal = try SessionJournal.create(in: SessionStore(environment: ProcessInfo.processInfo.environment))
/// await session.runHeadless(effects: runner, journal: journal) { print($0) }
/// journal.record { $0.sessionEnded(reason: "completed") }
/// ```
public final class SessionJournal: @unchecked Sendable {
    public let folder: SessionFolder
    private let writer: JournalWriter
    private let lock = NSLock()
    private var problems: [String] = []
    private var reported: Set<String> = []
    private var recorder = JournalRecorder()

    public init(folder: SessionFolder) throws {
        self.folder = folder
        writer = try JournalWriter(folder: folder)
    }

    /// A new session folder in `store`, with its journal.
    public static func create(in store: SessionStore, at date: Date = Date()) throws -> SessionJournal {
        try SessionJournal(folder: store.createSession(at: date))
    }

    public var id: String { folder.id }

    /// Where the parameters came from, journaled with `parameter_set` (default: the command line).
    public var parameterOrigins: [String: ParameterOrigin] {
        get { lock.withLock { recorder.parameterOrigins } }
        set { lock.withLock { recorder.parameterOrigins = newValue } }
    }

    /// Where the commands go, journaled as `connection` right after `session_started`.
    public var connection: SessionConnection? {
        get { lock.withLock { recorder.connection } }
        set { lock.withLock { recorder.connection = newValue } }
    }

    /// Where the session's trail log files are downloaded.
    public var downloadsPath: String { Self.downloadsPath(of: folder) }

    public static func downloadsPath(of folder: SessionFolder) -> String {
        folder.url.appendingPathComponent("downloads", isDirectory: true).path
    }

    /// Write failures since the last call, as notes for the operator.
    public func takeProblems() -> [String] {
        lock.withLock {
            let taken = problems
            problems = []
            return taken
        }
    }

    /// Lets `body` record happenings with this journal's recorder, then carries out what it
    /// decided, before returning.
    @discardableResult
    public func record<Result>(_ body: (inout JournalRecorder) throws -> Result) rethrows -> Result {
        let (result, writes) = try lock.withLock {
            let result = try body(&recorder)
            return (result, recorder.takeWrites())
        }
        carryOut(writes)
        return result
    }

    /// `session_started` and what follows it (see `JournalRecorder.sessionStarted`), written at once.
    public func sessionStarted(_ session: GuidedSession, origins: [String: ParameterOrigin] = [:], changesEnabled: Bool? = nil) {
        record { $0.sessionStarted(session, origins: origins, changesEnabled: changesEnabled) }
    }

    // MARK: Carrying out

    /// Carries out `writes` in order; a write that fails is a problem, and the next is tried.
    public func carryOut(_ writes: [JournalWrite]) {
        for write in writes {
            switch write {
            case .event(let event):
                append(event)
            case .commandFinished(let ref, let exitCode, let duration, let stdout, let stderr):
                let savedOut = save(stdout)
                let savedErr = stderr.flatMap(save)
                append(.commandFinished(ref, JournaledOutcome(
                    exitCode: exitCode, durationMilliseconds: duration,
                    stdoutPath: savedOut?.relativePath, stdoutSHA256: savedOut?.sha256,
                    stderrPath: savedErr?.relativePath, stderrSHA256: savedErr?.sha256)))
            case .changeApplied(var change, let backup):
                if let backup {
                    do {
                        _ = try folder.saveDocument(backup.document, relativePath: backup.relativePath)
                    } catch {
                        // The change names no backup that is not there.
                        change.backupPaths.removeAll { $0 == backup.relativePath }
                        problem("could not save the backup \(backup.relativePath): \(error.localizedDescription)")
                    }
                }
                append(.changeApplied(change))
            }
        }
    }

    // MARK: Helpers

    public static func ref(_ command: ProposedCommand) -> CommandRef {
        CommandRef(step: command.stepID, command: command.commandID, item: command.item.map(itemText))
    }

    public static func ref(_ blocked: BlockedCommand) -> CommandRef {
        ref(proposalID: blocked.id, step: blocked.stepID)
    }

    /// From a proposal id (`step.command` or `step.command#N`): the `foreach` position as item.
    public static func ref(proposalID: String, step: String) -> CommandRef {
        let parts = proposalID.split(separator: "#", maxSplits: 1).map(String.init)
        let command = parts[0].hasPrefix(step + ".") ? String(parts[0].dropFirst(step.count + 1)) : parts[0]
        return CommandRef(step: step, command: command, item: parts.count > 1 ? "#\(parts[1])" : nil)
    }

    static func itemText(_ item: JSONValue) -> String {
        item.stringValue ?? item.serialized()
    }

    private func save(_ file: JournalWrite.OutputFile) -> SessionFolder.SavedFile? {
        do {
            return try folder.saveOutput(file.text, name: file.name)
        } catch {
            problem("could not save output \(file.name): \(error.localizedDescription)")
            return nil
        }
    }

    private func append(_ event: JournalEvent) {
        do {
            try writer.append(event)
        } catch {
            problem("could not write the \(event.kind) event: \(error.localizedDescription)")
        }
    }

    private func problem(_ text: String) {
        lock.withLock {
            let note = "journal \(folder.url.path): \(text)"
            if reported.insert(text).inserted { problems.append(note) }
        }
    }
}
