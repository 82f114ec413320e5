import WhyDeniedJSON

/// One command of a fix application, in the runbook's terms (`why`, `argv` with placeholders,
/// `backup`, `mutates`, `preconditions`, captures, `poll`). `FixApplications.runbookCommands()`
/// writes it out as a runbook command that runs only for its kind and once `needs` are present.
///
/// ```swift
/// FixCommand("put_bucket_policy", why: "Replaces the bucket policy with the fixed one.", phase: .change,
///            argv: ["aws", "s3api", "put-bucket-policy", "--bucket", "{{facts.fix.bucket}}", "--policy", "{{facts.fix.policy_document}}"])
///     .with { $0.mutates = true; $0.preconditions = ["bucket_policy_size_within_limit"] }
/// ```
public struct FixCommand: Sendable, Equatable {
    /// Where it runs in the step: every kind's backups first, then the changes, then the reads
    /// that check the result.
    public enum Phase: Int, Sendable, Equatable, CaseIterable { case backup, change, verification }

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

    public var id: String
    public var why: String
    public var phase: Phase
    public var argv: [String]
    /// Run with the resource owner's credentials (`account: resource`).
    public var resourceAccount = false
    public var answeredBy: [String] = []
    public var backup = false
    public var mutates = false
    public var optional = false
    public var preconditions: [String] = []
    /// Facts and captures that must be present before it runs.
    public var needsFacts: [String] = []
    public var needsCaptures: [String] = []
    public var parser: String?
    public var captures: [Capture] = []
    public var poll: Poll?

    public init(_ id: String, why: String, phase: Phase, argv: [String]) {
        self.id = id
        self.why = why
        self.phase = phase
        self.argv = argv
    }

    /// The operation (`put-bucket-policy`), as the change's summary names it.
    public var operation: String { argv.count > 2 ? argv[2] : id }

    /// Builder-style setters, so a table row reads as the runbook command it becomes.
    public func with(_ change: (inout FixCommand) -> Void) -> FixCommand {
        var copy = self
        change(&copy)
        return copy
    }
}

extension FixCommand {
    /// The runbook command for the kinds that share it: `when` is the kind (`equals`, or `in`
    /// for several), then `needs`.
    func runbookCommand(kinds: [String]) -> JSONValue {
        func present(_ key: String, _ name: String) -> JSONValue {
            .object(JSONObject([(key, .string(name)), ("present", .bool(true))]))
        }
        let kind: JSONValue = kinds.count == 1
            ? .object(JSONObject([("fact", .string("fix.kind")), ("equals", .string(kinds[0]))]))
            : .object(JSONObject([("fact", .string("fix.kind")), ("in", .array(kinds.map(JSONValue.string)))]))
        let conditions = [kind] + needsFacts.map { present("fact", $0) } + needsCaptures.map { present("capture", $0) }
        var entries: [(key: String, value: JSONValue)] = [
            ("id", .string(id)), ("why", .string(why)),
        ]
        if resourceAccount { entries.append(("account", .string("resource"))) }
        entries.append(("when", conditions.count == 1 ? kind : .object(JSONObject([("all", .array(conditions))]))))
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
