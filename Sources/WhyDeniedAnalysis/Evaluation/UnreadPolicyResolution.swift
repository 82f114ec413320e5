/// Decides a request that depends on policies that could not be read (`UnreadPolicy`): the
/// resource-side policy, the caller's permissions boundary, some of its identity or session
/// policies, or the SCPs (and RCPs) on its account's path. It evaluates the request with two stand-ins for every missing document together:
/// one that says nothing about the request and one that grants it (to the caller directly, for
/// a resource-side policy). A third value, a Deny of everything, always gives an explicit deny,
/// so the request is decided only when it is denied whatever they say (a known Deny, a
/// guardrail, no grant even from the unread policies themselves); otherwise the verdict is
/// Undecided, naming each policy, its failed read and what each value would decide.
///
/// A boundary (or the policy of the VPC endpoint the request came through) can only restrict,
/// so an unread one leaves a deny as it is and makes an Allow Undecided; an identity policy can add an Allow or a Deny, so an unread one makes both open.
///
/// ```swift
/// let resolution = UnreadPolicyResolution(request: request, policies: policies)
/// if !resolution.applicable.isEmpty { result = resolution.resolve { evaluateRead(request, against: $0) } }
/// ```
struct UnreadPolicyResolution {
    let request: AuthorizationRequest
    let policies: PolicySet
    /// The unread policies this request depends on, resource side first.
    let applicable: [UnreadPolicy]
    /// Unread policies that do not take part in this request.
    let notes: [String]
    /// Applicable unread policies that add to a resource-side policy that was read (a KMS key's
    /// grants next to its key policy): they can only grant, never deny.
    let grantsOnly: [UnreadPolicy]

    init(request: AuthorizationRequest, policies: PolicySet) {
        self.request = request
        self.policies = policies
        var applicable: [UnreadPolicy] = []
        var grantsOnly: [UnreadPolicy] = []
        let side = PolicyEvaluator.resourceSideType(for: request)
        if let side, Self.slot(side, in: policies) != nil {
            // The policy itself was read; one more unread of its type is what adds Allows to it
            // (a key's grants, `kms list-grants`).
            grantsOnly = policies.unreadPolicies.filter { $0.type == side }
            applicable += grantsOnly
        } else if let side {
            if let unread = policies.unreadPolicies.first(where: { $0.type == side }) {
                applicable.append(unread)
            } else if side == .kmsKeyPolicy {
                // Every KMS key has a key policy, and IAM policies allow only what it lets them: one
                // not given is unknown, never absent.
                let key = request.resource.map { String($0.arn.split(separator: "/").last ?? Substring($0.arn)) } ?? "?"
                applicable.append(UnreadPolicy(type: .kmsKeyPolicy, name: "key policy of \(key)",
                                               reason: "every KMS key has one, and IAM policies allow a key only when it lets them"))
            }
        }
        // The VPC endpoint the request came through: its policy must allow too.
        if policies.vpcEndpointPolicy == nil, case .present = request.context.lookup("aws:SourceVpce"),
           let endpoint = policies.unreadPolicies.first(where: { $0.type == .vpcEndpointPolicy }) {
            applicable.append(endpoint)
        }
        // The caller's own side: AWS services and anonymous callers have none, the root user is
        // not limited by identity policies or boundaries.
        let kind = request.principal.kind
        if kind != .service, kind != .anonymous, kind != .root {
            if policies.permissionsBoundary == nil,
               let boundary = policies.unreadPolicies.first(where: { $0.type == .permissionsBoundary }) {
                applicable.append(boundary)
            }
            applicable += policies.unreadPolicies.filter { $0.type == .identityBased || $0.type == .sessionPolicy }
        }
        // Unknown SCPs restrict every principal of a member account, the root user too; not AWS
        // services, service-linked roles or the management account's principals.
        let callerAccount = request.principal.account
        if kind != .service, kind != .anonymous, !request.principal.isServiceLinkedRole,
           policies.managementAccount == nil || policies.managementAccount != callerAccount {
            applicable += policies.unreadPolicies.filter { $0.type == .serviceControlPolicy && ($0.account ?? callerAccount) == callerAccount }
        }
        // Unknown RCPs restrict a resource of the account whose path they are on (the caller's
        // unless named; the evaluator then exempts the services RCPs do not restrict); not the
        // management account's.
        if !request.principal.isServiceLinkedRole, let resource = request.resource {
            let resourceAccount = resource.account ?? callerAccount
            applicable += policies.unreadPolicies.filter { unread in
                guard unread.type == .resourceControlPolicy, (unread.account ?? callerAccount) == resourceAccount else { return false }
                return policies.managementAccount == nil || policies.managementAccount != resourceAccount
            }
        }
        self.applicable = applicable
        self.grantsOnly = grantsOnly
        notes = policies.unreadPolicies.filter { !applicable.contains($0) }
            .map { "\($0); it does not take part in \(request.action)\(request.resource.map { " on \($0.arn)" } ?? "")" }
    }

    static func slot(_ type: PolicyType, in policies: PolicySet) -> AttachedPolicy? {
        switch type {
        case .roleTrustPolicy: return policies.roleTrustPolicy
        case .kmsKeyPolicy: return policies.keyPolicy
        default: return policies.resourcePolicy
        }
    }

    /// The set with every unread policy filled by a stand-in that grants everything (`granting`)
    /// or says nothing.
    func withStandIns(granting: Bool) -> PolicySet {
        var set = policies
        for unread in applicable where grantsOnly.contains(unread) {
            guard granting, var filled = Self.slot(unread.type, in: set) else { continue }
            filled.document.statements.append(Self.grantEverything(at: filled.document.statements.count))
            switch unread.type {
            case .roleTrustPolicy: set.roleTrustPolicy = filled
            case .kmsKeyPolicy: set.keyPolicy = filled
            default: set.resourcePolicy = filled
            }
        }
        for unread in applicable where !grantsOnly.contains(unread) {
            let resourceSide = unread.type.namesPrincipals
            let statements = granting ? [resourceSide ? Self.grantEverything : Self.allowEverything] : []
            let standIn = AttachedPolicy(name: unread.name, document: PolicyDocument(version: .v2012_10_17, statements: statements),
                                         ownerAccount: resourceSide ? request.resource?.account : nil)
            switch unread.type {
            case .roleTrustPolicy: set.roleTrustPolicy = standIn
            case .kmsKeyPolicy: set.keyPolicy = standIn
            case .permissionsBoundary: set.permissionsBoundary = standIn
            case .identityBased: set.identityPolicies.append(standIn)
            case .sessionPolicy: set.sessionPolicies.append(standIn)
            // A level of its own: silent, it allows nothing there (an SCP is an allow-list).
            case .serviceControlPolicy: set.serviceControlPolicies.append(OrganizationLevel(name: unread.name, policies: [standIn]))
            case .resourceControlPolicy: set.resourceControlPolicies.append(OrganizationLevel(name: unread.name, policies: [standIn]))
            case .vpcEndpointPolicy: set.vpcEndpointPolicy = standIn
            default: set.resourcePolicy = standIn
            }
        }
        return set
    }

    /// `Allow`, `Principal: *`, every action on every resource: the most the policy could grant.
    static let grantEverything = grantEverything(at: 0)
    static func grantEverything(at index: Int) -> PolicyStatement {
        PolicyStatement(index: index, effect: .allow, principal: .principal([PrincipalEntry(type: .wildcard, value: "*")]),
                        action: .action(["*"]), resource: .resource(["*"]))
    }
    /// The same for a policy of the caller (identity, boundary, session), which names no principal.
    static let allowEverything = PolicyStatement(index: 0, effect: .allow, action: .action(["*"]), resource: .resource(["*"]))

    func resolve(evaluate: (PolicySet) -> EvaluationResult) -> EvaluationResult {
        let silent = evaluate(withStandIns(granting: false))
        var result = silent
        result.notes += notes
        result.unreadPolicies = applicable
        if silent.decision == .explicitDeny {
            result.notes += applicable.map { "\($0); a Deny that was read decides the request whatever it says" }
            return result
        }
        let granting = evaluate(withStandIns(granting: true))
        if granting.decision.isDenied {
            // An unread SCP or RCP that says nothing denies by itself (an allow-list): the reason
            // the request is denied whatever it says is in the evaluation where it grants.
            if applicable.contains(where: { $0.type == .serviceControlPolicy || $0.type == .resourceControlPolicy }) {
                result = granting
                result.notes += notes
                result.unreadPolicies = applicable
            }
            result.notes += applicable.map {
                "\($0); the request is denied whatever it says" + (grantsOnly.contains($0) ? "" : ", but it might also deny explicitly")
            }
            return result
        }
        result.decision = .undecided
        result.missingContextKeys = Set(silent.missingContextKeys + granting.missingContextKeys).sorted()
        for unread in applicable {
            for index in result.gates.indices where result.gates[index].policyType == unread.type {
                result.gates[index].outcome = .unknown
                result.gates[index].reason = "\(unread)"
            }
        }
        result.blockedBy = result.gates.filter { $0.outcome == .denies }
        let first = applicable[0]
        let one = applicable.count == 1
        let they = one ? "it" : "they"
        // Grants cannot deny: with only those unknown, an explicit deny is not among the answers.
        let couldDeny = applicable.contains { !grantsOnly.contains($0) }
        result.deciding = DecidingReason(
            policyType: first.type, policy: first.reference, statement: nil, supportingStatements: [],
            summary: "Undecided: \(applicable.map(\.description).joined(separator: "; ")), and the verdict depends on \(they): "
                + (couldDeny ? "if \(they) \(one ? "denies" : "deny"): explicit deny; " : "")
                + "if \(they) \(one ? "grants" : "grant") the caller: \(Self.describe(granting)); "
                + "if \(they) \(one ? "says" : "say") nothing about this request: \(Self.describe(silent)).")
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
