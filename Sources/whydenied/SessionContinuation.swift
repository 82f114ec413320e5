import Foundation
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// `whydenied resume ID --continue`: rebuilds the session from its journal and goes on headless.
/// Finished read-only results are fed back to the step engine instead of running again; the
/// commands after them run now and are appended to the same journal. Nothing that changes the
/// account runs (a change interrupted by kill -9 is proposed again only after its step re-reads
/// the current state, in an interactive session).
enum SessionContinuation {
    static func run(_ recorded: RecordedSession, folder: SessionFolder, runbookPath: String?,
                    runner: AWSCommandRunner) async -> Int32 {
        guard let loaded = RunCommand.loadRunbook(runbookPath) else { return 1 }
        if let journaled = recorded.runbook, journaled != loaded.id {
            RunCommand.printError("whydenied: the session ran runbook \"\(journaled)\", not \"\(loaded.id)\"; pass its file with --runbook")
            return 1
        }
        let parameters = recorded.parameters.compactMapValues { $0.secret ? nil : $0.value }
        var session = GuidedSession(runbook: loaded, parameters: parameters, now: recorded.startedAt ?? Date(), readOnly: true)
        if !session.missingParameters.isEmpty {
            RunCommand.printError("whydenied: the journal lacks the parameter(s) " + session.missingParameters.joined(separator: ", ")
                                  + "; start a new session with `whydenied run`")
            return 1
        }
        let restored = RestoredResults(session: recorded, folder: folder)
        for note in restored.notes { session.addNote("resume: \(note)") }
        let journal: SessionJournal
        do {
            journal = try SessionJournal(folder: folder)
        } catch {
            RunCommand.printError("whydenied: cannot continue the journal in \(folder.url.path): \(error.localizedDescription)")
            return 1
        }
        print("Continuing session \(folder.id): \(restored.remaining.count) result(s) restored from the journal")
        print("")
        let interruption = SessionInterruption()
        session = await RunCommand.drive(session, runner: runner, journal: journal, restoring: restored,
                                         interruption: interruption)
        print("")
        print(RunCommand.redactor.redact(RunCommand.report(session)))
        print("\nRestored from the journal: \(restored.takenCount); session \(folder.id) journaled in \(folder.url.path)")
        if let status = interruption.exitStatus { return status }
        return session.headlessExitStatus
    }
}
