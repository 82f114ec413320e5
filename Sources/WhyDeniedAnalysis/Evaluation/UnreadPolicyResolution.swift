/// Decides a request whose resource-side policy could not be read (`UnreadPolicy`), by
/// evaluating it with two stand-ins for the missing document: one that says nothing about the
/// request and one that grants it to the caller directly. A third value, a Deny of everything,
/// always gives an explicit deny, so the request is decided only when it is denied whatever the
/// policy says (a known Deny, a guardrail, no grant even from the policy itself); otherwise the
/// verdict is Undecided, naming the policy, the failed read and what each value would decide.
///
/// ```swift
/// let resolution = UnreadPolicyResolution(request: request, policies: policies)
/// if let unread = resolution.applicable { result = resolution.resolve(unread) { evaluateRead(request, against: $0) } }
/// ```
struct UnreadPolicyResolution {
    let request: AuthorizationRequest
    let policies: PolicySet
    /// The unread policy this request depends on, if any.
    let applicable: UnreadPolicy?
    /// Unread policies that do not take part in this request.
    let notes: [String]

    init(request: AuthorizationRequest, policies: PolicySet) {
        self.request = request
        self.policies = policies
        let side = PolicyEvaluator.resourceSideType(for: request)
        var applicable: UnreadPolicy?
        if let side, Self.slot(side, in: policies) == nil {
            applicable = policies.unreadPolicies.first { $0.type == side }
            // Every KMS key has a key policy, and IAM policies allow only what it lets them: one
            // not given is unknown, never absent.
            if applicable == nil, side == .kmsKeyPolicy {
                let key = request.resource.map { String($0.arn.split(separator: "/").last ?? Substring($0.arn)) } ?? "?"
                applicable = UnreadPolicy(type: .kmsKeyPolicy, name: "key policy of \(key)",
                                          reason: "every KMS key has one, and IAM policies allow a key only when it lets them")
            }
        }
        self.applicable = applicable
        notes = policies.unreadPolicies.filter { $0 != applicable }
            .map { "\($0); it does not take part in \(request.action)\(request.resource.map { " on \($0.arn)" } ?? "")" }
    }

    static func slot(_ type: PolicyType, in policies: PolicySet) -> AttachedPolicy? {
        switch type {
        case .roleTrustPolicy: return policies.roleTrustPolicy
        case .kmsKeyPolicy: return policies.keyPolicy
        default: return policies.resourcePolicy
        }
    }

    func withStandIn(for unread: UnreadPolicy, _ statements: [PolicyStatement]) -> PolicySet {
        var set = policies
        let standIn = AttachedPolicy(name: unread.name, document: PolicyDocument(version: .v2012_10_17, statements: statements),
                                     ownerAccount: request.resource?.account)
        switch unread.type {
        case .roleTrustPolicy: set.roleTrustPolicy = standIn
        case .kmsKeyPolicy: set.keyPolicy = standIn
        default: set.resourcePolicy = standIn
        }
        return set
    }

    /// `Allow`, `Principal: *`, every action on every resource: the most the policy could grant.
    static let grantEverything = PolicyStatement(index: 0, effect: .allow, principal: .principal([PrincipalEntry(type: .wildcard, value: "*")]),
                                                 action: .action(["*"]), resource: .resource(["*"]))

    func resolve(_ unread: UnreadPolicy, evaluate: (PolicySet) -> EvaluationResult) -> EvaluationResult {
        let silent = evaluate(withStandIn(for: unread, []))
        var result = silent
        result.notes += notes
        result.unreadPolicies = [unread]
        if silent.decision == .explicitDeny {
            result.notes.append("\(unread); a Deny that was read decides the request whatever it says")
            return result
        }
        let granting = evaluate(withStandIn(for: unread, [Self.grantEverything]))
        if granting.decision.isDenied {
            result.notes.append("\(unread); the request is denied whatever it says, but it might also deny explicitly")
            return result
        }
        result.decision = .undecided
        result.missingContextKeys = Set(silent.missingContextKeys + granting.missingContextKeys).sorted()
        for index in result.gates.indices where result.gates[index].policyType == unread.type {
            result.gates[index].outcome = .unknown
            result.gates[index].reason = "\(unread)"
        }
        result.blockedBy = result.gates.filter { $0.outcome == .denies }
        result.deciding = DecidingReason(
            policyType: unread.type, policy: unread.reference, statement: nil, supportingStatements: [],
            summary: "Undecided: \(unread), and the verdict depends on it: if it denies: explicit deny; "
                + "if it grants the caller: \(Self.describe(granting)); "
                + "if it says nothing about this request: \(Self.describe(silent)).")
        return result
    }

    static func describe(_ result: EvaluationResult) -> String {
        switch result.decision {
        case .allowed: return "allowed"
        case .explicitDeny: return "explicit deny"
        case .implicitDeny: return "implicit deny" + (result.blockedBy.first.map { " (\($0.reason))" } ?? "")
        case .undecided:
            return result.missingContextKeys.isEmpty ? "undecided" : "undecided (depends on \(result.missingContextKeys.joined(separator: ", ")))"
        }
    }
}
