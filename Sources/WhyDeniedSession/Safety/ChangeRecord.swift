import WhyDeniedJSON
import WhyDeniedRunbook

/// What the session keeps once a change ran: the change with its undo, where its backup was
/// saved, and the offline re-check of the denied request with the new document in place.
public struct ChangeRecord: Sendable, Equatable {
    public var change: AppliedChange
    /// Relative to the session folder (`backups/implement.backup_trust_policy.json`); nil when
    /// nothing was backed up or the session is not journaled.
    public var backupPath: String?
    public var verification: String?
}

extension GuidedSession {
    /// A change ran: saves the step's backup read of what it replaced in the session folder,
    /// journals the change with its undo, and re-evaluates the denied request offline. Every
    /// front end (the TUI's driver, a scripted run) records changes through this one place.
    ///
    /// ```swift
    /// let record = session.recordChange(command, outcome: outcome, journal: &recorder)
    /// record.change.rollbackArgv   // [["aws", "iam", "update-assume-role-policy", …]]
    /// ```
    public func recordChange(_ command: ProposedCommand, outcome: CommandOutcome, journal: inout JournalRecorder) -> ChangeRecord {
        var backupDocument: JSONValue?
        var backup: JournalWrite.BackupFile?
        if let read = ChangeBackup.read(for: command.argv, step: command.stepID, in: transcript) {
            backupDocument = read.output
            // Kept in the session folder with the change; a session without one keeps no backup.
            if journal.isOn { backup = JournalWrite.BackupFile(relativePath: "backups/\(read.commandID).json", document: read.output) }
        }
        let (change, writes) = RunbookChange.applied(command, outcome: outcome, facts: engine.facts, captures: engine.captures,
                                                     backup: backupDocument, backupPath: backup?.relativePath)
        journal.changeApplied(change, backup: backup)
        let verified = RunbookChange.verification(of: writes, document: FixContext(facts: engine.facts).document, analysis: analysis)
        if let verified {
            journal.analysisRecorded(step: command.stepID, name: "verify_change_offline",
                                     result: .object(JSONObject([("change", .string(change.target)), ("result", .string(verified))])))
        }
        return ChangeRecord(change: change, backupPath: backup?.relativePath, verification: verified)
    }
}
