import WhyDeniedRunbook
import WhyDeniedSession

/// The text `whydenied resume ID` prints (redacted: it comes from the journal).
public enum ResumeSummary {
    /// - Parameter runbook: the runbook the session ran, whose step titles and command words
    ///   replace the ids; without it (or with another) the ids are shown.
    public static func text(_ session: RecordedSession, runbook: Runbook? = nil) -> String {
        let words = session.operatorWords(runbook)
        var lines = ["Session \(session.id) — \(session.state)"]
        if let runbook = session.runbook { lines.append("Runbook: \(runbook); changes \(session.changesEnabled ? "enabled" : "disabled")") }
        lines.append("Commands went to: " + (session.connection?.description ?? "not recorded (a journal from before this was journaled)"))
        if let operatorARN = session.operatorARN { lines.append("Operator: \(operatorARN)") }
        for notice in session.notices { lines.append("Journal: \(notice)") }
        if !session.parameterOrder.isEmpty {
            lines.append("")
            lines.append("Parameters:")
            for name in session.parameterOrder {
                guard let parameter = session.parameters[name] else { continue }
                lines.append("  \(name) = \(parameter.value)  (\(parameter.origin.description))")
            }
        }
        if !session.steps.isEmpty {
            lines.append("")
            lines.append("Steps:")
            for step in session.steps {
                let status: String
                switch step.status {
                case .completed: status = "completed"
                case .inProgress: status = "in progress"
                case .skipped(let reason): status = "skipped: \(words?.say(reason) ?? reason)"
                case .failed(let reason): status = "failed: \(words?.say(reason) ?? reason)"
                }
                lines.append("  \(words?.title(ofStep: step.id) ?? step.id): \(status)")
            }
        }
        // Why the lookup found no event, as the last one concluded: what a resumed session still knows.
        let whyNoEvent = session.analyses.compactMap { DeniedRequestsRecord(jsonValue: $0.result) }.last?.whyNoEvent ?? []
        if !whyNoEvent.isEmpty {
            lines.append("")
            lines.append("Why no event was found:")
            for finding in whyNoEvent {
                lines.append("  - \(finding.explanation)")
                if let command = finding.command {
                    let kind = finding.commandChanges ? "To change it (changes the account)" : "To look again (read-only)"
                    lines.append("    \(kind), \(finding.commandStatus): \(ArgvDisplay.line(command))")
                }
            }
        }
        let restored = session.commands.filter { $0.outcome != nil }
        if !restored.isEmpty {
            lines.append("")
            lines.append("Results restored (not run again):")
            for command in restored {
                guard let outcome = command.outcome else { continue }
                lines.append("  \(ArgvDisplay.line(command.argv)): exit \(outcome.exitCode), \(outcome.durationMilliseconds) ms"
                             + (outcome.stdoutPath.map { ", output \($0)" } ?? ""))
            }
        }
        let again = session.commandsToRepropose
        if !again.isEmpty {
            lines.append("")
            lines.append("To propose again (never run automatically):")
            for command in again {
                let note = command.mutates ? " — changes the account: its step re-reads the current state first" : ""
                lines.append("  \(ArgvDisplay.line(command.argv))\(note)")
            }
        }
        for change in session.changes {
            lines.append("")
            lines.append("Change applied: \(change.summary) (\(change.target))")
            if !change.backupPaths.isEmpty { lines.append("  backups: \(change.backupPaths.joined(separator: ", "))") }
            for argv in change.rollbackArgv { lines.append("  rollback: \(ArgvDisplay.line(argv))") }
        }
        return lines.joined(separator: "\n")
    }
}
