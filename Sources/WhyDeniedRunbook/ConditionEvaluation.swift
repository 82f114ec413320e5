import WhyDeniedJSON

/// What a condition's subject currently holds.
public enum SubjectValue: Sendable, Equatable {
    case known(JSONValue)
    /// Known not to exist (an optional parameter left empty, a capture never taken).
    case absent
    /// Not known yet (a plan looking ahead at captures); conditions on it evaluate to nil.
    case unknown
}

extension WhenCondition {
    /// Three-valued evaluation: `nil` means "depends on something not known yet".
    public func evaluate(_ lookup: (ConditionSubject) -> SubjectValue) -> Bool? {
        switch self {
        case .all(let conditions):
            var result: Bool? = true
            for condition in conditions {
                switch condition.evaluate(lookup) {
                case false?: return false
                case nil: result = nil
                case true?: break
                }
            }
            return result
        case .any(let conditions):
            var result: Bool? = false
            for condition in conditions {
                switch condition.evaluate(lookup) {
                case true?: return true
                case nil: result = nil
                case false?: break
                }
            }
            return result
        case .not(let condition):
            return condition.evaluate(lookup).map { !$0 }
        case .test(let subject, let test):
            let value = lookup(subject)
            if case .unknown = value { return nil }
            let known: JSONValue? = if case .known(let json) = value, !json.isNull { json } else { nil }
            switch test {
            case .present(let expected):
                return Self.isPresent(known) == expected
            case .equals(let expected):
                return known?.scalarText == expected
            case .oneOf(let options):
                guard let text = known?.scalarText else { return false }
                return options.contains(text)
            case .contains(let item):
                if let items = known?.arrayValue { return items.contains { $0.scalarText == item } }
                return known?.scalarText == item
            }
        }
    }

    static func isPresent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .string(let text)?: !text.isEmpty
        case .array(let items)?: !items.isEmpty
        default: true
        }
    }

    /// The condition as a person reads it, for plans and the TUI:
    /// `facts.principal.kind = user`, `captures.groups present`.
    public var summary: String {
        switch self {
        case .all(let conditions): conditions.map(\.summary).joined(separator: " and ")
        case .any(let conditions): "(" + conditions.map(\.summary).joined(separator: " or ") + ")"
        case .not(let condition): "not (\(condition.summary))"
        case .test(let subject, .equals(let value)): "\(subject) = \(value)"
        case .test(let subject, .oneOf(let values)): "\(subject) in [\(values.joined(separator: ", "))]"
        case .test(let subject, .present(let flag)): flag ? "\(subject) present" : "\(subject) absent"
        case .test(let subject, .contains(let item)): "\(subject) contains \(item)"
        }
    }
}
