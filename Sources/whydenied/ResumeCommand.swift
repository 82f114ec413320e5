import ArgumentParser
import Foundation
import WhyDeniedReport
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedRunbook

/// `whydenied resume [ID]`: lists sessions, or rebuilds one from its journal and shows where it
/// stands: parameters, results restored, and the commands that must be proposed again.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "List sessions, or rebuild one from its journal after a crash or a closed terminal.",
        discussion: """
        Without ID: every session under $XDG_STATE_HOME/whydenied/sessions (default \
        ~/.local/state), newest first. With ID: the session rebuilt from its journal. Results of \
        finished commands are restored, never re-run; a command that was confirmed or started but \
        has no result (for example a change interrupted by kill -9) is proposed again after its \
        step re-reads the current state, never run automatically.

        Examples:
          whydenied resume                       # the sessions, newest first
          whydenied resume 20260130-101500-seed --continue \\
            --non-interactive --yes-read-only
        """
    )

    @Argument(help: "Session id (or session folder) to rebuild.")
    var session: String?

    @Flag(name: .customLong("continue"), help: "Go on with the session from where its journal ends (needs --non-interactive --yes-read-only).")
    var continueSession = false

    @Flag(help: "Continue without a terminal UI.")
    var nonInteractive = false

    @Flag(help: "Confirm that the read-only commands still to run may run without asking.")
    var yesReadOnly = false

    @Option(help: "AWS CLI profile for the commands still to run (only for a journal that does not record one; must match otherwise).")
    var profile: String?

    @Option(help: "Endpoint URL for the commands still to run (only for a journal that does not record one; must match otherwise).")
    var endpointUrl: String?

    @Option(help: "The runbook file (default: the session's runbook, Runbooks/access-denied.yaml).")
    var runbook: String?

    @Option(help: "The aws executable (default: aws on PATH).")
    var aws: String = "aws"

    func validate() throws {
        if continueSession {
            if session == nil { throw ValidationError("--continue needs a session id") }
            if !nonInteractive || !yesReadOnly {
                throw ValidationError("--continue runs headless: add --non-interactive --yes-read-only")
            }
        }
    }

    func run() async throws {
        guard let session else {
            listSessions()
            return
        }
        let folder = try SessionLocator.folder(for: session)
        let recorded = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        // The runbook names the steps and commands; without it the summary shows their ids.
        let definition = try? RunbookLoader.load(contentsOf: try RunbookFile.locate(runbook), classifier: CommandClassifier.bundled)
        print(ResumeSummary.text(recorded, runbook: definition))
        guard continueSession else { return }
        print("")
        var connection: AWSConnection
        switch ResumeConnection.choose(journaled: recorded.connection, regionParameter: recorded.parameters["region"]?.value,
                                       endpointURL: endpointUrl, profile: profile, executable: aws,
                                       environment: ProcessInfo.processInfo.environment) {
        case .success(let chosen):
            connection = chosen
            // The organization reads go where the session's org_profile parameter said.
            connection.organizationProfile = recorded.parameters["org_profile"]?.value
        case .failure(let refusal):
            RunCommand.printError("whydenied: not continuing session \(folder.id): \(refusal)")
            throw ExitCode(1)
        }
        print("Remaining commands go to: \(connection.target(inherited: ProcessInfo.processInfo.environment))")
        let code = await SessionContinuation.run(recorded, folder: folder, runbookPath: runbook,
                                                 runner: AWSCommandRunner(connection: connection, launcher: try RunCommand.sessionLauncher()))
        if code != 0 { throw ExitCode(code) }
    }

    private func listSessions() {
        let store = SessionStore(environment: ProcessInfo.processInfo.environment)
        let sessions = store.listSessions()
        guard !sessions.isEmpty else {
            print("No sessions under \(store.root.path).")
            return
        }
        let style = Date.ISO8601FormatStyle()
        let rows = sessions.map { summary in
            [summary.id, summary.startedAt.map { $0.formatted(style) } ?? "—", summary.principal ?? "—",
             summary.lastStep ?? "—", summary.state + (summary.noticeCount > 0 ? " (\(summary.noticeCount) journal notices)" : "")]
        }
        let header = ["ID", "STARTED", "PRINCIPAL", "LAST STEP", "STATE"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
    }
}
