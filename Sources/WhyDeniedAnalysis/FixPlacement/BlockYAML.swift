import WhyDeniedJSON

/// JSON values written as block-style YAML for CloudFormation templates. Every string is a
/// double-quoted scalar with JSON escapes (valid YAML), so no value is ever read back as a
/// number, a boolean or a tag.
enum BlockYAML {
    static func render(_ value: JSONValue, indent: Int = 0) -> String {
        lines(value, indent: indent).joined(separator: "\n")
    }

    private static func lines(_ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object):
            if object.isEmpty { return [pad + "{}"] }
            return object.entries.flatMap { entry -> [String] in
                let key = pad + keyText(entry.key) + ":"
                return isNonEmptyContainer(entry.value) ? [key] + lines(entry.value, indent: indent + 2)
                                                        : [key + " " + scalar(entry.value)]
            }
        case .array(let items):
            if items.isEmpty { return [pad + "[]"] }
            return items.flatMap { item -> [String] in
                guard isNonEmptyContainer(item) else { return [pad + "- " + scalar(item)] }
                var nested = lines(item, indent: indent + 2)
                nested[0] = pad + "- " + nested[0].dropFirst(indent + 2)
                return nested
            }
        default:
            return [pad + scalar(value)]
        }
    }

    /// Plain keys (CloudFormation's own: `Resources`, `PolicyDocument`) bare, anything else quoted.
    private static func keyText(_ key: String) -> String {
        !key.isEmpty && key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? key : scalar(.string(key))
    }

    private static func isNonEmptyContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): !object.isEmpty
        case .array(let items): !items.isEmpty
        default: false
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .object(let object) where object.isEmpty: "{}"
        case .array(let items) where items.isEmpty: "[]"
        default: value.serialized(pretty: false)
        }
    }
}
