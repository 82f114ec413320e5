import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTUI

/// Drives one guided session for the TUI: owns the `GuidedSession` value and the executor of
/// its commands, lets `GuidedSession.advance` do the steps that need no operator, stops at
/// every command to let the operator decide (the guided policy), and journals every event in
/// the session folder. Each method answers with the messages the UI should apply, a command's
/// run with its outcome (`commandFinished`); no terminal is needed, so tests drive it with
/// messages against recorded outcomes.
///
/// ```swift
/// let driver = GuidedSessionDriver(options: options, environment: env, edges: .live(environment: env, loadRunbook: load))
/// let messages = await driver.start(parameters: ["principal": "DataAnalystRole", …])
/// ```
package actor GuidedSessionDriver {
    package let options: GuidedSessionOptions
    package let environment: [String: String]
    private let edges: GuidedSessionEdges
    private var session: GuidedSession?
    private var connection: AWSConnection?
    private var effects: (any SessionEffects)?
    private var pending: ProposedCommand?
    private var outputs: [CommandOutput] = []
    private var notice: String?
    private var context = ContextBanner()
    private var changesEnabled = false
    private var journal: SessionJournal?
    private var ended = false
    /// A change was declined in this step: its later reads (verifications) have nothing to check.
    private var declinedChangeInStep: String?
    /// The last command's failure, so a halt it caused can be told apart (credentials or not).
    private var lastFailure: CommandFailure?
    /// Set while the session waits on the operator's credentials (a halt they caused).
    private var credentials: CredentialsCheck?
    /// Set while a failed step halts the session (any other cause than the credentials): the
    /// operator may fix the cause and have the failed command proposed again (`retryFailedStep`).
    private var halted: Halt?

    package init(options: GuidedSessionOptions, environment: [String: String], edges: GuidedSessionEdges) {
        self.options = options
        self.environment = environment
        self.edges = edges
    }

    package var folder: SessionFolder? { journal?.folder }

    // MARK: Effects

    /// The TUI's session effects, answered with the messages the UI applies next. Effects the
    /// driver does not carry out (the paste parser, the event file, the clipboard, quitting,
    /// cancelling: the performer's) answer nothing.
    package func perform(_ effect: Effect) async -> [Message] {
        switch effect {
        case .startSession(let parameters, let origins, let denial):
            return await start(parameters: parameters, origins: origins, denial: denial)
        case .runCommand(let proposal): return await run(proposal)
        case .skipCommand(let proposal, let reason): return await skip(proposal, reason: reason)
        case .setChangesEnabled(let enabled): return setChangesEnabled(enabled)
        case .exportReport: return [.notice(exportReport())]
        case .offerChangeAgain(let stepID): return await offerChangeAgain(step: stepID)
        case .checkCredentials(let profile): return await retryCredentials(profile: profile)
        case .retryFailedStep(let stepID): return await retryFailedStep(stepID)
        case .parsePastedText, .loadEventFile, .completePath, .cancelRunningCommand, .quit, .copyToClipboard: return []
        }
    }

    /// - Parameter denial: the pasted message as the paste dialog's parser read it; the session
    ///   takes it as it is instead of parsing `error_message` again.
    package func start(parameters given: [String: String], origins: [String: ParameterOrigin] = [:],
               denial: PastedDenial? = nil) async -> [Message] {
        guard session == nil else { return [] }
        let runbook: Runbook
        do {
            runbook = try edges.loadRunbook()
        } catch {
            return [.sessionFailed("Cannot load the runbook: \(error)")]
        }
        var parameters = given.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        let profile = parameters.removeValue(forKey: "profile")
        let region = parameters["region"]
        var connection = AWSConnection(profile: profile, region: region, endpointURL: options.endpointURL)
        // A session parameter too: the analysis says whose credentials read the organization.
        connection.organizationProfile = parameters["org_profile"]
        if options.sandbox, profile != StagedOrganization.memberProfile {
            // The sandbox's dummy credentials come from the environment; never a real profile's
            // (the member account's profile lives in the sandbox's own credentials file).
            connection.profile = nil
        }
        self.connection = connection
        effects = edges.connect(connection)
        var value = GuidedSession(runbook: runbook, parameters: parameters, now: Date(), readOnly: false, pasted: denial)
        if !value.missingParameters.isEmpty {
            return [.sessionFailed("Missing: " + value.missingParameters.joined(separator: ", "))]
        }
        context = ContextBanner(account: parameters["account_id"], region: region,
                                // The sandbox runs on moto's dummy keys: no profile is in play, say so.
                                profile: options.sandbox ? "sandbox" : connection.profile ?? environment["AWS_PROFILE"],
                                sandbox: options.sandbox, replay: options.replay != nil)
        do {
            let journal = try SessionJournal.create(in: SessionStore(environment: environment))
            self.journal = journal
            value.downloadDirectory = journal.downloadsPath
            journal.connection = connection.target(inherited: environment)
            let journaled = Dictionary(uniqueKeysWithValues: parameters.keys.map { ($0, origins[$0] ?? ParameterOrigin(source: .typed)) })
            journal.sessionStarted(value, origins: journaled, changesEnabled: changesEnabled)
        } catch {
            notice = "The session is not journaled (\(error)); export will not be possible."
        }
        session = value
        await advance()
        return [.sessionChanged(view())]
    }

    /// Runs the proposal the operator confirmed (possibly with edited arguments).
    package func run(_ proposal: CommandProposal) async -> [Message] {
        guard var value = session, let command = pending, command.id == proposal.id, let effects else {
            return [.sessionFailed("That command is no longer the one proposed.")]
        }
        // What runs is what the operator confirmed: an edit is checked and classified again here.
        let shown = GuidedSessionPresentation.redactor.redact(argv: command.argv)
        let edited = proposal.argv != shown
        if edited, let problem = EditedCommand.problem(editing: shown, into: proposal.argv) {
            return [.sessionFailed("Not run: \(problem)")]
        }
        let classification = edited ? value.classifier.classify(proposal.argv) : value.classification(of: command)
        if classification.mutates && !changesEnabled {
            return [.sessionFailed("The session is read-only: F4 enables changes first (\(classification.reason)).")]
        }
        if command.mutates {
            // IAM's limits first: a change that would be refused, or would fail half-way, is not run.
            let findings = RunbookChange.limitFindings(
                for: command, policyVersions: RunbookChange.policyVersions(step: command.stepID, in: value.transcript))
            let blocking = findings.filter(\.blocksChange)
            if !blocking.isEmpty {
                notice = "Not run, a limit would be hit: " + blocking.map(\.description).joined(separator: "; ")
                return [.sessionChanged(view())]
            }
        }
        var request = GuidedSession.request(for: command)
        request.mutates = classification.mutates
        if edited {
            request.argv = proposal.argv
            journal?.record { $0.edited(command, argv: request.argv, classification: classification) }
        }
        journal?.record { $0.confirmed(command) }
        journal?.record { $0.started(command, argv: request.argv, classification: classification) }
        let outcome = await effects.run(request)
        pending = nil
        lastFailure = outcome.failure
        let capturesBefore = value.engine.captures
        // The transcript says what ran: an edit into a change is never taken for a backup read.
        value.record(outcome, for: classification.mutates && !command.mutates ? command.markedMutating() : command)
        session = value
        let output = CommandOutput(
            proposal: proposal, exitCode: GuidedSession.exitStatus(outcome),
            stdout: GuidedSessionPresentation.redactor.redactOutput(outcome.stdout),
            stderr: GuidedSessionPresentation.redactor.redactOutput(outcome.stderr),
            seconds: Double(outcome.durationMilliseconds) / 1000,
            summary: GuidedSession.answer(outcome, for: command).map { "\($0): an answer (nothing there), not a failure" }
                ?? outcome.failure?.operatorMessage ?? (outcome.pagesRead > 1 ? "\(outcome.pagesRead) pages" : nil))
        outputs.append(output)
        journal?.record { $0.finished(command, outcome: outcome) }
        journal?.record { $0.captured(command, before: capturesBefore, after: value.engine.captures) }
        if case .cancelled = outcome.ending {
            // The operator's words: the command as shown, never the runbook's command id.
            let passedOver = value.engine.history.last.map { $0.id == command.id && $0.result == .fellBack(StepEngine.cancelledCode) } ?? false
            notice = "Cancelled: \(command.argv.prefix(3).joined(separator: " ")) was stopped."
                + (passedOver ? " The step goes on with its next source." : "")
        }
        if command.mutates, outcome.succeeded { recordChange(command, outcome: outcome) }
        await advance()
        return [.commandFinished(output), .sessionChanged(view())]
    }

    /// A change ran: keep the backup in the session folder, journal the change with its undo,
    /// and tell the operator how to roll back.
    private func recordChange(_ command: ProposedCommand, outcome: CommandOutcome) {
        guard let session else { return }
        let record = session.recordChange(command, outcome: outcome, journal: journal)
        let undo = record.change.rollbackArgv.map { ArgvDisplay.line(GuidedSessionPresentation.redactor.redact(argv: $0)) }
        notice = "Changed \(record.change.target)." + (record.backupPath.map { " Backup: \($0)." } ?? "")
            + (undo.isEmpty ? "" : " Roll back with: " + undo.joined(separator: " && "))
            + (record.verification.map { " " + $0 } ?? "") + " " + PolicyChangePlan.propagationReminder
    }

    /// The operator skipped a read-only command (with a reason) or declined a change.
    package func skip(_ proposal: CommandProposal, reason: String) async -> [Message] {
        guard var value = session, let command = pending, command.id == proposal.id else { return [] }
        pending = nil
        value.skip(command, reason: reason)
        session = value
        if command.mutates {
            journal?.record { $0.declined(command, reason: reason) }
        } else {
            journal?.record { $0.skipped(SessionJournal.ref(command), reason: reason) }
        }
        if command.mutates { declinedChangeInStep = command.stepID }
        await advance()
        return [.sessionChanged(view())]
    }

    /// The operator wants the declined change after all: the step starts over (its backups are
    /// read again, then the change is proposed through the dialog), and so do the steps after it.
    package func offerChangeAgain(step stepID: String) async -> [Message] {
        guard var value = session, pending == nil, declinedChangeInStep == stepID else { return [] }
        value.rerunStep(stepID)
        session = value
        declinedChangeInStep = nil
        // The session goes on: its end is journaled again when it gets there.
        ended = false
        notice = "Offering the declined change again: the step starts over, backups first."
        await advance()
        return [.sessionChanged(view())]
    }

    /// After a credentials failure: check again, as before (the operator refreshed them) or with
    /// `profile`, which every later command then uses too. The halted command is proposed anew.
    package func retryCredentials(profile: String?) async -> [Message] {
        guard credentials != nil, var connection, var value = session else { return [] }
        if let profile {
            // A profile picked after a credentials failure: every later command runs with it.
            connection.profile = profile
            self.connection = connection
            effects = edges.connect(connection)
            journal?.record { $0.connectionChanged(to: connection.target(inherited: environment)) }
            context.profile = profile
        }
        credentials = nil
        lastFailure = nil
        value.retryHalted()
        session = value
        notice = "Checking the credentials again" + (profile.map { " with profile \($0)" } ?? "") + "."
        await advance()
        return [.sessionChanged(view())]
    }

    /// After a failed step halted the session: the operator fixed the cause, so its failed
    /// command is proposed again (through the gate, like any command: a change through its
    /// dialog) and, once it succeeds, the session goes on from there. A halt on a step whose
    /// sources all failed starts that step over.
    package func retryFailedStep(_ stepID: String) async -> [Message] {
        guard var value = session else { return [] }
        guard let halt = halted, halt.stepID == stepID else { return await retryPassedStep(stepID) }
        guard pending == nil else { return [] }
        halted = nil
        lastFailure = nil
        value.retryHalted()
        session = value
        // The session goes on: its end is journaled again when it gets there.
        ended = false
        let title = value.engine.runbook.step(stepID)?.title ?? stepID
        notice = "Trying \"\(title)\" again from its failed command."
        await advance()
        return [.sessionChanged(view())]
    }

    /// A step that failed and let the session go on (✗): it starts over, its failed commands
    /// come to the gate, what answered before is not asked again (`StepRetry`), and the steps
    /// after it, their analyses included, take the new outcome. A command waiting at the gate
    /// comes back in its turn.
    private func retryPassedStep(_ stepID: String) async -> [Message] {
        guard var value = session, credentials == nil, value.retryFailedStep(stepID) else { return [] }
        let runbook = value.engine.runbook
        let order = { (id: String) in runbook.steps.firstIndex { $0.id == id } ?? 0 }
        pending = nil
        halted = nil
        lastFailure = nil
        // A change declined at or after the step is proposed again when its step comes.
        if let declined = declinedChangeInStep, order(declined) >= order(stepID) { declinedChangeInStep = nil }
        session = value
        ended = false
        notice = "Trying \"\(runbook.step(stepID)?.title ?? stepID)\" again: its failed commands come to the gate; "
            + "what answered before is not asked again."
        await advance()
        return [.sessionChanged(view())]
    }

    package func setChangesEnabled(_ enabled: Bool) -> [Message] {
        if enabled && !changesEnabled { journal?.record { $0.changesEnabled() } }
        changesEnabled = enabled
        return session == nil ? [] : [.sessionChanged(view())]
    }

    /// Writes the report (Markdown and JSON) into the session folder and says where.
    package func exportReport() -> String {
        guard let folder = journal?.folder else { return "Nothing to export: the session is not journaled." }
        do {
            let runbook = session?.engine.runbook
            let markdown = try ReportExport.write(folder: folder, format: .markdown, maskAccountIDs: false, runbook: runbook)
            let json = try ReportExport.write(folder: folder, format: .json, maskAccountIDs: false, runbook: runbook)
            return "Report written to \(markdown.url.path) and \(json.url.lastPathComponent)"
        } catch {
            return "Export failed: \(error)"
        }
    }

    package func end(reason: String) {
        guard !ended else { return }
        ended = true
        if let session { journal?.record { $0.stepsSettled(session) } }
        // After a signal, whatever stopped the session (its command cancelled, the step halted) was the signal.
        journal?.record { $0.sessionEnded(reason: options.interruption?.endReason ?? reason) }
    }

    // MARK: Stepping

    /// The guided policy on `GuidedSession.advance`'s answer: a command waits at the gate for
    /// the operator; a halt on the credentials waits for other ones; any other halt can be
    /// tried again (`retryFailedStep`), and the journal says the session ended there unless the
    /// operator goes on.
    private func advance() async {
        guard var value = session, let effects, let connection else { return }
        let reached = await value.advance(effects: effects, journal: journal, declinedChangeStep: declinedChangeInStep)
        session = value
        switch reached {
        case .command(let command, _):
            pending = command
        case .halted(let halt) where CredentialsCheck.applies(to: lastFailure):
            // Not a dead end: the session waits for other credentials (a profile, a refresh).
            let failure = lastFailure
            let profiles = await edges.configuredProfiles(connection)
            var check = CredentialsCheck(after: failure, profile: connection.target(inherited: environment).profile,
                                         stepID: halt.stepID, profiles: profiles)
            if let said = check?.detail { check?.detail = GuidedSessionPresentation.redactor.redactOutput(said) }
            credentials = check
            // The credentials box says it all; a stale notice would sit above it.
            notice = nil
        case .halted(let halt):
            let title = value.engine.runbook.step(halt.stepID)?.title ?? halt.stepID
            notice = "Stopped in \"\(title)\": \(halt.reason)"
            // Halted, not stopped: the engine keeps its place, so the failed command can be
            // proposed again. The journal says it ended here unless the operator goes on.
            halted = halt
            journal?.record { $0.stepsSettled(value) }
            end(reason: "halted at \(halt.at): \(halt.reason)")
        case .finished(let completion):
            journal?.record { $0.stepsSettled(value) }
            end(reason: completion == .completed ? "completed" : "stopped by the operator")
        case .noProgress:
            notice = "The runbook did not advance after 10,000 automatic steps; stopped."
            value.stop()
            session = value
        case .checkTools:
            // Carried out inside the asynchronous `advance`; it never stops here.
            break
        case .cancelled:
            // Not asked for: a cancelled command falls back to the step's next source.
            break
        }
    }

    private func view() -> SessionView {
        // Journal write failures are told, not fatal.
        for problem in journal?.takeProblems() ?? [] { session?.addNote(problem) }
        guard let session else { return SessionView(steps: [], context: context) }
        var banner = context
        banner.sandbox = options.sandbox
        banner.replay = options.replay != nil
        var shown = GuidedSessionPresentation.view(of: session, pending: pending, outputs: outputs, context: banner,
                                                   notice: notice)
        shown.declinedChangeStep = pending == nil ? declinedChangeInStep : nil
        shown.credentials = credentials
        if let halted, credentials == nil {
            shown.retryableStep = halted.stepID
            // Shown as a stopped session (the failed step marked ✗), with `r` to go on.
            shown.currentStep = nil
        }
        if credentials != nil {
            // Halted, not over: it goes on once a check with other credentials succeeds.
            shown.finished = false
            shown.stopped = false
        }
        return shown
    }
}
