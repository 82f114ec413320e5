/// The value(s) of one request context key, with its type. Multi-valued keys
/// (`aws:TagKeys`, `aws:CalledVia`) carry several values; most carry one.
///
/// ```swift
/// ContextValue(.ip, "198.51.100.7")
/// ContextValue(.string, ["Environment", "Owner"], multiValued: true)
/// ```
public struct ContextValue: Sendable, Hashable, Codable {
    public var type: ContextValueType
    public var values: [String]
    public var isMultiValued: Bool

    public init(_ type: ContextValueType, _ value: String) {
        self.type = type
        self.values = [value]
        self.isMultiValued = false
    }

    public init(_ type: ContextValueType, _ values: [String], multiValued: Bool = true) {
        self.type = type
        self.values = values
        self.isMultiValued = multiValued || values.count != 1
    }
}

/// The types a context key can have, as the Service Authorization Reference names them.
public enum ContextValueType: String, Sendable, Hashable, Codable, CaseIterable {
    case string = "String"
    case number = "Number"
    case date = "Date"
    case bool = "Bool"
    case ip = "IP"
    case arn = "ARN"
    case binary = "Binary"

    /// Accepts the spellings used by AWS documentation and the IAM simulator as well.
    public init?(loosely text: String) {
        switch text.lowercased() {
        case "string", "arrayofstring": self = .string
        case "number", "numeric", "arrayofnumeric": self = .number
        case "date", "arrayofdate": self = .date
        case "bool", "boolean", "arrayofbool": self = .bool
        case "ip", "ipaddress", "arrayofipaddress": self = .ip
        case "arn", "arrayofarn": self = .arn
        case "binary", "arrayofbinary": self = .binary
        default: return nil
        }
    }
}
