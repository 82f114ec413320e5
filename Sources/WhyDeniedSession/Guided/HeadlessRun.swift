import WhyDeniedRunbook

extension GuidedSession {
    /// Drives the session to the end without a terminal: runs every read-only command through
    /// `effects`, never runs a mutating one (it is recorded as refused, with its argv), skips
    /// blocked commands, and stops at a halt. `progress` receives one line per event. With a
    /// `journal`, every event is appended (and on disk) before the next command starts; the
    /// session's trail log downloads go to the journal's folder. Cancelling the task ends the
    /// session; `interruption` says which signal did it, for the journal.
    ///
    /// ```swift
    /// await session.runHeadless(effects: runner, journal: journal) { line in print(line) }
    /// ```
    public mutating func runHeadless(effects: any SessionEffects, journal: SessionJournal? = nil,
                                     restoring: RestoredResults? = nil, interruption: SessionInterruption? = nil,
                                     progress: (String) -> Void) async {
        if let journal {
            downloadDirectory = journal.downloadsPath
            // A resumed session continues its journal; its start is already there.
            if restoring == nil { journal.record { $0.sessionStarted(self) } }
            absorbProblems(of: journal)
        }
        // Progress in the operator's words: a header line when a step begins (its number and
        // title), then its commands; command ids said as their aws words.
        let words = OperatorWords(engine.runbook)
        // Numbers taken up front: the progress closure must not read the session `advance` changes.
        let numbers = Dictionary(engine.runbook.steps.enumerated().map { ($1.id, "\($0 + 1). ") }) { first, _ in first }
        var shownStep: String?
        func step(_ id: String) {
            guard id != shownStep else { return }
            shownStep = id
            let number = numbers[id] ?? ""
            progress("\(number)\(words.title(ofStep: id))")
        }
        while true {
            // The headless policy: every read-only command runs at once (changes are refused by
            // the read-only session inside `advance`), and each automatic step is a progress line.
            let reached = await advance(effects: effects, journal: journal, restoring: restoring,
                                     stopsWhenCancelled: true) { event in
                switch event {
                case .toolsChecked(let request, let missing):
                    step(request.stepID)
                    progress("  tools on PATH: " + (missing.isEmpty ? request.tools.joined(separator: ", ") : "missing \(missing.joined(separator: ", "))"))
                case .reusedEarlierRead(let command):
                    step(command.stepID)
                    progress("  answered before, not asked again: " + command.argv.joined(separator: " "))
                case .restoredFromJournal(let command):
                    step(command.stepID)
                    progress("  restored from the journal, not run again: " + command.argv.joined(separator: " "))
                case .refusedChange(let command, let passedOver):
                    step(command.stepID)
                    progress("  not run (changes the account; read-only run): " + command.argv.joined(separator: " "))
                    for entry in passedOver where entry.commandID != command.id {
                        switch entry.result {
                        case .refused(let reason), .skipped(let reason):
                            step(entry.stepID)
                            progress("  skipped \(words.say(entry.commandID)): \(words.say(reason))")
                        case .ran:
                            break
                        }
                    }
                case .analysed(let request):
                    step(request.stepID)
                    progress("  analysis: " + request.name.replacingOccurrences(of: "_", with: " "))
                case .blocked(let blocked):
                    step(blocked.stepID)
                    progress("  skipped \(words.say(blocked.id)): \(words.say(blocked.reason))")
                case .skippedAfterDeclinedChange(let command, let reason):
                    step(command.stepID)
                    progress("  skipped \(words.say(command.id)): \(words.say(reason))")
                }
            }
            switch reached {
            case .command(let command, let request):
                step(command.stepID)
                progress("  $ " + command.argv.joined(separator: " "))
                // Headless runs only read-only commands, confirmed up front by --yes-read-only.
                journal?.record { $0.confirmed(command) }
                journal?.record { $0.started(command, argv: command.argv, classification: classification(of: command)) }
                let outcome = await effects.run(request)
                if let code = Self.answer(outcome, for: command) {
                    progress("    ✓ answered: \(code)")
                } else if let failure = outcome.failure {
                    progress("    ✗ \(failure.operatorMessage)")
                } else {
                    progress("    ✓ \(outcome.durationMilliseconds) ms" + (outcome.pagesRead > 1 ? ", \(outcome.pagesRead) pages" : ""))
                }
                journal?.record { $0.finished(command, outcome: outcome) }
                let before = engine.captures
                record(outcome, for: command)
                // A fallback names the source tried next, or says there is none left in the step
                // (not after a cancelled run: the session stops there).
                if !Task.isCancelled, case .fellBack? = engine.history.last?.result, engine.history.last?.id == command.id {
                    progress("    → " + words.say(fallbackTarget(after: command)))
                }
                journal?.record { $0.captured(command, before: before, after: engine.captures) }
                if let journal { absorbProblems(of: journal) }
            case .cancelled:
                progress("cancelled: stopping the session")
                notes.append("The session was cancelled before it finished.")
                stop()
                journal?.record { $0.stepsSettled(self) }
                journal?.record { $0.sessionEnded(reason: interruption?.endReason ?? "cancelled") }
                return
            case .halted(let halt):
                step(halt.stepID)
                progress("  halted: " + words.say(halt.reason))
                stop()
                journal?.record { $0.stepsSettled(self) }
                journal?.record { $0.sessionEnded(reason: "halted at \(halt.at): \(halt.reason)") }
                if let journal { absorbProblems(of: journal) }
                return
            case .finished(let completion):
                journal?.record { $0.stepsSettled(self) }
                journal?.record { $0.sessionEnded(reason: completion == .completed ? "completed" : "stopped by the operator") }
                if let journal { absorbProblems(of: journal) }
                return
            case .checkTools:
                // Carried out inside the asynchronous `advance`; it never stops here.
                continue
            case .noProgress:
                let reason = "the runbook did not advance after \(Self.automaticStepBound) automatic steps"
                progress("stopped: " + reason)
                notes.append("Stopped: \(reason).")
                stop()
                journal?.record { $0.stepsSettled(self) }
                journal?.record { $0.sessionEnded(reason: reason) }
                return
            }
        }
    }

    /// After a command fell back: the next source of its step, or that none is left.
    func fallbackTarget(after command: ProposedCommand) -> String {
        switch nextStep() {
        case .run(let next, _) where next.stepID == command.stepID:
            return "not available here; trying the next source: \(next.stepID).\(next.commandID)"
        case .refuseMutation(let next) where next.stepID == command.stepID:
            return "not available here; trying the next source: \(next.stepID).\(next.commandID)"
        default:
            return "not available here, and \(command.stepID) has no other source"
        }
    }

    /// The journal's write failures become notes; the session goes on.
    mutating func absorbProblems(of journal: SessionJournal) {
        notes.append(contentsOf: journal.takeProblems())
    }
}
