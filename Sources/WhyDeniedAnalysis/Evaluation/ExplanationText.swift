import Foundation

/// Plain-text rendering of an `EvaluationResult` for terminals and logs: the decision, the
/// deciding statement element by element, the guardrails, and every statement examined.
///
/// ```swift
/// print(result.explanationText)
/// // Decision: EXPLICIT DENY
/// //   Explicit deny in resource-based policy "bucket policy of reports", Sid "DenyOutsideOffice": …
/// ```
extension EvaluationResult {
    public var explanationText: String {
        var lines: [String] = []
        lines.append("Decision: \(decision.headline)")
        lines.append("  \(deciding.summary)")
        if !missingContextKeys.isEmpty {
            lines.append("")
            lines.append("Missing context keys: \(missingContextKeys.joined(separator: ", "))")
            lines.append("  Give their values (or list them under absentKeys) to get a verdict.")
        }
        if let statement = deciding.statement {
            lines.append("")
            lines.append("Deciding statement: \(statement.policy) › \(statement.statement.label) (\(statement.effect.rawValue))")
            lines += Self.detailLines(statement, indent: "  ")
        }
        for supporting in deciding.supportingStatements {
            lines.append("")
            lines.append("Also: \(supporting.policy) › \(supporting.statement.label) (\(supporting.effect.rawValue)) — \(supporting.outcome.rawValue)")
            lines += Self.detailLines(supporting, indent: "  ")
        }
        if !gates.isEmpty {
            lines.append("")
            lines.append("Guardrails (each must allow):")
            for gate in gates {
                lines.append("  [\(gate.outcome.label)] \(gate.name): \(gate.reason)")
            }
        }
        lines.append("")
        lines.append("Statements examined (\(statements.count)):")
        if statements.isEmpty { lines.append("  (none)") }
        for statement in statements {
            lines.append("  [\(statement.outcome.label)] \(statement.effect.rawValue) \(statement.policy) › \(statement.statement.label): \(statement.reason)")
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            for note in notes { lines.append("  - \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func detailLines(_ trace: StatementTrace, indent: String) -> [String] {
        var lines: [String] = []
        func element(_ check: ElementCheck) {
            var line = "\(indent)\(check.element.padding(toLength: 12, withPad: " ", startingAt: 0)) [\(check.outcome.label)] request: \(check.requestValue)"
            if let matched = check.matchedPattern { line += "; pattern: \(matched)" }
            else { line += "; patterns: \(check.patterns.joined(separator: ", "))" }
            lines.append(line)
            if let note = check.note { lines.append("\(indent)             \(note)") }
        }
        element(trace.action)
        if let resource = trace.resource { element(resource) }
        if let principal = trace.principal { element(principal) }
        for condition in trace.conditions {
            let had: String
            switch condition.keyState {
            case .present: had = "request had \(condition.requestValues?.joined(separator: ", ") ?? "")"
            case .absent: had = "request does not carry the key"
            case .unknown: had = "request value unknown"
            }
            lines.append("\(indent)Condition    [\(condition.outcome.label)] \(condition.operator) \(condition.key) expects [\(condition.expectedValues.joined(separator: ", "))]; \(had)")
            if let note = condition.note { lines.append("\(indent)             \(note)") }
        }
        return lines
    }
}

extension Decision {
    var headline: String {
        switch self {
        case .allowed: return "ALLOWED"
        case .explicitDeny: return "EXPLICIT DENY"
        case .implicitDeny: return "IMPLICIT DENY"
        case .undecided: return "UNDECIDED"
        }
    }
}

extension MatchOutcome {
    var label: String {
        switch self {
        case .matched: return "matched"
        case .notMatched: return "no match"
        case .unknown: return "unknown"
        }
    }
}

extension GateOutcome {
    var label: String {
        switch self {
        case .allows: return "allows"
        case .denies: return "DENIES"
        case .unknown: return "unknown"
        }
    }
}
