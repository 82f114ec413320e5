import WhyDeniedRunbook

/// Where `GuidedSession.advance` stopped: the first thing the session cannot do on its own.
/// The headless run and the guided model differ only in what they do with it (run a read-only
/// command at once, or wait for the operator at the gate).
///
/// ```swift
/// switch session.advance(journal: &recorder) {
/// case .command(let command, let request): session.record(await runner.run(request), for: command)
/// case .checkTools(let request): session.recordToolsChecked(request, missing: [], journal: &recorder)
/// case .halted, .finished, .cancelled, .noProgress: …
/// }
/// ```
public enum SessionStop: Sendable, Equatable {
    /// A command waits at the gate; its `proposed` line is journaled, nothing ran yet.
    case command(ProposedCommand, CommandRequest)
    /// A step's tools are to be looked for on PATH (nothing is run); the answer goes to
    /// `recordToolsChecked`. Only the synchronous `advance` stops here.
    case checkTools(ToolCheckRequest)
    case halted(Halt)
    case finished(Completion)
    /// The task was cancelled before the session went on (only the asynchronous `advance` says
    /// it, when asked to by `stopsWhenCancelled`).
    case cancelled
    /// The runbook did not advance after `GuidedSession.automaticStepBound` automatic steps.
    case noProgress
}

/// One automatic step `advance` took, for a driver that tells the operator about it (the
/// headless run's progress lines). Each is already recorded in the session and the journal.
public enum SessionAdvanceEvent: Sendable, Equatable {
    case toolsChecked(ToolCheckRequest, missing: [String])
    /// A step tried again: a read that answered before is taken as it was (`StepRetry`).
    case reusedEarlierRead(ProposedCommand)
    /// A resumed session: the journal's result taken instead of running the command again.
    case restoredFromJournal(ProposedCommand)
    /// A change in a read-only session, refused; `passedOver`: the transcript entries it left
    /// (itself, and the rest of its step: further changes refused, their verifications skipped).
    case refusedChange(ProposedCommand, passedOver: [TranscriptEntry])
    case analysed(AnalysisRequest)
    case blocked(BlockedCommand)
    /// A read in the step whose change the operator declined: nothing changed, so not run.
    case skippedAfterDeclinedChange(ProposedCommand, reason: String)
}

extension GuidedSession {
    /// Automatic steps one `advance` takes at most before it gives up (a runbook that never
    /// advances cannot hang the caller).
    public static let automaticStepBound = 10_000

    /// The reason a read after a declined change is skipped with.
    public static let declinedChangeSkipReason = "nothing was changed (the change was declined), so there is nothing to verify"

    /// Does everything that needs no operator, recording each in `journal`, until a command
    /// waits at the gate, tools are to be looked for on PATH, the session halts or it ends:
    /// analyses, blocked commands, changes refused in a read-only session, reads answered
    /// earlier (`StepRetry`), results restored from a resumed session's journal, and the reads
    /// of `declinedChangeStep` (its change was declined: nothing to verify). `observe` hears of
    /// each automatic step after it is recorded. Synchronous and pure: nothing is run or
    /// written; the caller carries out the stop (and `journal`'s writes).
    ///
    /// ```swift
    /// switch session.advance(journal: &recorder) {
    /// case .checkTools(let request): session.recordToolsChecked(request, missing: [], journal: &recorder)
    /// case .command(let command, _): show(command)   // the gate
    /// …
    /// }
    /// ```
    public mutating func advance(journal: inout JournalRecorder, restoring: RestoredResults? = nil,
                                 declinedChangeStep: String? = nil,
                                 observe: (SessionAdvanceEvent) -> Void = { _ in }) -> SessionStop {
        for _ in 0..<Self.automaticStepBound {
            journal.stepsSettled(self)
            switch nextStep() {
            case .checkTools(let request):
                return .checkTools(request)
            case .run(let command, _) where reuseEarlierRead(for: command, journal: &journal):
                observe(.reusedEarlierRead(command))
            case .run(let command, _) where restore(command, from: restoring):
                observe(.restoredFromJournal(command))
            case .run(let command, _) where !command.mutates && command.stepID == declinedChangeStep:
                skip(command, reason: Self.declinedChangeSkipReason)
                journal.skipped(SessionJournal.ref(command), reason: Self.declinedChangeSkipReason)
                observe(.skippedAfterDeclinedChange(command, reason: Self.declinedChangeSkipReason))
            case .run(let command, let request):
                journal.proposed(command)
                return .command(command, request)
            case .refuseMutation(let command):
                journal.proposed(command)
                let before = transcript.count
                refuse(command)
                let passedOver = Array(transcript[before...])
                for entry in passedOver {
                    switch entry.result {
                    case .refused(let reason), .skipped(let reason):
                        journal.skipped(SessionJournal.ref(proposalID: entry.commandID, step: entry.stepID), reason: reason)
                    case .ran:
                        break
                    }
                }
                observe(.refusedChange(command, passedOver: passedOver))
            case .analyse(let request):
                let before = engine.facts
                runAnalysis(request)
                journal.analysed(request, result: analysisResult(for: request.name), factsBefore: before, factsAfter: engine.facts)
                observe(.analysed(request))
            case .blocked(let blocked):
                journal.skipped(SessionJournal.ref(blocked), reason: blocked.reason)
                skip(blocked)
                observe(.blocked(blocked))
            case .halted(let halt):
                return .halted(halt)
            case .finished(let completion):
                return .finished(completion)
            }
        }
        return .noProgress
    }

    /// The answer to `advance`'s `.checkTools`: which of the tools were not on PATH.
    public mutating func recordToolsChecked(_ request: ToolCheckRequest, missing: [String], journal: inout JournalRecorder) {
        journal.toolsChecked(step: request.stepID, missing: missing)
        recordTools(step: request.stepID, missing: missing)
    }

    /// `advance` with its tool checks carried out through `effects` (nothing is run) and its
    /// journal writes carried out at once, until a command waits at the gate, the session halts
    /// or it ends. `stopsWhenCancelled`: a cancelled task stops between steps (the headless run).
    ///
    /// ```swift
    /// if case .command(let command, _) = await session.advance(effects: runner, journal: journal) {
    ///     print(command.argv)
    /// }
    /// ```
    public mutating func advance(effects: any SessionEffects, journal: SessionJournal?,
                                 restoring: RestoredResults? = nil, declinedChangeStep: String? = nil,
                                 stopsWhenCancelled: Bool = false,
                                 observe: (SessionAdvanceEvent) -> Void = { _ in }) async -> SessionStop {
        while true {
            if stopsWhenCancelled, Task.isCancelled { return .cancelled }
            let reached = Self.journaling(journal) { recorder in
                advance(journal: &recorder, restoring: restoring, declinedChangeStep: declinedChangeStep, observe: observe)
            }
            if let journal { absorbProblems(of: journal) }
            guard case .checkTools(let request) = reached else { return reached }
            var missing: [String] = []
            for tool in request.tools where !(await effects.isToolAvailable(tool)) { missing.append(tool) }
            Self.journaling(journal) { recordToolsChecked(request, missing: missing, journal: &$0) }
            observe(.toolsChecked(request, missing: missing))
        }
    }

    /// `body` with `journal`'s recorder, its writes carried out at once; without a journal,
    /// with one that keeps nothing.
    @discardableResult
    static func journaling<Result>(_ journal: SessionJournal?, _ body: (inout JournalRecorder) -> Result) -> Result {
        if let journal { return journal.record(body) }
        var off = JournalRecorder.off
        return body(&off)
    }

    /// `reuseEarlierRead`, journaled as a run is: the captures the read sets again (parsed
    /// anew, with the facts as they are now), so a retried session's journal holds them.
    private mutating func reuseEarlierRead(for command: ProposedCommand, journal: inout JournalRecorder) -> Bool {
        let before = engine.captures
        guard reuseEarlierRead(for: command) else { return false }
        journal.captured(command, before: before, after: engine.captures)
        return true
    }

    /// A resumed session's journaled result of this command, recorded instead of a run.
    private mutating func restore(_ command: ProposedCommand, from restoring: RestoredResults?) -> Bool {
        guard let outcome = restoring?.take(SessionJournal.ref(command)) else { return false }
        record(outcome, for: command)
        return true
    }
}
