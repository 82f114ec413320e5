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
            if restoring == nil { journal.sessionStarted(self) }
            absorbProblems(of: journal)
        }
        while true {
            if Task.isCancelled {
                progress("cancelled: stopping the session")
                notes.append("The session was cancelled before it finished.")
                stop()
                journal?.sessionEnded(reason: interruption?.endReason ?? "cancelled")
                return
            }
            switch nextStep() {
            case .checkTools(let request):
                var missing: [String] = []
                for tool in request.tools where !(await effects.isToolAvailable(tool)) { missing.append(tool) }
                progress("[\(request.stepID)] tools on PATH: " + (missing.isEmpty ? request.tools.joined(separator: ", ") : "missing \(missing.joined(separator: ", "))"))
                journal?.toolsChecked(step: request.stepID, missing: missing)
                recordTools(step: request.stepID, missing: missing)
            case .run(let command, let request):
                if let outcome = restoring?.take(SessionJournal.ref(command)) {
                    progress("[\(command.stepID)] restored from the journal, not run again: " + command.argv.joined(separator: " "))
                    record(outcome, for: command)
                    continue
                }
                progress("[\(command.stepID)] $ " + command.argv.joined(separator: " "))
                journal?.proposed(command)
                // Headless runs only read-only commands, confirmed up front by --yes-read-only.
                journal?.confirmed(command)
                journal?.started(command, argv: command.argv, classification: classification(of: command))
                let outcome = await effects.run(request)
                if let code = Self.answer(outcome, for: command) {
                    progress("    ✓ answered: \(code)")
                } else if let failure = outcome.failure {
                    progress("    ✗ \(failure.operatorMessage)")
                } else {
                    progress("    ✓ \(outcome.durationMilliseconds) ms" + (outcome.pagesRead > 1 ? ", \(outcome.pagesRead) pages" : ""))
                }
                journal?.finished(command, outcome: outcome)
                let before = engine.captures
                record(outcome, for: command)
                // A fallback names the source tried next, or says there is none left in the step
                // (not after a cancelled run: the session stops there).
                if !Task.isCancelled, case .fellBack? = engine.history.last?.result, engine.history.last?.id == command.id {
                    progress("    → " + fallbackTarget(after: command))
                }
                journal?.captured(command, before: before, after: engine.captures)
            case .refuseMutation(let command):
                progress("[\(command.stepID)] not run (changes the account; read-only run): " + command.argv.joined(separator: " "))
                journal?.proposed(command)
                let before = transcript.count
                refuse(command)
                for entry in transcript[before...] {
                    switch entry.result {
                    case .refused(let reason), .skipped(let reason):
                        if entry.commandID != command.id { progress("[\(entry.stepID)] skipped \(entry.commandID): \(reason)") }
                        journal?.skipped(SessionJournal.ref(proposalID: entry.commandID, step: entry.stepID), reason: reason)
                    case .ran:
                        break
                    }
                }
            case .analyse(let request):
                progress("[\(request.stepID)] analysis \(request.name)")
                let before = engine.facts
                runAnalysis(request)
                journal?.analysed(request, result: analysisResult(for: request.name), factsBefore: before, factsAfter: engine.facts)
            case .blocked(let blocked):
                progress("[\(blocked.stepID)] skipped \(blocked.id): \(blocked.reason)")
                journal?.skipped(SessionJournal.ref(blocked), reason: blocked.reason)
                skip(blocked)
            case .halted(let halt):
                progress("[\(halt.stepID)] halted: \(halt.reason)")
                stop()
                journal?.sessionEnded(reason: "halted at \(halt.at): \(halt.reason)")
                if let journal { absorbProblems(of: journal) }
                return
            case .finished(let completion):
                journal?.sessionEnded(reason: completion == .completed ? "completed" : "stopped by the operator")
                if let journal { absorbProblems(of: journal) }
                return
            }
            if let journal { absorbProblems(of: journal) }
        }
    }

    /// After a command fell back: the next source of its step, or that none is left.
    func fallbackTarget(after command: ProposedCommand) -> String {
        switch nextStep() {
        case .run(let next, _) where next.stepID == command.stepID:
            return "not available here; trying the next source: \(next.commandID)"
        case .refuseMutation(let next) where next.stepID == command.stepID:
            return "not available here; trying the next source: \(next.commandID)"
        default:
            return "not available here, and \(command.stepID) has no other source"
        }
    }

    /// The journal's write failures become notes; the session goes on.
    mutating func absorbProblems(of journal: SessionJournal) {
        notes.append(contentsOf: journal.takeProblems())
    }
}
