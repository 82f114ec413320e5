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

    static func findingsLines(_ session: SessionView) -> [String] {
        var lines: [String] = []
        lines.append("Denied events (\(session.findings.count))")
        if session.findings.isEmpty {
            lines.append("  none found yet")
        } else {
            let header = ["TIME", "PRINCIPAL", "ACTION", "RESOURCE", "ERROR"]
            let rows = session.findings.map { [$0.time, $0.principal, $0.action, $0.resource, $0.errorCode] }
            lines += table([header] + rows)
        }
        lines.append("")
        lines.append("Explanation")
        lines += session.explanation.isEmpty ? ["  not analysed yet"] : session.explanation.map { "  " + $0 }
        lines.append("")
        if let recommendation = session.recommendation {
            lines.append("Recommendation: " + recommendation.headline)
            lines += LineDiff.lines(recommendation.policy).map { "  " + $0 }
            lines.append("")
            lines.append("Why each element")
            lines += recommendation.reasons.map { "  \($0.element): \($0.reason)" }
        } else {
            lines.append("Recommendation: not yet")
        }
        return lines
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
