import WhyDeniedJSON

/// Small edits of policy JSON that keep every other statement and key as written.
enum PolicyJSONEditing {
    /// The statements of a document as a list (a single-object `Statement` becomes one entry).
    static func statements(of document: JSONValue) -> [JSONValue] {
        switch document["Statement"] {
        case .array(let items)?: return items
        case .object(let object)?: return [.object(object)]
        default: return []
        }
    }

    /// The document with statement `index` replaced, or removed when `replacement` is nil.
    static func replacingStatement(_ index: Int, with replacement: JSONValue?, in document: JSONValue) -> JSONValue? {
        guard case .object(var object) = document else { return nil }
        var items = statements(of: document)
        guard items.indices.contains(index) else { return nil }
        if let replacement { items[index] = replacement } else { items.remove(at: index) }
        object["Statement"] = .array(items)
        return .object(object)
    }

    /// The document with statements appended; a new 2012-10-17 document when there is none.
    static func appending(_ newStatements: [JSONValue], to document: JSONValue?) -> JSONValue {
        guard case .object(var object)? = document else { return newDocument(newStatements) }
        object["Statement"] = .array(statements(of: .object(object)) + newStatements)
        return .object(object)
    }

    static func newDocument(_ statements: [JSONValue]) -> JSONValue {
        .object(JSONObject([("Version", .string("2012-10-17")), ("Statement", .array(statements))]))
    }

    /// `value` as a JSON list of strings (a single string stays a string when `single`).
    static func strings(_ values: [String]) -> JSONValue {
        values.count == 1 ? .string(values[0]) : .array(values.map { .string($0) })
    }

    /// The values of an element that may be a string or a list of strings.
    static func stringList(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let items)?: return items.compactMap(\.stringValue)
        default: return []
        }
    }

    /// A name IAM accepts for a policy: `[\w+=,.@-]`, at most 128 characters.
    static func policyName(_ raw: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-")
        return String(String(raw.map { allowed.contains($0) ? $0 : "-" }).prefix(128))
    }

    /// A Sid IAM accepts: letters and digits only.
    static func sid(_ raw: String) -> String {
        String(raw.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(100))
    }
}
