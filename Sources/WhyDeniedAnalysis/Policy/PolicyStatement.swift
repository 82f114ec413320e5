/// One statement of a policy: its effect, the principals, actions and resources it names, and
/// its conditions. `index` is its position in the document (0-based), so a statement without a
/// Sid can still be named ("statement #2").
///
/// ```swift
/// let statement = policy.statements[0]
/// statement.action      // .action(["s3:GetObject"])
/// statement.label       // "Sid \"DenyOutsideOffice\"" or "statement #1"
/// ```
public struct PolicyStatement: Sendable, Hashable {
    public var index: Int
    public var sid: String?
    public var effect: Effect
    public var principal: PrincipalElement?
    public var action: ActionElement
    /// nil when the statement has no Resource (role trust policies).
    public var resource: ResourceElement?
    public var conditions: [ConditionClause]
    /// JSON path of the statement in its document, e.g. `Statement[1]`.
    public var path: String

    public init(index: Int, sid: String? = nil, effect: Effect, principal: PrincipalElement? = nil,
                action: ActionElement, resource: ResourceElement? = nil, conditions: [ConditionClause] = [],
                path: String? = nil) {
        self.index = index
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.path = path ?? "Statement[\(index)]"
    }

    /// How a person names this statement: its Sid, or its 1-based position.
    public var label: String {
        if let sid, !sid.isEmpty { return "Sid \"\(sid)\"" }
        return "statement #\(index + 1)"
    }
}

/// Allow or Deny.
public enum Effect: String, Sendable, Hashable, Codable {
    case allow = "Allow"
    case deny = "Deny"
}

/// `Action` or `NotAction` with its patterns.
public enum ActionElement: Sendable, Hashable {
    case action([String])
    case notAction([String])

    public var name: String {
        switch self {
        case .action: return "Action"
        case .notAction: return "NotAction"
        }
    }
    public var patterns: [String] {
        switch self {
        case .action(let patterns), .notAction(let patterns): return patterns
        }
    }
}

/// `Resource` or `NotResource` with its patterns.
public enum ResourceElement: Sendable, Hashable {
    case resource([String])
    case notResource([String])

    public var name: String {
        switch self {
        case .resource: return "Resource"
        case .notResource: return "NotResource"
        }
    }
    public var patterns: [String] {
        switch self {
        case .resource(let patterns), .notResource(let patterns): return patterns
        }
    }
}
