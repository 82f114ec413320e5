/// A condition operator as written in a policy, split into its parts: the optional set qualifier
/// (`ForAllValues:` / `ForAnyValue:`), the base operator, and the `IfExists` suffix.
///
/// ```swift
/// let op = try ConditionOperator(parsing: "ForAnyValue:StringLikeIfExists")
/// op.qualifier   // .forAnyValue
/// op.base        // .stringLike
/// op.ifExists    // true
/// ```
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public enum SetQualifier: String, Sendable, Hashable {
        case forAllValues = "ForAllValues"
        case forAnyValue = "ForAnyValue"
    }

    public var qualifier: SetQualifier?
    public var base: BaseConditionOperator
    public var ifExists: Bool
    /// The operator as written.
    public var text: String

    public struct UnknownOperator: Error, Sendable, Equatable {
        public var text: String
    }

    public init(parsing text: String) throws(UnknownOperator) {
        var rest = Substring(text)
        var qualifier: SetQualifier?
        for candidate in [SetQualifier.forAllValues, .forAnyValue] {
            let prefix = candidate.rawValue + ":"
            if rest.lowercased().hasPrefix(prefix.lowercased()) {
                qualifier = candidate
                rest = rest.dropFirst(prefix.count)
            }
        }
        var ifExists = false
        if rest.lowercased().hasSuffix("ifexists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let base = BaseConditionOperator.allCases.first(where: { $0.rawValue.lowercased() == rest.lowercased() }),
              !(ifExists && base == .null)
        else { throw UnknownOperator(text: text) }
        self.qualifier = qualifier
        self.base = base
        self.ifExists = ifExists
        self.text = text
    }

    public var description: String { text }
}

/// The comparison a condition operator makes, without qualifier or IfExists.
public enum BaseConditionOperator: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnLike = "ArnLike"
    case arnNotEquals = "ArnNotEquals"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    /// Negated operators are true when no policy value matches (and when the key is missing).
    public var isNegated: Bool {
        switch self {
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals,
             .dateNotEquals, .notIpAddress, .arnNotEquals, .arnNotLike:
            return true
        default:
            return false
        }
    }
}
