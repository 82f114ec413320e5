/// What `aws sts decode-authorization-message` says about a denied request: AWS's own record of
/// the evaluation, the strongest evidence a session can have. Its context values are the ones the
/// request really carried (`aws:SourceIp`, `ec2:InstanceType`, …), not guesses.
///
/// Read with `DecodedAuthorization.read(_:)` from the CLI's output
/// (`{"DecodedMessage": "<JSON text>"}`) or from the decoded document itself:
/// ```swift
/// let decoded = try DecodedAuthorization.read(cliOutput)
/// decoded.decision                          // .explicitDeny
/// decoded.iamAction                         // "ec2:RunInstances" (context.action says "RunInstances")
/// decoded.denyingStatements.first?.statementId  // "VisualEditor0"
/// decoded.values(of: "aws:Region")          // ["us-east-1"]
/// ```
public struct DecodedAuthorization: Sendable, Hashable, Codable {
    /// `allowed`: false for a denial.
    public var allowed: Bool?
    /// `explicitDeny`: true when a Deny statement matched, false when no statement allowed.
    public var explicitDeny: Bool?
    /// `matchedStatements.items`: the statements AWS matched (for an explicit deny, the Deny).
    public var matchedStatements: [MatchedStatement]
    /// `failures.items`, as text.
    public var failures: [String]
    /// `context.principal.id`: the unique id (`AROA…:session` for a role session).
    public var principalId: String?
    /// `context.principal.name`, when given.
    public var principalName: String?
    /// `context.principal.arn`.
    public var principalArn: String?
    /// `context.action` as written: `RunInstances` or `ec2:RunInstances`.
    public var action: String?
    /// `context.resource`.
    public var resource: String?
    /// `context.conditions.items`: every condition key of the request with its values.
    public var conditions: [ConditionEntry]

    public init(allowed: Bool? = nil, explicitDeny: Bool? = nil, matchedStatements: [MatchedStatement] = [],
                failures: [String] = [], principalId: String? = nil, principalName: String? = nil,
                principalArn: String? = nil, action: String? = nil, resource: String? = nil,
                conditions: [ConditionEntry] = []) {
        self.allowed = allowed
        self.explicitDeny = explicitDeny
        self.matchedStatements = matchedStatements
        self.failures = failures
        self.principalId = principalId
        self.principalName = principalName
        self.principalArn = principalArn
        self.action = action
        self.resource = resource
        self.conditions = conditions
    }

    /// One condition key of the request and its values (`aws:Region` → `["us-east-1"]`).
    public struct ConditionEntry: Sendable, Hashable, Codable {
        public var key: String
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// One statement AWS matched, as the decoded message lists it.
    public struct MatchedStatement: Sendable, Hashable, Codable {
        public var statementId: String?
        /// `ALLOW` or `DENY` as AWS writes it.
        public var effect: String?
        public var principals: [String]
        public var principalGroups: [String]
        public var actions: [String]
        public var resources: [String]
        public var conditions: [ConditionEntry]

        public init(statementId: String? = nil, effect: String? = nil, principals: [String] = [], principalGroups: [String] = [],
                    actions: [String] = [], resources: [String] = [], conditions: [ConditionEntry] = []) {
            self.statementId = statementId
            self.effect = effect
            self.principals = principals
            self.principalGroups = principalGroups
            self.actions = actions
            self.resources = resources
            self.conditions = conditions
        }

        public var isDeny: Bool { effect?.uppercased() == "DENY" }

        /// `VisualEditor0 (Deny ec2:RunInstances on *)`, for notes and reports.
        public var summary: String {
            let effectWord = isDeny ? "Deny" : (effect?.capitalized ?? "?")
            let on = resources.isEmpty ? "" : " on \(resources.joined(separator: ", "))"
            return "\(statementId ?? "(no Sid)") (\(effectWord) \(actions.joined(separator: ", "))\(on))"
        }
    }

    /// The decision the message records.
    public var decision: DenialDecision {
        if explicitDeny == true { return .explicitDeny }
        if explicitDeny == false, allowed == false { return .implicitDeny }
        return .unknown
    }

    /// The matched Deny statements: for an explicit deny, the one(s) that refused the request.
    public var denyingStatements: [MatchedStatement] { matchedStatements.filter(\.isDeny) }

    /// The values of a context key (case-insensitive), nil when the message does not carry it.
    public func values(of key: String) -> [String]? {
        conditions.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.values
    }

    /// `service:Action`. EC2's messages write `context.action` without the service
    /// (`RunInstances`); the service is then `aws:Service`, or the prefix of a matched
    /// statement's action of that name.
    public var iamAction: String? {
        guard let action, !action.isEmpty else { return nil }
        if action.contains(":") { return action }
        if let service = values(of: "aws:Service")?.first, !service.isEmpty { return "\(service):\(action)" }
        for statement in matchedStatements {
            for candidate in statement.actions {
                let parts = candidate.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[1].caseInsensitiveCompare(action) == .orderedSame { return candidate }
            }
        }
        return nil
    }

    /// The caller, when `context.principal.arn` is an IAM or STS ARN.
    public var principal: PrincipalIdentity? { principalArn.flatMap(PrincipalIdentity.init(arn:)) }

    /// The caller's account: from the principal ARN, else `aws:Account` / `aws:PrincipalAccount`.
    public var accountId: String? {
        if let account = principal?.accountId, !account.isEmpty { return account }
        for key in ["aws:PrincipalAccount", "aws:Account"] {
            if let value = values(of: key)?.first, value.count == 12, value.allSatisfy(\.isNumber) { return value }
        }
        return nil
    }
}
