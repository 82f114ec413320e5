import WhyDeniedJSON

/// Why a text could not be read as a decoded authorization message: what is wrong and where
/// (a JSON path such as `DecodedMessage` or `context.conditions.items[3]`).
public struct DecodedAuthorizationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        path.isEmpty ? "not a decoded authorization message: \(problem)"
            : "not a decoded authorization message: at \(path): \(problem)"
    }
}

extension DecodedAuthorization {
    /// Reads `aws sts decode-authorization-message` output (`{"DecodedMessage": "<JSON text>"}`,
    /// CLI v1 or v2) or the decoded document itself. The documented shape wraps every list as
    /// `{"items": [...]}` and every value as `{"value": "..."}`; plain arrays and strings, and
    /// `"true"`/`"false"` written as text, are read too. Untrusted input: every problem is an
    /// error naming the JSON path.
    public static func read(_ text: String) throws(DecodedAuthorizationError) -> DecodedAuthorization {
        let root: JSONValue
        do {
            root = try JSONValue.parse(text)
        } catch {
            throw DecodedAuthorizationError(path: "", problem: "the text is not JSON (\(error.description))")
        }
        return try read(root)
    }

    public static func read(_ root: JSONValue) throws(DecodedAuthorizationError) -> DecodedAuthorization {
        let (document, path) = try documentAndPath(root)
        return try Self.document(document, path: path)
    }

    /// The decoded document as JSON: the CLI output's `DecodedMessage` text parsed, or the
    /// document itself. What the session keeps as the capture, read back with `read(_:)`.
    public static func decodedDocument(_ root: JSONValue) throws(DecodedAuthorizationError) -> JSONValue {
        let (document, path) = try documentAndPath(root)
        _ = try Self.document(document, path: path)
        return document
    }

    private static func documentAndPath(_ root: JSONValue) throws(DecodedAuthorizationError) -> (JSONValue, String) {
        guard let object = root.objectValue else {
            throw DecodedAuthorizationError(path: "", problem: "expected a JSON object")
        }
        guard let wrapped = object.value(forCaseInsensitiveKey: "DecodedMessage") else { return (root, "") }
        if wrapped.objectValue != nil { return (wrapped, "DecodedMessage") }
        guard let text = wrapped.stringValue else {
            throw DecodedAuthorizationError(path: "DecodedMessage", problem: "expected the decoded message as JSON text")
        }
        do {
            return (try JSONValue.parse(text), "DecodedMessage")
        } catch {
            throw DecodedAuthorizationError(path: "DecodedMessage", problem: "the decoded message is not JSON (\(error.description))")
        }
    }

    /// Longest text worth trying as decoded output before other readers (the CLI's output for
    /// the longest encoded message is far smaller).
    public static let largestOutput = 256 * 1024

    /// The decoded message when `text` is decode-authorization-message output (or its
    /// document), nil for anything else (an error text, CloudTrail JSON, a broken document).
    public static func readIfDecoded(_ text: String) -> DecodedAuthorization? {
        guard text.utf8.count <= largestOutput, text.utf8.first(where: { $0 > 0x20 }) == UInt8(ascii: "{"),
              let json = try? JSONValue.parse(text), looksDecoded(json) else { return nil }
        return try? read(json)
    }

    /// Whether a JSON value looks like decode-authorization-message output or its document, so a
    /// paste can be routed here before trying other readers.
    public static func looksDecoded(_ root: JSONValue) -> Bool {
        guard let object = root.objectValue else { return false }
        if object.value(forCaseInsensitiveKey: "DecodedMessage") != nil { return true }
        return object["context"]?.objectValue != nil && (object["allowed"] != nil || object["explicitDeny"] != nil)
    }

    private static func document(_ value: JSONValue, path: String) throws(DecodedAuthorizationError) -> DecodedAuthorization {
        guard let object = value.objectValue else {
            throw DecodedAuthorizationError(path: path, problem: "expected a JSON object")
        }
        func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        guard let context = object["context"]?.objectValue else {
            throw DecodedAuthorizationError(path: at("context"), problem: "missing: the request's principal, action, resource and condition values are read from it")
        }
        var decoded = DecodedAuthorization()
        decoded.allowed = try flag(object["allowed"], path: at("allowed"))
        decoded.explicitDeny = try flag(object["explicitDeny"], path: at("explicitDeny"))
        for (index, item) in try items(object["matchedStatements"], path: at("matchedStatements")).enumerated() {
            decoded.matchedStatements.append(try statement(item, path: at("matchedStatements.items[\(index)]")))
        }
        decoded.failures = try items(object["failures"], path: at("failures")).map { $0.scalarText ?? $0.serialized() }
        let contextPath = at("context")
        if let principal = context["principal"] {
            guard let fields = principal.objectValue else {
                throw DecodedAuthorizationError(path: contextPath + ".principal", problem: "expected an object with id and arn")
            }
            decoded.principalId = fields["id"]?.stringValue
            decoded.principalName = fields["name"]?.stringValue
            decoded.principalArn = fields["arn"]?.stringValue
        }
        decoded.action = context["action"]?.stringValue
        decoded.resource = context["resource"]?.stringValue
        decoded.conditions = try conditions(context["conditions"], path: contextPath + ".conditions")
        return decoded
    }

    private static func statement(_ value: JSONValue, path: String) throws(DecodedAuthorizationError) -> MatchedStatement {
        guard let object = value.objectValue else {
            throw DecodedAuthorizationError(path: path, problem: "expected a statement object")
        }
        var statement = MatchedStatement()
        statement.statementId = object["statementId"]?.stringValue
        statement.effect = object["effect"]?.stringValue
        statement.principals = try texts(object["principals"], path: path + ".principals")
        statement.principalGroups = try texts(object["principalGroups"], path: path + ".principalGroups")
        statement.actions = try texts(object["actions"], path: path + ".actions")
        statement.resources = try texts(object["resources"], path: path + ".resources")
        statement.conditions = try conditions(object["conditions"], path: path + ".conditions")
        return statement
    }

    /// `{"items": [{"key": K, "values": {"items": [{"value": V}]}}]}`.
    private static func conditions(_ value: JSONValue?, path: String) throws(DecodedAuthorizationError) -> [ConditionEntry] {
        var entries: [ConditionEntry] = []
        for (index, item) in try items(value, path: path).enumerated() {
            let itemPath = "\(path).items[\(index)]"
            // The SDK examples once wrote each entry as {"item": {...}}.
            let entry = item["item"] ?? item
            guard let key = entry["key"]?.stringValue, !key.isEmpty else {
                throw DecodedAuthorizationError(path: itemPath, problem: "a condition entry without a key")
            }
            entries.append(ConditionEntry(key: key, values: try texts(entry["values"], path: itemPath + ".values")))
        }
        return entries
    }

    /// The elements of a documented list: `{"items": [...]}`, a plain array, or nothing
    /// (absent, null or `""`).
    private static func items(_ value: JSONValue?, path: String) throws(DecodedAuthorizationError) -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        if let array = value.arrayValue { return array }
        if let object = value.objectValue {
            guard let list = object["items"] else { return [] }
            if list.isNull { return [] }
            guard let array = list.arrayValue else {
                throw DecodedAuthorizationError(path: path + ".items", problem: "expected a list")
            }
            return array
        }
        if value.stringValue?.isEmpty == true { return [] }
        throw DecodedAuthorizationError(path: path, problem: "expected a list ({\"items\": [...]})")
    }

    /// Values of a list: `{"value": V}` items or plain scalars.
    private static func texts(_ value: JSONValue?, path: String) throws(DecodedAuthorizationError) -> [String] {
        var texts: [String] = []
        for (index, item) in try items(value, path: path).enumerated() {
            if let text = (item["value"] ?? item).scalarText {
                texts.append(text)
            } else {
                throw DecodedAuthorizationError(path: "\(path).items[\(index)]", problem: "expected a value")
            }
        }
        return texts
    }

    private static func flag(_ value: JSONValue?, path: String) throws(DecodedAuthorizationError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        if let bool = value.boolValue { return bool }
        switch value.stringValue?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw DecodedAuthorizationError(path: path, problem: "expected true or false")
        }
    }
}
