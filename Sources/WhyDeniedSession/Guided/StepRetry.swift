import WhyDeniedRunbook

/// Trying a failed step again after the session went on past it (`on_failure: continue`, an
/// optional command, a `goto`): the operator fixed the cause (refreshed the credentials) and
/// wants the step's failed commands run again, and what came after to take their new outcome.
///
/// The step starts over (`rerunStep`: it and every later step run again, their captures
/// forgotten), but a read that answered before is not asked again: `reuseEarlierRead` hands its
/// outcome back (parsed again, with the facts as they are now), so only the failed commands, and
/// reads whose arguments changed with the new captures, come to the gate. Analyses run again
/// with the new captures; changes are always proposed again through their dialog. Reads made
/// before the session's last change are not reused: the account has changed since.
///
/// ```swift
/// session.retryFailedStep("check_iam")
/// if case .run(let command, _) = session.nextStep(), session.reuseEarlierRead(for: command) { … }
/// ```
enum StepRetry {
    struct ReadKey: Hashable, Sendable {
        var commandID: String
        var argv: [String]
    }

    /// What the session's reads answered, kept as they are recorded: the latest answer of each
    /// read (a later failure takes it back) and the order of the account's last change.
    struct Answers: Sendable {
        struct Read: Sendable {
            var stepID: String
            var outcome: CommandOutcome
            var order: Int
        }
        var reads: [ReadKey: Read] = [:]
        var lastChange: Int?
        var count = 0

        mutating func note(_ outcome: CommandOutcome, for command: ProposedCommand, answered: Bool) {
            count += 1
            let key = ReadKey(commandID: command.id, argv: command.argv)
            if command.mutates {
                if outcome.succeeded { lastChange = count }
            } else {
                reads[key] = answered ? Read(stepID: command.stepID, outcome: outcome, order: count) : nil
            }
        }

        /// The answers of reads in these steps made since the account last changed.
        func reusable(in steps: Set<String>) -> [ReadKey: CommandOutcome] {
            reads.filter { steps.contains($0.value.stepID) && $0.value.order > (lastChange ?? 0) }.mapValues(\.outcome)
        }
    }

    /// Failures the engine records for a command that did not answer: a failed run, or a source
    /// passed over on an error (not one that answered with nothing).
    static func isFailure(_ result: CommandRecord.Result) -> Bool {
        switch result {
        case .failed: true
        case .fellBack(let code): code != StepEngine.emptyCode
        case .succeeded, .answered, .skipped: false
        }
    }
}

extension GuidedSession {
    /// Steps behind the session's place that ended ✗ with a failed command, in runbook order:
    /// those `retryFailedStep` can try again. The step the session is in (or halted on) is not
    /// one of them: a halt is tried again with `retryHalted`.
    public var retryableSteps: [String] {
        let current = engine.currentStepID
        return engine.stepStates.compactMap { entry in
            let id = entry.step.id
            guard id != current else { return nil }
            switch entry.status {
            case .completedWithFailures, .failed: break
            default: return nil
            }
            // A failed command, not only a failed analysis: there is something to run again. Not
            // when only an optional check failed: starting over would propose its change again.
            guard !failedOnlyInOptionalCommands(id) else { return nil }
            return engine.history.contains { $0.stepID == id && StepRetry.isFailure($0.result) } ? id : nil
        }
    }

    /// Whether the step finished and its only failed commands were optional ones (the simulator
    /// after a change): a check that adds confidence failed, the step itself did its job. False
    /// when any other command failed, and when no command failed (a failed analysis).
    public func failedOnlyInOptionalCommands(_ stepID: String) -> Bool {
        guard engine.state(of: stepID) == .completedWithFailures, let step = engine.runbook.step(stepID) else { return false }
        let failed = engine.history.filter { record in
            if case .failed = record.result { return record.stepID == stepID }
            return false
        }
        return !failed.isEmpty && failed.allSatisfy { record in
            // A proposal id is `step.command`, with `#n` for a `foreach` item.
            let commandID = record.id.split(separator: "#").first.map { String($0.dropFirst(stepID.count + 1)) } ?? record.id
            return step.commands.first { $0.id == commandID }?.optional == true
        }
    }

    /// Starts `stepID` over to run its failed commands again (see `StepRetry`). The notes its
    /// failures left are taken back (a new failure says so again). False when the step is not
    /// one of `retryableSteps`.
    @discardableResult
    public mutating func retryFailedStep(_ stepID: String) -> Bool {
        guard retryableSteps.contains(stepID), let index = engine.runbook.steps.firstIndex(where: { $0.id == stepID }) else {
            return false
        }
        let rerun = Set(engine.runbook.steps[index...].map(\.id))
        let failed = Set(engine.history.filter { rerun.contains($0.stepID) && StepRetry.isFailure($0.result) }.map(\.id))
        let reads = answers.reusable(in: rerun)
        notes.removeAll { note in failed.contains { note.hasPrefix($0 + ": ") } }
        rerunStep(stepID)
        reusableReads = reads
        return true
    }

    /// While a step is tried again: records the earlier outcome of this read, if it answered
    /// before with the same arguments (once), and says so; false: the command must run.
    public mutating func reuseEarlierRead(for command: ProposedCommand) -> Bool {
        guard !command.mutates, let outcome = reusableReads.removeValue(forKey: StepRetry.ReadKey(commandID: command.id, argv: command.argv))
        else { return false }
        record(outcome, for: command, reused: true)
        return true
    }
}
