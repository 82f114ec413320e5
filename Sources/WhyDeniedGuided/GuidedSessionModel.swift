import Foundation
import WhyDeniedEvidence
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTUI

/// The guided session as a value: the `GuidedSession`, what waits at the gate, the outputs
/// shown, the notice, the context banner, whether changes are enabled, a declined change, a
/// halt or a credentials check in progress, and the journal's recorder. `update` is synchronous
/// and pure: given a message (the operator's request, or the answer to work it asked for) it
/// changes itself and returns the work to carry out, as data (`GuidedSessionWork`): run this
/// request, check these tools, list the profiles, connect, write these journal entries, export
/// the report, show these messages. `GuidedSession.advance` does the steps that need no
/// operator, as in the headless run; the guided policy stops at every command for the operator.
///
/// ```swift
/// var model = GuidedSessionModel(sandbox: true, environment: env)
/// model.update(.start(parameters: parameters, origins: [:], denial: nil, now: Date()))   // [.loadRunbook]
/// model.update(.runbookLoaded(runbook))                                                // [.connect(…), .openJournal]
/// ```
package struct GuidedSessionModel: Sendable {
    package let sandbox: Bool
    package let replay: Bool
    package let endpointURL: String?
    package let environment: [String: String]
    package private(set) var session: GuidedSession?
    package private(set) var connection: AWSConnection?
    /// The command at the gate.
    package private(set) var pending: ProposedCommand?
    package private(set) var changesEnabled = false
    /// False until the journal opened, and when it could not be.
    package private(set) var journaled = false
    /// What the journal is to say, decided here and written by the performer.
    package private(set) var journal = JournalRecorder.off
    private var outputs: [CommandOutput] = []
    private var notice: String?
    private var context = ContextBanner()
    private var ended = false
    /// A change was declined in this step: its later reads (verifications) have nothing to check.
    private var declinedChangeInStep: String?
    /// The last command's failure, so a halt it caused can be told apart (credentials or not).
    private var lastFailure: CommandFailure?
    /// Set while the session waits on the operator's credentials (a halt they caused).
    private var credentials: CredentialsCheck?
    /// Set while a failed step halts the session (any other cause than the credentials): the
    /// operator may fix the cause and have the failed command proposed again.
    private var halted: Halt?
    /// Set once a signal is ending the session: the journal's end names it.
    private var interruptionReason: String?
    /// The answer the model waits for.
    private var awaiting: Awaiting?
    /// Messages for the UI held until the session reaches the operator again.
    private var toShow: [Message] = []

    private enum Awaiting: Sendable {
        case runbook(parameters: [String: String], origins: [String: ParameterOrigin], denial: PastedDenial?, now: Date)
        case journal(GuidedSession, origins: [String: ParameterOrigin])
        case command(Running)
        case tools
        case profiles(Halt)
    }

    /// The command that runs, as the operator confirmed it.
    private struct Running: Sendable {
        var command: ProposedCommand
        var proposal: CommandProposal
        var classification: CommandClassification
    }

    package init(sandbox: Bool = false, replay: Bool = false, endpointURL: String? = nil, environment: [String: String]) {
        self.sandbox = sandbox
        self.replay = replay
        self.endpointURL = endpointURL
        self.environment = environment
    }

    package init(options: GuidedSessionOptions, environment: [String: String]) {
        self.init(sandbox: options.sandbox, replay: options.replay != nil, endpointURL: options.endpointURL, environment: environment)
    }

    /// Whether the model waits for the answer to work it asked for.
    package var isWaiting: Bool { awaiting != nil }

    // MARK: Update

    package mutating func update(_ message: GuidedSessionMessage) -> [GuidedSessionWork] {
        switch message {
        case .start(let parameters, let origins, let denial, let now):
            guard session == nil, awaiting == nil else { return [] }
            awaiting = .runbook(parameters: parameters, origins: origins, denial: denial, now: now)
            return [.loadRunbook]
        case .runbookLoaded(let runbook): return start(with: runbook)
        case .runbookFailed(let problem):
            guard case .runbook = awaiting else { return [] }
            awaiting = nil
            return [.show([.sessionFailed("Cannot load the runbook: \(problem)")])]
        case .journalOpened(let folder): return journalReady(folder: folder, problem: nil)
        case .journalFailed(let problem): return journalReady(folder: nil, problem: problem)
        case .journalProblems(let problems):
            // Told with the next view, never fatal.
            for problem in problems { session?.addNote(problem) }
            return []
        case .run(let proposal): return run(proposal)
        case .commandFinished(let outcome): return finished(outcome)
        case .toolsChecked(let request, let missing):
            guard case .tools = awaiting, var value = session else { return [] }
            awaiting = nil
            value.recordToolsChecked(request, missing: missing, journal: &journal)
            session = value
            return advance()
        case .profilesListed(let profiles): return credentialsHalt(profiles: profiles)
        case .skip(let proposal, let reason): return skip(proposal, reason: reason)
        case .offerChangeAgain(let stepID): return offerChangeAgain(step: stepID)
        case .checkCredentials(let profile): return retryCredentials(profile: profile)
        case .retryFailedStep(let stepID): return retryFailedStep(stepID)
        case .setChangesEnabled(let enabled):
            if enabled && !changesEnabled { journal.changesEnabled() }
            changesEnabled = enabled
            return journalWrites() + (session == nil ? [] : [.show([.sessionChanged(view())])])
        case .exportReport:
            guard journaled else { return [.show([.notice("Nothing to export: the session is not journaled.")])] }
            return [.exportReport(session?.engine.runbook)]
        case .reportExported(let said):
            return [.show([.notice(said)])]
        case .end(let reason):
            end(reason: reason)
            return journalWrites()
        case .interrupted(let reason):
            if interruptionReason == nil { interruptionReason = reason }
            return []
        }
    }

    // MARK: Starting

    private mutating func start(with runbook: Runbook) -> [GuidedSessionWork] {
        guard case .runbook(let given, let origins, let denial, let now) = awaiting else { return [] }
        awaiting = nil
        var parameters = given.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        let profile = parameters.removeValue(forKey: "profile")
        let region = parameters["region"]
        var connection = AWSConnection(profile: profile, region: region, endpointURL: endpointURL)
        // A session parameter too: the analysis says whose credentials read the organization.
        connection.organizationProfile = parameters["org_profile"]
        if sandbox, profile != StagedOrganization.memberProfile {
            // The sandbox's dummy credentials come from the environment; never a real profile's
            // (the member account's profile lives in the sandbox's own credentials file).
            connection.profile = nil
        }
        let value = GuidedSession(runbook: runbook, parameters: parameters, now: now, readOnly: false, pasted: denial)
        if !value.missingParameters.isEmpty {
            return [.show([.sessionFailed("Missing: " + value.missingParameters.joined(separator: ", "))])]
        }
        self.connection = connection
        context = ContextBanner(account: parameters["account_id"], region: region,
                                // The sandbox runs on moto's dummy keys: no profile is in play, say so.
                                profile: sandbox ? "sandbox" : connection.profile ?? environment["AWS_PROFILE"],
                                sandbox: sandbox, replay: replay)
        let journaledOrigins = Dictionary(uniqueKeysWithValues: parameters.keys.map { ($0, origins[$0] ?? ParameterOrigin(source: .typed)) })
        awaiting = .journal(value, origins: journaledOrigins)
        return [.connect(connection), .openJournal]
    }

    private mutating func journalReady(folder: SessionFolder?, problem: String?) -> [GuidedSessionWork] {
        guard case .journal(var value, let origins) = awaiting, let connection else { return [] }
        awaiting = nil
        if let folder {
            value.downloadDirectory = SessionJournal.downloadsPath(of: folder)
            journal = JournalRecorder()
            journal.connection = connection.target(inherited: environment)
            journal.sessionStarted(value, origins: origins, changesEnabled: changesEnabled)
            journaled = true
        } else {
            notice = "The session is not journaled (\(problem ?? "no folder")); export will not be possible."
        }
        session = value
        return advance()
    }

    // MARK: At the gate

    /// Runs the proposal the operator confirmed (possibly with edited arguments).
    private mutating func run(_ proposal: CommandProposal) -> [GuidedSessionWork] {
        guard awaiting == nil, let value = session, let command = pending, command.id == proposal.id else {
            return [.show([.sessionFailed("That command is no longer the one proposed.")])]
        }
        // What runs is what the operator confirmed: an edit is checked and classified again here.
        let shown = GuidedSessionPresentation.redactor.redact(argv: command.argv)
        let edited = proposal.argv != shown
        if edited, let problem = EditedCommand.problem(editing: shown, into: proposal.argv) {
            return [.show([.sessionFailed("Not run: \(problem)")])]
        }
        let classification = edited ? value.classifier.classify(proposal.argv) : value.classification(of: command)
        if classification.mutates && !changesEnabled {
            return [.show([.sessionFailed("The session is read-only: F4 enables changes first (\(classification.reason)).")])]
        }
        if command.mutates {
            // IAM's limits first: a change that would be refused, or would fail half-way, is not run.
            let findings = RunbookChange.limitFindings(
                for: command, policyVersions: RunbookChange.policyVersions(step: command.stepID, in: value.transcript))
            let blocking = findings.filter(\.blocksChange)
            if !blocking.isEmpty {
                notice = "Not run, a limit would be hit: " + blocking.map(\.description).joined(separator: "; ")
                return [.show([.sessionChanged(view())])]
            }
        }
        var request = GuidedSession.request(for: command)
        request.mutates = classification.mutates
        if edited {
            request.argv = proposal.argv
            journal.edited(command, argv: request.argv, classification: classification)
        }
        journal.confirmed(command)
        journal.started(command, argv: request.argv, classification: classification)
        awaiting = .command(Running(command: command, proposal: proposal, classification: classification))
        // On disk before the command starts.
        return journalWrites() + [.run(request)]
    }

    private mutating func finished(_ outcome: CommandOutcome) -> [GuidedSessionWork] {
        guard case .command(let running) = awaiting, var value = session else { return [] }
        awaiting = nil
        let command = running.command
        pending = nil
        lastFailure = outcome.failure
        let capturesBefore = value.engine.captures
        // The transcript says what ran: an edit into a change is never taken for a backup read.
        value.record(outcome, for: running.classification.mutates && !command.mutates ? command.markedMutating() : command)
        session = value
        let output = CommandOutput(
            proposal: running.proposal, exitCode: GuidedSession.exitStatus(outcome),
            stdout: GuidedSessionPresentation.redactor.redactOutput(outcome.stdout),
            stderr: GuidedSessionPresentation.redactor.redactOutput(outcome.stderr),
            seconds: Double(outcome.durationMilliseconds) / 1000,
            summary: GuidedSession.answer(outcome, for: command).map { "\($0): an answer (nothing there), not a failure" }
                ?? outcome.failure?.operatorMessage ?? (outcome.pagesRead > 1 ? "\(outcome.pagesRead) pages" : nil))
        outputs.append(output)
        journal.finished(command, outcome: outcome)
        journal.captured(command, before: capturesBefore, after: value.engine.captures)
        if case .cancelled = outcome.ending {
            // The operator's words: the command as shown, never the runbook's command id.
            let passedOver = value.engine.history.last.map { $0.id == command.id && $0.result == .fellBack(StepEngine.cancelledCode) } ?? false
            notice = "Cancelled: \(command.argv.prefix(3).joined(separator: " ")) was stopped."
                + (passedOver ? " The step goes on with its next source." : "")
        }
        if command.mutates, outcome.succeeded { recordChange(command, outcome: outcome) }
        toShow.append(.commandFinished(output))
        return advance()
    }

    /// A change ran: its backup is kept in the session folder, the change journaled with its
    /// undo, and the operator told how to roll back.
    private mutating func recordChange(_ command: ProposedCommand, outcome: CommandOutcome) {
        guard let session else { return }
        let record = session.recordChange(command, outcome: outcome, journal: &journal)
        let undo = record.change.rollbackArgv.map { ArgvDisplay.line(GuidedSessionPresentation.redactor.redact(argv: $0)) }
        notice = "Changed \(record.change.target)." + (record.backupPath.map { " Backup: \($0)." } ?? "")
            + (undo.isEmpty ? "" : " Roll back with: " + undo.joined(separator: " && "))
            + (record.verification.map { " " + $0 } ?? "") + " " + PolicyChangePlan.propagationReminder
    }

    /// The operator skipped a read-only command (with a reason) or declined a change.
    private mutating func skip(_ proposal: CommandProposal, reason: String) -> [GuidedSessionWork] {
        guard awaiting == nil, var value = session, let command = pending, command.id == proposal.id else { return [] }
        pending = nil
        value.skip(command, reason: reason)
        session = value
        if command.mutates {
            journal.declined(command, reason: reason)
            declinedChangeInStep = command.stepID
        } else {
            journal.skipped(SessionJournal.ref(command), reason: reason)
        }
        return advance()
    }

    // MARK: Going on after a stop

    /// The operator wants the declined change after all: the step starts over (its backups are
    /// read again, then the change is proposed through the dialog), and so do the steps after it.
    private mutating func offerChangeAgain(step stepID: String) -> [GuidedSessionWork] {
        guard awaiting == nil, var value = session, pending == nil, declinedChangeInStep == stepID else { return [] }
        value.rerunStep(stepID)
        session = value
        declinedChangeInStep = nil
        // The session goes on: its end is journaled again when it gets there.
        ended = false
        notice = "Offering the declined change again: the step starts over, backups first."
        return advance()
    }

    /// After a credentials failure: check again, as before (the operator refreshed them) or with
    /// `profile`, which every later command then uses too. The halted command is proposed anew.
    private mutating func retryCredentials(profile: String?) -> [GuidedSessionWork] {
        guard awaiting == nil, credentials != nil, var connection, var value = session else { return [] }
        var work: [GuidedSessionWork] = []
        if let profile {
            // A profile picked after a credentials failure: every later command runs with it.
            connection.profile = profile
            self.connection = connection
            work.append(.connect(connection))
            journal.connectionChanged(to: connection.target(inherited: environment))
            context.profile = profile
        }
        credentials = nil
        lastFailure = nil
        value.retryHalted()
        session = value
        notice = "Checking the credentials again" + (profile.map { " with profile \($0)" } ?? "") + "."
        return work + advance()
    }

    /// After a failed step halted the session: the operator fixed the cause, so its failed
    /// command is proposed again (through the gate, like any command: a change through its
    /// dialog) and, once it succeeds, the session goes on from there. A halt on a step whose
    /// sources all failed starts that step over.
    private mutating func retryFailedStep(_ stepID: String) -> [GuidedSessionWork] {
        guard awaiting == nil, var value = session else { return [] }
        guard let halt = halted, halt.stepID == stepID else { return retryPassedStep(stepID) }
        guard pending == nil else { return [] }
        halted = nil
        lastFailure = nil
        value.retryHalted()
        session = value
        // The session goes on: its end is journaled again when it gets there.
        ended = false
        let title = value.engine.runbook.step(stepID)?.title ?? stepID
        notice = "Trying \"\(title)\" again from its failed command."
        return advance()
    }

    /// A step that failed and let the session go on (✗): it starts over, its failed commands
    /// come to the gate, what answered before is not asked again (`StepRetry`), and the steps
    /// after it, their analyses included, take the new outcome. A command waiting at the gate
    /// comes back in its turn.
    private mutating func retryPassedStep(_ stepID: String) -> [GuidedSessionWork] {
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
        return advance()
    }

    private mutating func end(reason: String) {
        guard !ended else { return }
        ended = true
        if let session { journal.stepsSettled(session) }
        // After a signal, whatever stopped the session (its command cancelled, the step halted) was the signal.
        journal.sessionEnded(reason: interruptionReason ?? reason)
    }

    // MARK: Stepping

    /// The guided policy on `GuidedSession.advance`'s answer: a command waits at the gate for
    /// the operator; a halt on the credentials waits for other ones (the profiles are listed
    /// first); any other halt can be tried again, and the journal says the session ended there
    /// unless the operator goes on. Tools to check are asked for, and the advance goes on with
    /// their answer.
    private mutating func advance() -> [GuidedSessionWork] {
        guard var value = session, let connection else { return settle() }
        let reached = value.advance(journal: &journal, declinedChangeStep: declinedChangeInStep)
        session = value
        switch reached {
        case .checkTools(let request):
            awaiting = .tools
            return journalWrites() + [.checkTools(request)]
        case .command(let command, _):
            pending = command
        case .halted(let halt) where CredentialsCheck.applies(to: lastFailure):
            // Not a dead end: the session waits for other credentials (a profile, a refresh).
            awaiting = .profiles(halt)
            return journalWrites() + [.listProfiles(connection)]
        case .halted(let halt):
            let title = value.engine.runbook.step(halt.stepID)?.title ?? halt.stepID
            notice = "Stopped in \"\(title)\": \(halt.reason)"
            // Halted, not stopped: the engine keeps its place, so the failed command can be
            // proposed again. The journal says it ended here unless the operator goes on.
            halted = halt
            journal.stepsSettled(value)
            end(reason: "halted at \(halt.at): \(halt.reason)")
        case .finished(let completion):
            journal.stepsSettled(value)
            end(reason: completion == .completed ? "completed" : "stopped by the operator")
        case .noProgress:
            notice = "The runbook did not advance after 10,000 automatic steps; stopped."
            value.stop()
            session = value
        case .cancelled:
            // Not asked for: a cancelled command falls back to the step's next source.
            break
        }
        return settle()
    }

    private mutating func credentialsHalt(profiles: [String]) -> [GuidedSessionWork] {
        guard case .profiles(let halt) = awaiting, let connection else { return [] }
        awaiting = nil
        var check = CredentialsCheck(after: lastFailure, profile: connection.target(inherited: environment).profile,
                                     stepID: halt.stepID, profiles: profiles)
        if let said = check?.detail { check?.detail = GuidedSessionPresentation.redactor.redactOutput(said) }
        credentials = check
        // The credentials box says it all; a stale notice would sit above it.
        notice = nil
        return settle()
    }

    /// The session reached the operator again: the journal's writes, then the UI's messages.
    private mutating func settle() -> [GuidedSessionWork] {
        let shown = toShow + [.sessionChanged(view())]
        toShow = []
        return journalWrites() + [.show(shown)]
    }

    private mutating func journalWrites() -> [GuidedSessionWork] {
        let writes = journal.takeWrites()
        return writes.isEmpty ? [] : [.journal(writes)]
    }

    // MARK: View

    /// What the UI shows of the session now.
    package func view() -> SessionView {
        guard let session else { return SessionView(steps: [], context: context) }
        var banner = context
        banner.sandbox = sandbox
        banner.replay = replay
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
