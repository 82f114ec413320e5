/// What the evaluator found when it examined one statement against the request: the outcome of
/// each element (Action, Resource, Principal, each condition) with the pattern that matched or
/// the value the request had. Codable, so the UI, the report and `--json` read the same trace.
///
/// ```swift
/// trace.statement.label          // "Sid \"DenyOutsideOffice\""
/// trace.conditions[0].operator   // "NotIpAddress"
/// trace.conditions[0].requestValues   // ["198.51.100.7"]
/// ```
public struct StatementTrace: Sendable, Hashable, Codable {
    public var policy: PolicyReference
    public var statement: StatementReference
    public var effect: Effect
    /// Whether the statement applies to the request.
    public var outcome: MatchOutcome
    public var action: ElementCheck
    public var resource: ElementCheck?
    public var principal: ElementCheck?
    /// How the caller was matched by Principal (resource-side policies only).
    public var principalMatch: PrincipalMatchKind?
    public var conditions: [ConditionCheck]
    /// Context keys the outcome depends on, when it is `unknown`.
    public var missingContextKeys: [String]
    /// One line: why the statement applies or not.
    public var reason: String
}

/// Identifies a statement within its policy.
public struct StatementReference: Sendable, Hashable, Codable {
    public var index: Int
    public var sid: String?
    public var path: String
    public var label: String

    public init(_ statement: PolicyStatement) {
        index = statement.index
        sid = statement.sid
        path = statement.path
        label = statement.label
    }
}

/// The check of one element (`Action`, `NotResource`, `Principal` …).
public struct ElementCheck: Sendable, Hashable, Codable {
    public var element: String
    public var outcome: MatchOutcome
    /// All patterns the element lists.
    public var patterns: [String]
    /// The pattern that matched the request (for Not* elements: the one that excluded it).
    public var matchedPattern: String?
    /// What the request had for this element.
    public var requestValue: String
    /// Extra detail: an unresolved policy variable, a wildcard-only action, a quirk applied.
    public var note: String?
}

/// The check of one condition: operator, key, the values the policy expects (after policy
/// variables), and the values the request had.
public struct ConditionCheck: Sendable, Hashable, Codable {
    public var `operator`: String
    public var key: String
    public var expectedValues: [String]
    /// nil when the key is absent or unknown.
    public var requestValues: [String]?
    public var keyState: KeyState
    public var outcome: MatchOutcome
    public var note: String?

    public enum KeyState: String, Sendable, Hashable, Codable {
        case present, absent, unknown
    }
}

/// How the Principal element of a resource-side policy matched the caller. AWS treats these
/// differently in the same account: a direct match grants on its own; a role-ARN match is still
/// limited by the permissions boundary and session policy; an account match only delegates to
/// the account's IAM policies.
public enum PrincipalMatchKind: String, Sendable, Hashable, Codable {
    /// The IAM user, role session or federated user ARN itself, a service, or `*`.
    case direct
    /// The role behind a role session (or the IAM user behind a federated user).
    case roleArn
    /// The caller's account (`111122223333` or `arn:aws:iam::111122223333:root`).
    case account
    case none

    var strength: Int {
        switch self {
        case .direct: return 3
        case .roleArn: return 2
        case .account: return 1
        case .none: return 0
        }
    }
}
