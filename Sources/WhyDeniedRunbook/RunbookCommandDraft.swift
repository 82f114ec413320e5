import WhyDeniedJSON

/// A runbook command that a table builds (the fix applications, the resource-policy services)
/// instead of the YAML: rendered in the runbook's own format (JSON is YAML), so the loader decodes
/// and checks it as it does a written one. One renderer, so the tables cannot disagree on a key.
///
/// ```swift
/// RunbookCommandDraft(id: "bucket_policy", why: "The bucket's policy.",
///                     when: [.equals("resource.policy_kind", "s3BucketPolicy")],
///                     argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.resource.name}}"]).json
/// ```
public struct RunbookCommandDraft: Sendable, Equatable {
    /// One condition of `when`; several are rendered as `all`.
    public enum Condition: Sendable, Equatable {
        case equals(fact: String, value: String)
        case isIn(fact: String, values: [String])
        case factPresent(String)
        case capturePresent(String)

        var json: JSONValue {
            switch self {
            case .equals(let fact, let value):
                return .object(JSONObject([("fact", .string(fact)), ("equals", .string(value))]))
            case .isIn(let fact, let values):
                return .object(JSONObject([("fact", .string(fact)), ("in", .array(values.map(JSONValue.string)))]))
            case .factPresent(let name):
                return .object(JSONObject([("fact", .string(name)), ("present", .bool(true))]))
            case .capturePresent(let name):
                return .object(JSONObject([("capture", .string(name)), ("present", .bool(true))]))
            }
        }
    }

    public struct Capture: Sendable, Equatable {
        public var name: String
        /// A JSON path into the output, or nil for what the command's parser returns.
        public var select: String?
        public var type: String
        public var optional: Bool

        public static func select(_ name: String, _ path: String, type: String, optional: Bool = false) -> Capture {
            Capture(name: name, select: path, type: type, optional: optional)
        }

        public static func parser(_ name: String, type: String) -> Capture {
            Capture(name: name, select: nil, type: type, optional: true)
        }
    }

    /// `poll:` re-runs the command until `select` reads one of `until`.
    public struct Poll: Sendable, Equatable {
        public var select: String
        public var until: [String]
        public var failOn: [String]
        public var reason: String
        public var maxAttempts: Int
        public var interval: String
    }

    /// `foreach:` runs the command once per item of a captured list.
    public struct ForEach: Sendable, Equatable {
        public var capture: String
        public var maxItems: Int
    }

    public var id: String
    public var why: String
    /// Run with the resource owner's credentials (`account: resource`).
    public var resourceAccount = false
    public var when: [Condition]
    public var forEach: ForEach?
    public var optional = false
    public var mutates = false
    public var preconditions: [String] = []
    public var argv: [String]
    public var answeredBy: [String] = []
    public var backup = false
    public var parser: String?
    public var captures: [Capture] = []
    public var poll: Poll?

    public init(id: String, why: String, when: [Condition], argv: [String]) {
        self.id = id
        self.why = why
        self.when = when
        self.argv = argv
    }

    /// The command as the runbook's YAML would write it, keys in the order a person would.
    public var json: JSONValue {
        var entries: [(key: String, value: JSONValue)] = [("id", .string(id)), ("why", .string(why))]
        if resourceAccount { entries.append(("account", .string("resource"))) }
        if let only = when.first, when.count == 1 {
            entries.append(("when", only.json))
        } else if !when.isEmpty {
            entries.append(("when", .object(JSONObject([("all", .array(when.map(\.json)))]))))
        }
        if let forEach {
            entries.append(("foreach", .object(JSONObject([("items", .string("captures.\(forEach.capture)")), ("as", .string("item")),
                                                           ("max_items", .number(Double(forEach.maxItems)))]))))
        }
        if optional { entries.append(("optional", .bool(true))) }
        if mutates { entries.append(("mutates", .bool(true))) }
        if !preconditions.isEmpty { entries.append(("preconditions", .array(preconditions.map(JSONValue.string)))) }
        entries.append(("argv", .array(argv.map(JSONValue.string))))
        if !answeredBy.isEmpty { entries.append(("answered_by", .array(answeredBy.map(JSONValue.string)))) }
        if backup { entries.append(("backup", .bool(true))) }
        if let parser { entries.append(("parser", .string(parser))) }
        if !captures.isEmpty {
            entries.append(("capture", .array(captures.map { capture in
                var fields: [(key: String, value: JSONValue)] = [("name", .string(capture.name))]
                fields.append(capture.select.map { ("select", .string($0)) } ?? ("from", .string("parser")))
                fields.append(("type", .string(capture.type)))
                if capture.optional { fields.append(("optional", .bool(true))) }
                return .object(JSONObject(fields))
            })))
        }
        if let poll {
            entries.append(("poll", .object(JSONObject([
                ("select", .string(poll.select)), ("until", .array(poll.until.map(JSONValue.string))),
                ("fail_on", .array(poll.failOn.map(JSONValue.string))), ("reason", .string(poll.reason)),
                ("max_attempts", .number(Double(poll.maxAttempts))), ("interval", .string(poll.interval)),
            ]))))
        }
        return .object(JSONObject(entries))
    }
}
