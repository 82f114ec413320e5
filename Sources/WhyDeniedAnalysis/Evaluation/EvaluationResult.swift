/// The verdict on one request and everything behind it: the deciding policy and statement, each
/// guardrail ("gate") that must allow, the missing context keys when the verdict cannot be
/// reached, and every statement examined. Codable: the same value feeds the TUI, the report and
/// `whydenied evaluate --json`.
///
/// ```swift
/// let result = PolicyEvaluator().evaluate(request, against: policies)
/// result.decision                         // .explicitDeny
/// result.deciding.policy?.type            // .resourceBased
/// result.deciding.statement?.statement.label   // "Sid \"DenyOutsideOffice\""
/// ```
public struct EvaluationResult: Sendable, Hashable, Codable {
    public var decision: Decision
    public var deciding: DecidingReason
    /// Keys the request context does not give and on which the verdict depends (Undecided only).
    public var missingContextKeys: [String]
    /// Each guardrail in evaluation order, with its outcome.
    public var gates: [GateResult]
    /// The gates that deny on their own: each needs its own fix.
    public var blockedBy: [GateResult]
    /// Every statement examined, in evaluation order.
    public var statements: [StatementTrace]
    /// Policies that apply but could not be read; the verdict is Undecided when one of them could
    /// change it.
    public var unreadPolicies: [UnreadPolicy] = []
    /// Things the operator should know: policies not applied and why, documents IAM would reject,
    /// statements that might also deny.
    public var notes: [String]
}

/// Allowed, denied by a Deny statement, denied for lack of an Allow, or not decidable from the
/// evidence.
public enum Decision: String, Sendable, Hashable, Codable {
    case allowed
    case explicitDeny
    case implicitDeny
    case undecided

    public var isDenied: Bool { self == .explicitDeny || self == .implicitDeny }
}

/// Why the decision came out as it did.
public struct DecidingReason: Sendable, Hashable, Codable {
    /// The policy type to blame (or credit).
    public var policyType: PolicyType?
    /// The policy, when one policy decides (an explicit deny, an allow, an SCP level).
    public var policy: PolicyReference?
    /// The deciding statement: the Deny that matched, the Allow that granted, or for Undecided the
    /// first statement whose outcome is unknown. nil for an implicit deny (no statement allows).
    public var statement: StatementTrace?
    /// Other statements the decision rests on (the second side of a cross-account grant, the
    /// other undecided statements).
    public var supportingStatements: [StatementTrace]
    /// One or two sentences for a person.
    public var summary: String
    /// Set when no policy decided: AWS itself refuses (a write to an AWS-owned target).
    public var platformRule: String?

    public init(policyType: PolicyType?, policy: PolicyReference?, statement: StatementTrace?,
                supportingStatements: [StatementTrace], summary: String, platformRule: String? = nil) {
        self.policyType = policyType
        self.policy = policy
        self.statement = statement
        self.supportingStatements = supportingStatements
        self.summary = summary
        self.platformRule = platformRule
    }
}

/// One guardrail that must allow the request (an SCP level, the boundary, the identity side …).
public struct GateResult: Sendable, Hashable, Codable {
    public var name: String
    public var policyType: PolicyType
    public var organizationLevel: String?
    public var outcome: GateOutcome
    public var missingContextKeys: [String]
    public var reason: String
}

public enum GateOutcome: String, Sendable, Hashable, Codable {
    case allows
    case denies
    case unknown
}

/// Settings that come from the action catalog when one is available.
public struct EvaluationOptions: Sendable, Hashable {
    /// Service prefixes whose resources RCPs restrict. Default: the services the AWS
    /// Organizations guide ("Resource control policies", list of supported services) named when
    /// this was written; pass the catalog's list to stay current.
    public var rcpSupportedServices: Set<String>

    public init(rcpSupportedServices: Set<String> = EvaluationOptions.documentedRCPServices) {
        self.rcpSupportedServices = rcpSupportedServices
    }

    public static let documentedRCPServices: Set<String> = [
        "s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss", "cognito-idp", "logs", "dynamodb",
    ]
}
