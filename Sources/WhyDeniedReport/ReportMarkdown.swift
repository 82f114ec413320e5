import Foundation
import WhyDeniedJSON
import WhyDeniedSession
import WhyDeniedRunbook

extension SessionReport {
    /// The report as Markdown ready to paste into a ticket: a one-paragraph summary first, then
    /// the details in the order an investigation happened.
    public var markdown: String {
        var out: [String] = []
        let dateStyle = Date.ISO8601FormatStyle()
        func date(_ value: Date?) -> String { value.map { $0.formatted(dateStyle) } ?? "—" }
        func title(_ step: String) -> String { words?.title(ofStep: step) ?? step }
        func say(_ text: String) -> String { words?.say(text) ?? text }

        out.append("# whydenied report: session \(sessionID)")
        out.append("")
        var sentence = "**Summary.** "
        sentence += (summary.who.map { "`\($0)`" } ?? "An unidentified principal") + " was denied "
        sentence += summary.action.map { "`\($0)`" } ?? "a request"
        if let resource = summary.resource { sentence += " on `\(resource)`" }
        if let when = summary.when { sentence += " (\(when))" }
        sentence += ". Verdict: **\(summary.verdict.replacingOccurrences(of: "_", with: " "))**."
        let fix = summary.fix ?? "none recommended yet"
        sentence += " Fix: " + fix + (fix.hasSuffix(".") ? "" : ".")
        out.append(sentence)
        out.append("")
        out.append(table(["Session", "Value"], [
            ["Session", sessionID], ["Runbook", runbook ?? "—"], ["Started", date(startedAt)],
            ["Last activity", date(lastActivityAt)], ["State", state], ["Operator", operatorARN.map { "`\($0)`" } ?? "—"],
            ["Changes enabled", changesEnabled ? "yes" + (changesEnabledAt.map { ", at " + date($0) } ?? "") : "no"],
            ["Redaction", "secrets redacted" + (accountIDsMasked ? "; account ids masked" : "")],
        ]))

        out.append("## Parameters")
        out.append("")
        out.append(parameters.isEmpty ? "_None recorded._\n"
                   : table(["Name", "Value", "Where it came from"], parameters.map { ["`\($0.name)`", code($0.value), $0.originDescription] }))

        out.append("## Denied requests")
        out.append("")
        out.append(deniedRequests.isEmpty ? "_No denied request was parsed in this session._\n"
                   : table(["Time", "Principal", "Action", "Resource", "Error", "Deny type", "Source"], deniedRequests.map {
                       [$0.time, code($0.principal), code($0.action), $0.resource.map(code) ?? "—", $0.errorCode,
                        $0.denyType ?? "—", $0.source ?? "—"]
                   }))

        if !whyNoEvent.isEmpty {
            out.append("## Why no event was found")
            out.append("")
            for finding in whyNoEvent {
                out.append("- " + finding.explanation)
                if let command = finding.command {
                    let kind = finding.commandChanges ? "To change it (changes the account)" : "To look again (read-only)"
                    out.append("  \(kind), \(finding.commandStatus): `\(ArgvDisplay.line(command))`")
                }
                if let after = finding.lookAgainAfter { out.append("  Look again after \(after).") }
            }
            out.append("")
        }

        out.append("## Policies examined")
        out.append("")
        let policies = evaluation?.policies ?? []
        out.append(policies.isEmpty ? "_None evaluated._\n"
                   : table(["Policy", "Type", "ARN", "Read with"], policies.map { [$0.name, $0.type, $0.arn.map(code) ?? "—", $0.source.map(code) ?? "—"] }))

        out.append("## Decision trace")
        out.append("")
        if let evaluation {
            if let deciding = evaluation.deciding {
                out.append("Decided by statement `\(deciding.statement)` of `\(deciding.policy)` (\(deciding.effect)): \(deciding.reason)")
                out.append("")
            }
            if evaluation.trace.isEmpty {
                out.append("_No statement trace recorded._")
            } else {
                for (index, step) in evaluation.trace.enumerated() {
                    out.append("\(index + 1). `\(step.policy)` statement `\(step.statement)` (\(step.effect)): \(step.outcome) — \(step.reason)")
                }
            }
        } else {
            out.append("_The evaluator has not run in this session._")
        }
        out.append("")

        out.append("## Recommended policy")
        out.append("")
        if let recommendation {
            out.append(recommendation.summary + (recommendation.target.map { " Target: `\($0)`." } ?? ""))
            out.append("")
            out.append("```json")
            out.append(recommendation.document.serialized(pretty: true))
            out.append("```")
            out.append("")
            if !recommendation.reasons.isEmpty {
                out.append(table(["Element", "Why"], recommendation.reasons.map { [code($0.element), $0.reason] }))
            }
            if let placement = recommendation.placement {
                out.append("**Where the change belongs** (\(placement.owner)): \(placement.whereTheChangeBelongs)")
                out.append("")
                for line in [placement.notApplied, placement.sharedPolicyNote].compactMap({ $0 }) {
                    out.append("**\(line)**")
                    out.append("")
                }
                if let note = placement.codeNote {
                    out.append("_\(note)_")
                    out.append("")
                }
                for (title, language, text) in [("Terraform", "hcl", placement.terraform), ("CloudFormation", "yaml", placement.cloudFormation)] {
                    guard let text else { continue }
                    out.append("\(title):")
                    out.append("")
                    out.append("```\(language)")
                    out.append(text.hasSuffix("\n") ? String(text.dropLast()) : text)
                    out.append("```")
                    out.append("")
                }
            }
        } else {
            out.append("_No recommendation recorded._")
            out.append("")
        }

        out.append("## Steps")
        out.append("")
        if steps.isEmpty {
            out.append("_No step ran._")
            out.append("")
        } else {
            out.append(table(["Step", "Result"], steps.map { step in
                let result: String
                switch step.status {
                case .inProgress: result = "not finished"
                case .completed: result = "completed"
                case .skipped(let reason): result = "skipped: " + say(reason)
                case .failed(let reason): result = "failed: " + say(reason)
                }
                return [title(step.id), result]
            }))
        }

        out.append("## Commands run")
        out.append("")
        if commands.isEmpty {
            out.append("_No command was proposed._")
            out.append("")
        } else {
            out.append(table(["#", "Step", "Command", "Result", "Exit", "Duration", "Output"], commands.enumerated().map { index, command in
                var result = command.status
                if command.mutates { result += " (changes the account)" }
                if command.edited { result += ", edited" }
                if let reason = command.declineReason { result += ": \(say(reason))" }
                return ["\(index + 1)", title(command.step), code(ArgvDisplay.line(command.argv)), result,
                        command.outcome.map { "\($0.exitCode)" } ?? "—",
                        command.outcome.map { Self.duration($0.durationMilliseconds) } ?? "—",
                        command.outcome?.stdoutPath.map { path in
                            code(path) + (command.outcome?.stdoutSHA256.map { " sha256 `\($0.prefix(12))…`" } ?? "")
                        } ?? "—"]
            }))
        }
        out.append("## Changes applied")
        out.append("")
        if changes.isEmpty {
            out.append("_No change was made to the account._")
            out.append("")
        } else {
            for change in changes {
                out.append("### \(change.summary)")
                out.append("")
                out.append("- Target: `\(change.target)`")
                out.append("- Command: `\(ArgvDisplay.line(change.argv))`")
                out.append("- Backups: " + (change.backupPaths.isEmpty ? "none (nothing existed before)" : change.backupPaths.map { "`\($0)`" }.joined(separator: ", ")))
                if change.rollbackArgv.isEmpty {
                    out.append("- Rollback: no command is known for this change; restore it from the backups by hand.")
                    out.append("")
                    continue
                }
                out.append("- Rollback:")
                out.append("")
                out.append("```sh")
                out.append(contentsOf: change.rollbackArgv.map(ArgvDisplay.line))
                out.append("```")
                out.append("")
            }
            if changes.count > 1 {
                // Later changes may depend on earlier ones (a new version after a deleted one): newest first.
                out.append("### Roll back everything, newest change first")
                out.append("")
                out.append("```sh")
                out.append(contentsOf: changes.reversed().flatMap(\.rollbackArgv).map(ArgvDisplay.line))
                out.append("```")
                out.append("")
            }
            out.append("IAM changes are eventually consistent: allow a little time before retrying the denied request.")
            out.append("")
        }

        out.append("## Open questions")
        out.append("")
        if openQuestions.isEmpty {
            out.append("_None: every condition key could be decided from the evidence._")
        } else {
            for question in openQuestions { out.append("- `\(question.key)`: \(question.why)") }
        }
        out.append("")

        if !otherAnalyses.isEmpty {
            out.append("## Other analysis results")
            out.append("")
            for analysis in otherAnalyses {
                out.append("\(title(analysis.step)):")
                out.append("")
                out.append("```json")
                out.append(analysis.result.serialized(pretty: true))
                out.append("```")
                out.append("")
            }
        }
        if !notices.isEmpty {
            out.append("## Journal notices")
            out.append("")
            for notice in notices { out.append("- \(notice)") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func duration(_ milliseconds: Int) -> String {
        milliseconds < 1_000 ? "\(milliseconds) ms" : String(format: "%.1f s", Double(milliseconds) / 1_000)
    }
}

/// Inline code that survives a table cell: pipes escaped, no line breaks, backticks fenced.
private func code(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    return flat.contains("`") ? "`` \(flat) ``" : "`\(flat)`"
}

private func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}

private func table(_ header: [String], _ rows: [[String]]) -> String {
    var lines = ["| " + header.map(cell).joined(separator: " | ") + " |",
                 "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
    lines += rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
    return lines.joined(separator: "\n") + "\n"
}
