import Foundation

/// Evaluates one condition clause against the request context, following the IAM User Guide
/// ("IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued context
/// keys"): values of one key are OR-ed (negated operators: none may match); a missing key makes
/// positive operators false, negated ones true, `…IfExists` true; `ForAllValues` on a missing or
/// empty key is true, `ForAnyValue` false; `Null` tests presence. A key the evidence does not
/// carry makes the answer unknown.
///
/// ```swift
/// let (truth, check) = ConditionEvaluator(variables: resolver).evaluate(clause)
/// ```
public struct ConditionEvaluator: Sendable {
    public var variables: PolicyVariableResolver

    public init(variables: PolicyVariableResolver) {
        self.variables = variables
    }

    public func evaluate(_ clause: ConditionClause) -> (Truth, ConditionCheck) {
        let op = clause.operator
        let lookup = variables.context.lookup(clause.key)
        let resolutions = clause.values.map { variables.resolve($0) }
        let expected = zip(clause.values, resolutions).map { raw, resolution -> String in
            if case .resolved(let pattern) = resolution { return pattern.text }
            return raw
        }
        var notes: [String] = []
        for resolution in resolutions {
            switch resolution {
            case .failed(let variable, let reason): notes.append("\(variable) cannot be substituted: \(reason)")
            case .unknown(let keys): notes.append("value depends on \(keys.sorted().joined(separator: ", "))")
            case .resolved: break
            }
        }

        func check(_ truth: Truth, state: ConditionCheck.KeyState, requestValues: [String]?) -> (Truth, ConditionCheck) {
            var note = notes.isEmpty ? nil : notes.joined(separator: "; ")
            if case .unknown = truth, state == .unknown {
                let text = "the request context does not say whether \(clause.key) is present"
                note = note.map { "\(text); \($0)" } ?? text
            }
            let result = ConditionCheck(operator: op.text, key: clause.key, expectedValues: expected,
                                        requestValues: requestValues, keyState: state, outcome: truth.outcome, note: note)
            return (truth, result)
        }

        if op.base == .null {
            // "Null": true → the key must be absent; false → present.
            let wantsAbsent = clause.values.map { $0.lowercased() }
            switch lookup {
            case .unknown:
                return check(.unknown([clause.key]), state: .unknown, requestValues: nil)
            case .absent:
                return check(Truth(wantsAbsent.contains("true")), state: .absent, requestValues: nil)
            case .present(let value):
                return check(Truth(wantsAbsent.contains("false")), state: .present, requestValues: value.values)
            }
        }

        switch lookup {
        case .unknown:
            return check(.unknown([clause.key]), state: .unknown, requestValues: nil)
        case .absent:
            let truth: Bool
            if op.ifExists { truth = true }
            else if op.qualifier == .forAllValues { truth = true }
            else if op.qualifier == .forAnyValue { truth = false }
            else { truth = op.base.isNegated }
            return check(Truth(truth), state: .absent, requestValues: nil)
        case .present(let value):
            let requestValues = value.values
            // Whether one request value matches any of the policy values (positive sense).
            func positive(_ requestValue: String) -> Truth {
                Truth.any(resolutions.map { resolution -> Truth in
                    switch resolution {
                    case .resolved(let pattern): return Truth(Self.compare(op.base, requestValue, pattern))
                    case .failed: return .no
                    case .unknown(let keys): return .unknown(keys)
                    }
                })
            }
            let truth: Truth
            switch op.qualifier {
            case .none:
                let anyMatch = Truth.any(requestValues.map(positive))
                truth = op.base.isNegated ? anyMatch.negated : anyMatch
            case .forAnyValue:
                truth = Truth.any(requestValues.map { op.base.isNegated ? positive($0).negated : positive($0) })
            case .forAllValues:
                truth = Truth.all(requestValues.map { op.base.isNegated ? positive($0).negated : positive($0) })
            }
            return check(truth, state: .present, requestValues: requestValues)
        }
    }

    /// The positive comparison of one request value with one policy value.
    static func compare(_ base: BaseConditionOperator, _ requestValue: String, _ pattern: WildcardPattern) -> Bool {
        let policyValue = pattern.text
        switch base {
        case .stringEquals, .stringNotEquals:
            return requestValue == policyValue
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            return requestValue.lowercased() == policyValue.lowercased()
        case .stringLike, .stringNotLike:
            return pattern.matches(requestValue, caseInsensitive: false)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals,
             .numericGreaterThan, .numericGreaterThanEquals:
            guard let lhs = Double(requestValue.trimmingCharacters(in: .whitespaces)),
                  let rhs = Double(policyValue.trimmingCharacters(in: .whitespaces)) else { return false }
            return order(base, lhs, rhs)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let lhs = PolicyDate.epochSeconds(requestValue), let rhs = PolicyDate.epochSeconds(policyValue) else {
                return false
            }
            return order(base, lhs, rhs)
        case .bool:
            return requestValue.lowercased() == policyValue.lowercased()
        case .binaryEquals:
            if let lhs = Data(base64Encoded: requestValue), let rhs = Data(base64Encoded: policyValue) { return lhs == rhs }
            return requestValue == policyValue
        case .ipAddress, .notIpAddress:
            guard let range = IPAddressRange(policyValue), let address = IPAddressRange(requestValue) else { return false }
            return range.contains(address)
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
            return ArnMatching.matches(pattern, requestValue)
        case .null:
            return false
        }
    }

    private static func order(_ base: BaseConditionOperator, _ lhs: Double, _ rhs: Double) -> Bool {
        switch base {
        case .numericLessThan, .dateLessThan: return lhs < rhs
        case .numericLessThanEquals, .dateLessThanEquals: return lhs <= rhs
        case .numericGreaterThan, .dateGreaterThan: return lhs > rhs
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return lhs >= rhs
        default: return lhs == rhs
        }
    }
}
