import Foundation
import WhyDeniedJSON

extension PolicyDocument {
    /// Reads a policy from text: plain JSON, or the URL-encoded form that `get-policy-version`,
    /// `get-role-policy` and `get-user-policy` return.
    public static func parse(_ text: String) throws(PolicyParseError) -> PolicyDocument {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var jsonText = trimmed
        if !trimmed.hasPrefix("{"), trimmed.contains("%") {
            guard let decoded = trimmed.removingPercentEncoding else {
                throw PolicyParseError(path: "(document)", message: "not valid URL-encoded text")
            }
            jsonText = decoded
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(jsonText)
        } catch {
            throw PolicyParseError(path: "(document)", message: "not JSON: \(error.description)")
        }
        return try parse(json: value)
    }

    /// Reads a policy already parsed as JSON. A JSON string is taken as the (possibly
    /// URL-encoded) document text, since the AWS CLI gives either form.
    public static func parse(json: JSONValue) throws(PolicyParseError) -> PolicyDocument {
        if case .string(let text) = json { return try parse(text) }
        guard case .object(let object) = json else {
            throw PolicyParseError(path: "(document)", message: "must be a JSON object, found \(json.kindName)")
        }
        var reader = PolicyReader()
        return try reader.read(object, source: json)
    }
}

/// Walks a policy JSON object, checking each element and recording the path of any problem.
private struct PolicyReader {
    var warnings: [PolicyWarning] = []

    mutating func read(_ object: JSONObject, source: JSONValue) throws(PolicyParseError) -> PolicyDocument {
        for key in object.keys where !["Version", "Id", "Statement"].contains(key) {
            throw PolicyParseError(path: key, message: "unknown policy element (expected Version, Id, Statement)")
        }
        var version: PolicyVersion?
        if let raw = object["Version"] {
            guard let text = raw.stringValue, let parsed = PolicyVersion(rawValue: text) else {
                throw PolicyParseError(path: "Version", message: #"must be "2012-10-17" or "2008-10-17", found \#(raw.shortText)"#)
            }
            version = parsed
        }
        var id: String?
        if let raw = object["Id"] {
            guard let text = raw.stringValue else {
                throw PolicyParseError(path: "Id", message: "must be a string, found \(raw.kindName)")
            }
            id = text
        }
        guard let statementValue = object["Statement"] else {
            throw PolicyParseError(path: "Statement", message: "missing")
        }
        var statements: [PolicyStatement] = []
        switch statementValue {
        case .object(let single):
            statements.append(try readStatement(single, index: 0, path: "Statement"))
        case .array(let items):
            for (index, item) in items.enumerated() {
                let path = "Statement[\(index)]"
                guard case .object(let statementObject) = item else {
                    throw PolicyParseError(path: path, message: "must be an object, found \(item.kindName)")
                }
                statements.append(try readStatement(statementObject, index: index, path: path))
            }
        default:
            throw PolicyParseError(path: "Statement", message: "must be an object or a list of objects, found \(statementValue.kindName)")
        }
        var seenSids: Set<String> = []
        for statement in statements {
            guard let sid = statement.sid, !sid.isEmpty else { continue }
            if !seenSids.insert(sid).inserted {
                warnings.append(PolicyWarning(path: statement.path + ".Sid", message: "duplicate Sid \"\(sid)\""))
            }
        }
        return PolicyDocument(version: version, id: id, statements: statements, warnings: warnings, json: source)
    }

    private static let statementElements: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    mutating func readStatement(_ object: JSONObject, index: Int, path: String) throws(PolicyParseError) -> PolicyStatement {
        for key in object.keys where !Self.statementElements.contains(key) {
            throw PolicyParseError(path: "\(path).\(key)", message: "unknown statement element")
        }
        var sid: String?
        if let raw = object["Sid"] {
            guard let text = raw.stringValue else {
                throw PolicyParseError(path: "\(path).Sid", message: "must be a string, found \(raw.kindName)")
            }
            sid = text
        }
        guard let effectValue = object["Effect"] else {
            throw PolicyParseError(path: "\(path).Effect", message: #"missing (must be "Allow" or "Deny")"#)
        }
        guard let effectText = effectValue.stringValue, let effect = Effect(rawValue: effectText) else {
            throw PolicyParseError(path: "\(path).Effect", message: #"must be "Allow" or "Deny", found \#(effectValue.shortText)"#)
        }

        let action: ActionElement
        switch (object["Action"], object["NotAction"]) {
        case (.some, .some):
            throw PolicyParseError(path: path, message: "has both Action and NotAction; use one")
        case (.some(let value), .none):
            action = .action(try readStrings(value, path: "\(path).Action"))
        case (.none, .some(let value)):
            action = .notAction(try readStrings(value, path: "\(path).NotAction"))
        case (.none, .none):
            throw PolicyParseError(path: path, message: "must have Action or NotAction")
        }

        var resource: ResourceElement?
        switch (object["Resource"], object["NotResource"]) {
        case (.some, .some):
            throw PolicyParseError(path: path, message: "has both Resource and NotResource; use one")
        case (.some(let value), .none):
            resource = .resource(try readStrings(value, path: "\(path).Resource"))
        case (.none, .some(let value)):
            resource = .notResource(try readStrings(value, path: "\(path).NotResource"))
        case (.none, .none):
            resource = nil
        }

        var principal: PrincipalElement?
        switch (object["Principal"], object["NotPrincipal"]) {
        case (.some, .some):
            throw PolicyParseError(path: path, message: "has both Principal and NotPrincipal; use one")
        case (.some(let value), .none):
            principal = .principal(try readPrincipals(value, path: "\(path).Principal"))
        case (.none, .some(let value)):
            principal = .notPrincipal(try readPrincipals(value, path: "\(path).NotPrincipal"))
        case (.none, .none):
            principal = nil
        }

        var conditions: [ConditionClause] = []
        if let value = object["Condition"] {
            conditions = try readConditions(value, path: "\(path).Condition")
        }
        return PolicyStatement(index: index, sid: sid, effect: effect, principal: principal, action: action,
                               resource: resource, conditions: conditions, path: path)
    }

    func readStrings(_ value: JSONValue, path: String) throws(PolicyParseError) -> [String] {
        switch value {
        case .string(let text):
            return [text]
        case .array(let items):
            if items.isEmpty { throw PolicyParseError(path: path, message: "must not be an empty list") }
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                guard let text = item.stringValue else {
                    throw PolicyParseError(path: "\(path)[\(index)]", message: "must be a string, found \(item.kindName)")
                }
                strings.append(text)
            }
            return strings
        default:
            throw PolicyParseError(path: path, message: "must be a string or a list of strings, found \(value.kindName)")
        }
    }

    mutating func readPrincipals(_ value: JSONValue, path: String) throws(PolicyParseError) -> [PrincipalEntry] {
        switch value {
        case .string("*"):
            return [PrincipalEntry(type: .wildcard, value: "*")]
        case .string(let text):
            // IAM rejects this form; some tools accept it. Evaluate it as an AWS principal but say
            // the policy in AWS cannot be the one being analysed.
            warnings.append(PolicyWarning(path: path,
                message: "a bare string other than \"*\" is not accepted by IAM; read as {\"AWS\": \"\(text)\"}"))
            return [PrincipalEntry(type: .aws, value: text)]
        case .object(let object):
            var entries: [PrincipalEntry] = []
            for (key, item) in object.entries {
                guard let type = PrincipalType(rawValue: key), type != .wildcard else {
                    throw PolicyParseError(path: "\(path).\(key)",
                        message: "unknown principal type (expected AWS, Service, Federated or CanonicalUser)")
                }
                for text in try readStrings(item, path: "\(path).\(key)") {
                    entries.append(PrincipalEntry(type: type, value: text))
                }
            }
            if entries.isEmpty { throw PolicyParseError(path: path, message: "names no principal") }
            return entries
        default:
            throw PolicyParseError(path: path, message: "must be \"*\" or an object such as {\"AWS\": …}, found \(value.kindName)")
        }
    }

    func readConditions(_ value: JSONValue, path: String) throws(PolicyParseError) -> [ConditionClause] {
        guard case .object(let block) = value else {
            throw PolicyParseError(path: path, message: "must be an object of operators, found \(value.kindName)")
        }
        var clauses: [ConditionClause] = []
        for (operatorText, keysValue) in block.entries {
            let operatorPath = "\(path).\(operatorText)"
            let parsedOperator: ConditionOperator
            do {
                parsedOperator = try ConditionOperator(parsing: operatorText)
            } catch {
                throw PolicyParseError(path: operatorPath, message: "unknown condition operator")
            }
            guard case .object(let keys) = keysValue else {
                throw PolicyParseError(path: operatorPath, message: "must be an object of condition keys, found \(keysValue.kindName)")
            }
            for (key, raw) in keys.entries {
                let keyPath = "\(operatorPath).\(key)"
                var values: [String] = []
                let items: [JSONValue] = raw.arrayValue ?? [raw]
                for (index, item) in items.enumerated() {
                    guard let text = item.scalarText else {
                        let itemPath = raw.arrayValue == nil ? keyPath : "\(keyPath)[\(index)]"
                        throw PolicyParseError(path: itemPath, message: "must be a string, number or boolean, found \(item.kindName)")
                    }
                    values.append(text)
                }
                clauses.append(ConditionClause(operator: parsedOperator, key: key, values: values, path: keyPath))
            }
        }
        return clauses
    }
}

extension JSONValue {
    /// "string", "number", … for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The value as it would appear in JSON, cut short, for "found …" in messages.
    var shortText: String {
        let text = serialized()
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }
}
