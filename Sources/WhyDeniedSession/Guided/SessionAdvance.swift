import WhyDeniedRunbook

/// Where `GuidedSession.advance` stopped: the first thing the session cannot do on its own.
/// The headless run and the guided driver differ only in what they do with it (run a read-only
/// command at once, or wait for the operator at the gate).
///
/// ```swift
/// switch await session.advance(effects: runner, journal: journal) {
/// case .command(let command, let request): session.record(await runner.run(request), for: command)
/// case .halted, .finished, .cancelled, .noProgress: …
/// }
/// ```
public enum SessionStop: Sendable, Equatable {
    /// A command waits at the gate; its `proposed` line is journaled, nothing ran yet.
    case command(ProposedCommand, CommandRequest)
    case halted(Halt)
    case finished(Completion)
    /// The task was cancelled between automatic steps (only asked for by `stopsWhenCancelled`).
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

    /// Does everything that needs no operator, journaling each, until a command waits at the
    /// gate, the session halts or it ends: tool checks (through `effects`, nothing is run),
    /// analyses, blocked commands, changes refused in a read-only session, reads answered
    /// earlier (`StepRetry`), results restored from a resumed session's journal, and the reads
    /// of `declinedChangeStep` (its change was declined: nothing to verify). `observe` hears of
    /// each automatic step after it is recorded. `stopsWhenCancelled`: a cancelled task stops
    /// between steps (the headless run; the guided driver goes on after a cancelled command).
    ///
    /// ```swift
    /// if case .command(let command, _) = await session.advance(effects: runner, journal: journal) {
    ///     show(command)   // the gate
    /// }
    /// ```
    public mutating func advance(effects: any SessionEffects, journal: SessionJournal?,
                                 restoring: RestoredResults? = nil, declinedChangeStep: String? = nil,
                                 stopsWhenCancelled: Bool = false,
                                 observe: (SessionAdvanceEvent) -> Void = { _ in }) async -> SessionStop {
        for _ in 0..<Self.automaticStepBound {
            journal?.stepsSettled(self)
            if stopsWhenCancelled, Task.isCancelled { return .cancelled }
            switch nextStep() {
            case .checkTools(let request):
                var missing: [String] = []
                for tool in request.tools where !(await effects.isToolAvailable(tool)) { missing.append(tool) }
                journal?.toolsChecked(step: request.stepID, missing: missing)
                recordTools(step: request.stepID, missing: missing)
                observe(.toolsChecked(request, missing: missing))
            case .run(let command, _) where reuseEarlierRead(for: command):
                observe(.reusedEarlierRead(command))
            case .run(let command, _) where restore(command, from: restoring):
                observe(.restoredFromJournal(command))
            case .run(let command, _) where !command.mutates && command.stepID == declinedChangeStep:
                skip(command, reason: Self.declinedChangeSkipReason)
                journal?.skipped(SessionJournal.ref(command), reason: Self.declinedChangeSkipReason)
                observe(.skippedAfterDeclinedChange(command, reason: Self.declinedChangeSkipReason))
            case .run(let command, let request):
                journal?.proposed(command)
                return .command(command, request)
            case .refuseMutation(let command):
                journal?.proposed(command)
                let before = transcript.count
                refuse(command)
                let passedOver = Array(transcript[before...])
                for entry in passedOver {
                    switch entry.result {
                    case .refused(let reason), .skipped(let reason):
                        journal?.skipped(SessionJournal.ref(proposalID: entry.commandID, step: entry.stepID), reason: reason)
                    case .ran:
                        break
                    }
                }
                observe(.refusedChange(command, passedOver: passedOver))
            case .analyse(let request):
                let before = engine.facts
                runAnalysis(request)
                journal?.analysed(request, result: analysisResult(for: request.name), factsBefore: before, factsAfter: engine.facts)
                observe(.analysed(request))
            case .blocked(let blocked):
                journal?.skipped(SessionJournal.ref(blocked), reason: blocked.reason)
                skip(blocked)
                observe(.blocked(blocked))
            case .halted(let halt):
                return .halted(halt)
            case .finished(let completion):
                return .finished(completion)
            }
            if let journal { absorbProblems(of: journal) }
        }
        return .noProgress
    }

    /// A resumed session's journaled result of this command, recorded instead of a run.
    private mutating func restore(_ command: ProposedCommand, from restoring: RestoredResults?) -> Bool {
        guard let outcome = restoring?.take(SessionJournal.ref(command)) else { return false }
        record(outcome, for: command)
        return true
    }
}
