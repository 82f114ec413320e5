import WhyDeniedAnalysis
import WhyDeniedJSON

/// The session's conclusions in the shapes the report reads from the journal
/// (`EvaluationRecord`, `RecommendationRecord`; see docs/report-schema.md): the verdict with the
/// whole statement trace, the policies examined and the open questions, and the recommended
/// document with a reason per element.
///
/// ```swift
/// journal.analysed(request, result: session.evaluationRecord?.jsonValue ?? .null, …)
/// session.recommendationRecord?.document   // the policy to add, or the edited policy
/// ```
extension GuidedSession {
    public var evaluationRecord: EvaluationRecord? {
        guard let analysis else { return nil }
        let verdict = switch analysis.decision {
        case .explicitDeny?: "explicit_deny"
        case .implicitDeny?: "implicit_deny"
        case .allowed?: "allowed"
        case .undecided?, nil: "undecided"
        }
        guard let result = analysis.deciding?.result else {
            return EvaluationRecord(verdict: verdict)
        }
        var policies: [ExaminedPolicy] = []
        var seen = Set<String>()
        for trace in result.statements where seen.insert(trace.policy.description).inserted {
            policies.append(ExaminedPolicy(name: trace.policy.name, arn: trace.policy.arn,
                                           type: trace.policy.type.displayName))
        }
        // A policy that could not be read is an open question too, named like a key.
        let undecided = result.missingContextKeys.map {
            UndecidedKey(key: $0, why: "a statement's outcome depends on it and the evidence does not carry it")
        } + (result.decision == .undecided ? result.unreadPolicies : []).map {
            UndecidedKey(key: $0.reference.description, why: "\($0.problem); the verdict depends on what it says")
        }
        return EvaluationRecord(verdict: verdict, deciding: result.deciding.statement.map(Self.traceStep),
                                policies: policies, trace: result.statements.map(Self.traceStep),
                                undecidedKeys: undecided)
    }

    public var recommendationRecord: RecommendationRecord? {
        guard let fix = analysis?.fix else { return nil }
        if let add = fix.policiesToAdd.first {
            let reasons = add.reasons.map { RecommendationReason(element: "\($0.element) = \($0.value)", reason: $0.reason) }
                + fix.warnings.map { RecommendationReason(element: "warning", reason: $0) }
            let placement = analysis?.placements.first { $0.targetArn == add.attachmentTargetArn }.map { placed in
                FixPlacementRecord(owner: placed.owner.kind, whereTheChangeBelongs: placed.owner.whereTheChangeBelongs,
                                   terraform: placed.code?.terraform, cloudFormation: placed.code?.cloudFormation,
                                   codeNote: placed.code?.note, notApplied: placed.owner.directApplyWithheld,
                                   sharedPolicyNote: placed.sharedPolicyNote)
            }
            return RecommendationRecord(summary: fix.summary,
                                        target: "\(add.target.operatorWords) \"\(add.policyName)\" on \(add.attachmentTargetArn)",
                                        document: add.policy, reasons: reasons, placement: placement)
        }
        if let edit = fix.denyEdits.first {
            var reasons = [RecommendationReason(element: "\(edit.statement.sid ?? edit.statement.label): \(edit.edit.operatorWords)",
                                                reason: edit.description)]
            if let warning = edit.warning { reasons.append(RecommendationReason(element: "warning", reason: warning)) }
            for condition in fix.failedConditions {
                reasons.append(RecommendationReason(element: "Condition \(condition.operator) \(condition.key)", reason: condition.advice))
            }
            return RecommendationRecord(summary: fix.summary, target: edit.policy.description,
                                        document: edit.editedPolicy ?? edit.editedStatement ?? .null, reasons: reasons)
        }
        let reasons = fix.failedConditions.map {
            RecommendationReason(element: "Condition \($0.operator) \($0.key)", reason: $0.advice)
        } + fix.warnings.map { RecommendationReason(element: "warning", reason: $0) }
        return RecommendationRecord(summary: fix.summary, target: nil, document: .null, reasons: reasons)
    }

    static func traceStep(_ trace: StatementTrace) -> TraceStep {
        TraceStep(policy: trace.policy.description, statement: trace.statement.sid ?? trace.statement.label,
                  effect: trace.effect.rawValue, outcome: outcomeWords(trace.outcome), reason: trace.reason)
    }

    static func outcomeWords(_ outcome: MatchOutcome) -> String {
        switch outcome {
        case .matched: "matched"
        case .notMatched: "not matched"
        case .unknown: "undecided"
        }
    }
}
