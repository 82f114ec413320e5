import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// `JournalRecorder` decides the journal's writes without a file; `SessionJournal` carries
/// them out.
@Suite struct JournalRecorderTests {
    /// The first command of the CI deployer case, at the gate (`sts get-caller-identity`).
    static func firstCommand() throws -> (GuidedSession, ProposedCommand) {
        var session = try GuidedSessionTests.session()
        var journal = JournalRecorder.off
        while true {
            switch session.advance(journal: &journal) {
            case .checkTools(let request): session.recordToolsChecked(request, missing: [], journal: &journal)
            case .command(let command, _): return (session, command)
            case let other: throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "stopped at \(other)"])
            }
        }
    }

    @Test func outputsAreNumberedInTheOrderCommandsFinish() throws {
        let (_, command) = try Self.firstCommand()
        var journal = JournalRecorder()
        let outcome = CommandOutcome(argv: command.argv, stdout: #"{"Arn": "arn:aws:iam::111122223333:user/eve"}"#,
                                     ending: .exited(0), durationMilliseconds: 12)
        journal.finished(command, outcome: outcome)
        journal.finished(command, outcome: CommandOutcome(argv: command.argv, stderr: "boom", ending: .exited(255)))
        let writes = journal.takeWrites()
        guard writes.count == 3, case .commandFinished(let ref, 0, 12, let stdout, nil) = writes[0],
              case .commandFinished(_, 255, _, let second, let stderr?) = writes[2] else {
            Issue.record("\(writes)"); return
        }
        #expect(ref == SessionJournal.ref(command))
        #expect(stdout.name == "0001-\(command.id).stdout.txt")
        #expect(writes[1] == .event(.operatorIdentified(callerARN: "arn:aws:iam::111122223333:user/eve")))
        #expect(second.name == "0002-\(command.id).stdout.txt" && stderr.name == "0002-\(command.id).stderr.txt")
        #expect(journal.takeWrites().isEmpty, "taken once")
    }

    @Test func aSessionWithoutAJournalKeepsNothing() throws {
        let (session, command) = try Self.firstCommand()
        var journal = JournalRecorder.off
        journal.sessionStarted(session)
        journal.proposed(command)
        journal.finished(command, outcome: CommandOutcome(argv: command.argv, ending: .exited(0)))
        journal.changeApplied(AppliedChange(step: "s", summary: "", target: "t", argv: [], backupPaths: [], rollbackArgv: []))
        #expect(journal.takeWrites().isEmpty)
    }

    /// A backup that cannot be saved: the change is journaled without it, and it is a note.
    @Test func aBackupThatCannotBeSavedIsNotNamedByTheChange() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let journal = try SessionJournal.create(in: home.store)
        // A file where the backups folder should be.
        _ = FileManager.default.createFile(atPath: journal.folder.url.appendingPathComponent("backups").path, contents: Data("x".utf8))
        let change = AppliedChange(step: "implement", summary: "trust policy", target: "role/Deploy", argv: ["aws"],
                                   backupPaths: ["backups/implement.read.json"], rollbackArgv: [])
        journal.carryOut([.changeApplied(change, backup: JournalWrite.BackupFile(relativePath: "backups/implement.read.json",
                                                                                   document: .object(JSONObject([]))))])
        let reading = try JournalReading(contentsOf: journal.folder.journalURL)
        guard case .changeApplied(let journaled)? = reading.entries.last?.event else { Issue.record("\(reading.entries)"); return }
        #expect(journaled.backupPaths.isEmpty)
        #expect(journal.takeProblems().contains { $0.contains("backups/implement.read.json") })
    }
}
