/// Actions AWS performs without asking any policy: `sts:GetCallerIdentity` needs no permission
/// and an explicit Deny does not stop it (STS API Reference, GetCallerIdentity: "No permissions
/// are required to perform this operation … you can still perform this operation"). The verdict
/// names this platform rule instead of crediting a policy.
///
/// ```swift
/// PermissionFreeAction.rule(for: request)
/// // "sts:GetCallerIdentity needs no permission: AWS answers it for any caller, and no policy can deny it"
/// ```
public enum PermissionFreeAction {
    /// Lowercased action names.
    static let actions: Set<String> = ["sts:getcalleridentity"]

    public static func rule(for request: AuthorizationRequest) -> String? {
        guard actions.contains(request.action.lowercased()) else { return nil }
        return "\(request.action) needs no permission: AWS answers it for any caller, and no policy can deny it"
    }

    /// `sts:GetCallerIdentity` and its kind: allowed by AWS whatever the policies say. The
    /// statements examined stay in the trace; guardrails do not apply; a Deny that would have
    /// applied is named in a note.
    static func allowed(_ evaluated: EvaluationResult, rule: String) -> EvaluationResult {
        var result = evaluated
        for trace in evaluated.statements where trace.effect == .deny && trace.outcome != .notMatched {
            result.notes.append("\(trace.policy), \(trace.statement.label) denies it, which does not count: \(rule)")
        }
        result.decision = .allowed
        result.missingContextKeys = []
        result.gates = []
        result.blockedBy = []
        result.deciding = DecidingReason(policyType: nil, policy: nil, statement: nil, supportingStatements: [],
                                         summary: "Allowed by AWS, not by a policy: \(rule).", platformRule: rule)
        return result
    }
}
