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
    /// let record = session.recordChange(command, outcome: outcome, journal: journal)
    /// record.change.rollbackArgv   // [["aws", "iam", "update-assume-role-policy", …]]
    /// ```
    public func recordChange(_ command: ProposedCommand, outcome: CommandOutcome, journal: SessionJournal?) -> ChangeRecord {
        var backupDocument: JSONValue?
        var backupPath: String?
        if let backup = ChangeBackup.read(for: command.argv, step: command.stepID, in: transcript) {
            backupDocument = backup.output
            backupPath = try? journal?.folder.saveDocument(backup.output, relativePath: "backups/\(backup.commandID).json").relativePath
        }
        let (change, writes) = RunbookChange.applied(command, outcome: outcome, facts: engine.facts, captures: engine.captures,
                                                     backup: backupDocument, backupPath: backupPath)
        journal?.changeApplied(change)
        let verified = RunbookChange.verification(of: writes, document: FixContext(facts: engine.facts).document, analysis: analysis)
        if let verified {
            journal?.analysisRecorded(step: command.stepID, name: "verify_change_offline",
                                      result: .object(JSONObject([("change", .string(change.target)), ("result", .string(verified))])))
        }
        return ChangeRecord(change: change, backupPath: backupPath, verification: verified)
    }
}
