import WhyDeniedRedaction

/// Builds pager contents: one command's output (stdout, then stderr) and the findings page
/// (denied events table, explanation, recommended policy with a reason per element).
enum OutputPages {
    /// The TUI redacts what it draws itself, whatever its caller already did.
    static let redactor = Redactor()

    static func pager(for output: CommandOutput) -> Pager {
        var text = redactor.redactOutput(output.stdout)
        let stderr = redactor.redactOutput(output.stderr)
        if !stderr.isEmpty {
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += (text.isEmpty ? "" : "── stderr ──\n") + stderr
        }
        let title = "$ \(output.proposal.displayLine) · exit \(output.exitCode)"
        return Pager(title: title, text: text)
    }

    /// The findings page for a pager `width` columns wide: the denied events (a table when it
    /// fits, one block per event when it does not, so action and resource are never cut), the
    /// explanation, the recommendation in the chosen rendering (`fixView`), every fix command in
    /// full, and the session's last notice in full (after a change: the rollback command).
    static func findingsLines(_ session: SessionView, width: Int = 200, fixView: Int = 0) -> [String] {
        var lines: [String] = []
        lines.append("Denied events (\(session.findings.count))")
        if session.findings.isEmpty {
            lines.append("  none found yet")
        } else {
            let header = ["TIME", "PRINCIPAL", "ACTION", "RESOURCE", "ERROR"]
            let rows = session.findings.map { [$0.time, $0.principal, $0.action, $0.resource, $0.errorCode] }
            let table = table([header] + rows)
            if table.allSatisfy({ CharacterWidth.of($0) <= width }) {
                lines += table
            } else {
                for finding in session.findings {
                    lines += Wrap.lines("\(finding.time) · \(finding.errorCode)", width: width - 2).map { "  " + $0 }
                    for (label, value) in [("principal", finding.principal), ("action", finding.action),
                                           ("resource", finding.resource)] {
                        lines += labelled(label, value, width: width)
                    }
                }
            }
        }
        lines.append("")
        lines.append("Explanation")
        lines += session.explanation.isEmpty ? ["  not analysed yet"] : session.explanation.map { "  " + $0 }
        lines.append("")
        if let recommendation = session.recommendation {
            let shown = recommendation.rendering(fixView)
            lines.append("Recommendation: " + recommendation.headline)
            if recommendation.renderings.count > 1 {
                lines.append("  shown as \(shown.name) · v: " + recommendation.renderings.map(\.name).joined(separator: " / "))
            }
            lines += LineDiff.lines(shown.text).map { "  " + $0 }
            lines.append("")
            lines.append("Why each element")
            lines += recommendation.reasons.map { "  \($0.element): \($0.reason)" }
            if !recommendation.commands.isEmpty {
                lines.append("")
                lines.append("Commands that apply it (in full; the change dialog runs them)")
                for command in recommendation.commands {
                    lines.append("  " + (command.alternative ? "Alternative: " : "") + command.purpose)
                    lines.append("  $ " + command.line)
                }
            }
        } else {
            lines.append("Recommendation: not yet")
        }
        let explained = session.steps.enumerated().filter { $0.element.why != nil }
        if !explained.isEmpty {
            lines.append("")
            lines.append("Steps not run in full")
            for (i, step) in explained {
                lines.append("  \(step.status.glyph) \(i + 1) \(step.title): \(step.why ?? "")")
            }
        }
        if let notice = session.notice {
            lines.append("")
            lines.append("Last notice")
            lines.append("  " + notice)
        }
        return lines
    }

    /// `label value`, the value wrapped under itself when it is longer than the line.
    private static func labelled(_ label: String, _ value: String, width: Int) -> [String] {
        let indent = "    " + label.padding(toLength: 10, withPad: " ", startingAt: 0)
        let room = max(8, width - indent.count)
        return Wrap.lines(value, width: room).enumerated().map { i, part in
            (i == 0 ? indent : String(repeating: " ", count: indent.count)) + part
        }
    }

    /// Left-aligned columns sized to their widest cell (display width, not character count).
    static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { c in rows.map { CharacterWidth.of($0[c]) }.max() ?? 0 }
        return rows.map { row in
            "  " + (0..<columns).map { c in
                row[c] + String(repeating: " ", count: widths[c] - CharacterWidth.of(row[c]))
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
