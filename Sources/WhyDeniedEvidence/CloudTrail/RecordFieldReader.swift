import Foundation
import WhyDeniedJSON

/// Why one CloudTrail record could not be decoded: the field and what is wrong with it.
///
/// ```swift
/// // {"eventName": 42} →
/// CloudTrailRecordError(field: "eventName", problem: "is a number, a string was expected")
/// ```
public struct CloudTrailRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { field.isEmpty ? problem : "\(field) \(problem)" }
}

/// Typed access to the fields of one JSON object, naming the full field path in its errors.
/// Absent and `null` fields read as nil; a field of the wrong type is an error.
struct RecordFieldReader {
    let json: JSONObject
    let path: String

    init(_ object: JSONObject, path: String = "") {
        self.json = object
        self.path = path
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String) -> JSONValue? {
        // CloudTrail spells keys in camelCase, Athena exports in lower case: accept both.
        guard let found = json[key] ?? json.value(forCaseInsensitiveKey: key), !found.isNull else { return nil }
        return found
    }

    func string(_ key: String) throws(CloudTrailRecordError) -> String? {
        guard let found = value(key) else { return nil }
        guard case .string(let text) = found else {
            throw CloudTrailRecordError(field: fieldPath(key), problem: "is \(Self.describe(found)), a string was expected")
        }
        return text
    }

    /// A flag CloudTrail writes as a boolean, and lookup-events or Athena as `"true"`/`"false"`.
    func flag(_ key: String) throws(CloudTrailRecordError) -> Bool? {
        guard let found = value(key) else { return nil }
        switch found {
        case .bool(let flag): return flag
        case .string(let text) where text.lowercased() == "true": return true
        case .string(let text) where text.lowercased() == "false": return false
        default:
            throw CloudTrailRecordError(field: fieldPath(key), problem: "is \(Self.describe(found)), true or false was expected")
        }
    }

    func object(_ key: String) throws(CloudTrailRecordError) -> RecordFieldReader? {
        guard let found = value(key) else { return nil }
        guard case .object(let inner) = found else {
            throw CloudTrailRecordError(field: fieldPath(key), problem: "is \(Self.describe(found)), an object was expected")
        }
        return RecordFieldReader(inner, path: fieldPath(key))
    }

    func array(_ key: String) throws(CloudTrailRecordError) -> [JSONValue]? {
        guard let found = value(key) else { return nil }
        guard case .array(let items) = found else {
            throw CloudTrailRecordError(field: fieldPath(key), problem: "is \(Self.describe(found)), a list was expected")
        }
        return items
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
