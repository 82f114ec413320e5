/// One `operator → key → values` entry of a statement's Condition block.
///
/// ```swift
/// // "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
/// ConditionClause(operator: try ConditionOperator(parsing: "NotIpAddress"),
///                 key: "aws:SourceIp", values: ["203.0.113.0/24"])
/// ```
public struct ConditionClause: Sendable, Hashable {
    public var `operator`: ConditionOperator
    /// The key as written; matched case-insensitively.
    public var key: String
    /// Values as text (numbers and booleans written the way a policy would spell them).
    public var values: [String]
    public var path: String

    public init(operator: ConditionOperator, key: String, values: [String], path: String = "") {
        self.operator = `operator`
        self.key = key
        self.values = values
        self.path = path
    }
}
