extension GuidedSession {
    /// Drives the session to the end without a terminal: runs every read-only command through
    /// `effects`, never runs a mutating one (it is recorded as refused, with its argv), skips
    /// blocked commands, and stops at a halt. `progress` receives one line per event.
    ///
    /// ```swift
    /// await session.runHeadless(effects: runner) { line in print(line) }
    /// ```
    public mutating func runHeadless(effects: any SessionEffects, progress: (String) -> Void) async {
        while true {
            if Task.isCancelled {
                progress("cancelled: stopping the session")
                notes.append("The session was cancelled before it finished.")
                stop()
                return
            }
            switch nextStep() {
            case .checkTools(let request):
                var missing: [String] = []
                for tool in request.tools where !(await effects.isToolAvailable(tool)) { missing.append(tool) }
                progress("[\(request.stepID)] tools on PATH: " + (missing.isEmpty ? request.tools.joined(separator: ", ") : "missing \(missing.joined(separator: ", "))"))
                recordTools(step: request.stepID, missing: missing)
            case .run(let command, let request):
                progress("[\(command.stepID)] $ " + command.argv.joined(separator: " "))
                let outcome = await effects.run(request)
                if let failure = outcome.failure {
                    progress("    ✗ \(failure.operatorMessage)")
                } else {
                    progress("    ✓ \(outcome.durationMilliseconds) ms" + (outcome.pagesRead > 1 ? ", \(outcome.pagesRead) pages" : ""))
                }
                record(outcome, for: command)
            case .refuseMutation(let command):
                progress("[\(command.stepID)] not run (changes the account; read-only run): " + command.argv.joined(separator: " "))
                refuse(command)
            case .analyse(let request):
                progress("[\(request.stepID)] analysis \(request.name)")
                runAnalysis(request)
            case .blocked(let blocked):
                progress("[\(blocked.stepID)] skipped \(blocked.id): \(blocked.reason)")
                skip(blocked)
            case .halted(let halt):
                progress("[\(halt.stepID)] halted: \(halt.reason)")
                stop()
                return
            case .finished:
                return
            }
        }
    }
}
