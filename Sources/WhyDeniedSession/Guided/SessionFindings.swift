import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON

/// What a guided session found, in the operator's words: how many denied events, the one
/// explained, the verdict, the deciding policy and statement, and the recommended fix. The
/// headless report prints it; tests assert on it.
///
/// ```swift
/// let findings = session.findings
/// findings.decidingStatement   // "DenyOutsideCorporateNetwork"
/// findings.verdict             // .explicitDeny
/// ```
public struct SessionFindings: Sendable {
    public var deniedEventsFound: Int
    public var explainedEvent: CloudTrailEvent?
    public var verdict: Decision?
    /// The policy that decided, e.g. `resource-based policy "bucket policy of analytics-data-bucket"`.
    public var decidingPolicy: PolicyReference?
    /// The deciding statement's Sid, or its label when it has none.
    public var decidingStatement: String?
    public var explanation: String?
    public var fix: LeastPrivilegeFix?
    /// How the explained request was known: its event, or reported by the message and the
    /// parameters (with where each fact came from) when no event was found.
    public var evidence: RequestEvidence?
    /// Why no denied event was found, each with the command that would change it.
    public var whyNoEvent: [NoEventDiagnosis.Finding] = []
}

extension GuidedSession {
    public var findings: SessionFindings {
        let deciding = analysis?.deciding?.result.deciding
        return SessionFindings(
            deniedEventsFound: denials?.events.count ?? 0,
            explainedEvent: denials?.chosen,
            verdict: analysis?.decision,
            decidingPolicy: deciding?.policy,
            decidingStatement: deciding?.statement.map { $0.statement.sid ?? $0.statement.label },
            explanation: deciding?.summary,
            fix: analysis?.fix,
            evidence: analysis?.denied?.evidence,
            whyNoEvent: whyNoEvent)
    }

    /// The exit status of a headless session (`run`, `resume --continue`): 0 it finished with a
    /// verdict, 3 it finished but the verdict is Undecided (a policy that could not be read, a
    /// context key the evidence lacks), so that no script reads it as "allowed"; 2 it halted.
    public var headlessExitStatus: Int32 {
        guard case .finished(.completed) = nextStep() else { return 2 }
        return analysis?.decision == .undecided ? 3 : 0
    }

    /// What the named analysis concluded, for the journal (`analysis` events). Shapes the
    /// report reads: `denied_requests`, `evaluation`; other analyses give a small object.
    public func analysisResult(for name: String) -> JSONValue {
        switch name {
        case "summarize_denials":
            return DeniedRequestsRecord(rows: denials?.rows ?? [], whyNoEvent: whyNoEvent.map(NoEventFindingRecord.init)).jsonValue
        case "read_decoded_message":
            guard let decoded = decodedAuthorization else {
                return .object(JSONObject([("error", .string("no decoded authorization message was read"))]))
            }
            return .object(JSONObject([("decoded_authorization_message", decoded.summaryJSON)]))
        case "recommend_fix":
            guard let evaluation = evaluationRecord else {
                return .object(JSONObject([("error", .string("no denied event was analysed"))]))
            }
            return .array([evaluation.jsonValue] + (recommendationRecord.map { [$0.jsonValue] } ?? []))
        default:
            let policies = (["identity_policies", "role_policies", "group_policies", "managed_policies", "boundary_policies"]
                            + CapturedAccount.resourcePolicyCaptures)
                .filter { engine.captures[$0].map { !$0.isNull && $0 != .array([]) } ?? false }
            return .object(JSONObject([("policies_read", .array(policies.map(JSONValue.string)))]))
        }
    }
}
