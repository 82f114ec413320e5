import Foundation
import WhyDeniedJSON
import WhyDeniedRunbook

/// The named parsers `Runbooks/access-denied.yaml` binds to commands (`parser: NAME`). Each reads
/// one command's JSON output (plus what `ParserInput` carries: the `foreach` item, the
/// principal's names, the session's facts and parameters) and returns values for the command's
/// `from: parser` captures.
///
/// ```swift
/// let parsed = try OutputParsers.parse("trail_destinations", output: describeTrailsJSON, item: nil)
/// parsed.named["trail_log_groups"]   // ["aws-cloudtrail-logs-…"]
/// ```
public enum OutputParsers {
    /// What a parser produced: values by capture name, and/or one value for whichever
    /// `from: parser` capture the command declares (policy_document feeds several capture names).
    public struct Parsed: Sendable, Equatable {
        public var named: [String: JSONValue]
        public var value: JSONValue?

        public init(named: [String: JSONValue] = [:], value: JSONValue? = nil) {
            self.named = named
            self.value = value
        }

        /// The values for the capture names a command declares.
        public func captures(for names: [String]) -> [String: JSONValue] {
            var result: [String: JSONValue] = [:]
            for name in names {
                if let named = named[name] { result[name] = named } else if let value { result[name] = value }
            }
            return result
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var parser: String
        public var reason: String
        public var description: String { "parser \(parser): \(reason)" }

        public init(parser: String, reason: String) {
            self.parser = parser
            self.reason = reason
        }
    }

    public typealias Parser = @Sendable (ParserInput) throws(ParseError) -> Parsed

    /// Every named parser: the fixed ones, and one per `ResourcePolicyService` row
    /// (`bucket_policy`, `event_bus_policy`, …).
    public static let registry: [String: Parser] = fixed.merging(ResourcePolicyService.all.map { row -> (String, Parser) in
        (row.parser, { (input: ParserInput) throws(ParseError) -> Parsed in Parsed(value: try ResourcePolicyParser.parse(input.output, row: row)) })
    }) { fixed, _ in fixed }

    /// The parsers that read one kind of output. Add a parser with one line here.
    static let fixed: [String: Parser] = [
        "trail_destinations": { input throws(ParseError) in TrailDestinationsParser.parse(input) },
        "trail_status": { input throws(ParseError) in Parsed(value: TrailStatusParser.parse(input.output, trail: input.item)) },
        "trail_event_selectors": { input throws(ParseError) in Parsed(value: TrailEventSelectorsParser.parse(input.output, trail: input.item)) },
        "cloudtrail_events": { input throws(ParseError) in Parsed(value: .array(CloudTrailEventsParser.deniedRecords(in: input.output, principalNames: input.principalNames))) },
        "trail_log_objects": { input throws(ParseError) in try TrailLogObjectsParser.parse(input) },
        "cloudtrail_log_file": { input throws(ParseError) in try CloudTrailLogFileParser.parse(input) },
        "policy_document": { input throws(ParseError) in Parsed(value: try PolicyDocumentParser.parse(input.output, item: input.item)) },
        "resource_policy": { input throws(ParseError) in Parsed(value: try ResourcePolicyParser.parseAnyRow(input.output)) },
        "trust_policy": { input throws(ParseError) in Parsed(value: try TrustPolicyParser.parse(input.output)) },
        "policy_version_to_delete": { input throws(ParseError) in Parsed(value: try PolicyVersionToDeleteParser.parse(input.output)) },
        "simulation_decision": { input throws(ParseError) in Parsed(value: try SimulationDecisionParser.parse(input.output)) },
        "athena_events": { input throws(ParseError) in try AthenaEventsParser.parse(input) },
        "cloudtrail_lake_events": { input throws(ParseError) in try CloudTrailLakeEventsParser.parse(input) },
        "cloudtrail_lake_event_data_stores": { input throws(ParseError) in try CloudTrailLakeEventDataStoresParser.parse(input) },
        "decoded_authorization_message": { input throws(ParseError) in Parsed(value: try DecodedAuthorizationParser.parse(input.output)) },
        "organization_parent": { input throws(ParseError) in Parsed(value: try OrganizationParentParser.parse(input.output)) },
        "organization_policy": { input throws(ParseError) in Parsed(value: try OrganizationPolicyParser.parse(input.output)) },
        "kms_grants": { input throws(ParseError) in Parsed(value: try KMSGrantsParser.parse(input.output)) },
        "permission_set": { input throws(ParseError) in
            Parsed(value: try PermissionSetParser.parse(input.output, name: input.facts["principal.permission_set"]?.stringValue))
        },
        "session_issuer": { input throws(ParseError) in try SessionIssuerParser.parse(input) },
        "vpc_endpoint_policy": { input throws(ParseError) in
            Parsed(value: try VpcEndpointPolicyParser.parse(input.output, endpointID: input.facts["denial.vpc_endpoint_id"]?.stringValue))
        },
    ]

    public static var names: [String] { registry.keys.sorted() }

    public static func parse(_ name: String, input: ParserInput) throws(ParseError) -> Parsed {
        guard let parser = registry[name] else {
            throw ParseError(parser: name, reason: "no parser has this name (known: \(names.joined(separator: ", ")))")
        }
        return try parser(input)
    }

    /// - Parameters:
    ///   - output: the command's stdout parsed as JSON.
    ///   - item: the `foreach` item the command ran for.
    ///   - principalNames: names that identify the principal in events (user, role, session).
    public static func parse(_ name: String, output: JSONValue, item: JSONValue?,
                             principalNames: Set<String> = []) throws(ParseError) -> Parsed {
        try parse(name, input: ParserInput(output: output, item: item, principalNames: principalNames))
    }
}

/// Everything a named parser may read: the command's JSON output and the context it ran in.
/// Parsers are pure; a file the command downloaded arrives as `downloadedFile` bytes.
///
/// ```swift
/// ParserInput(output: json, item: .string("arn:aws:cloudtrail:…"), facts: engine.facts)
/// ```
public struct ParserInput: Sendable {
    public var output: JSONValue
    public var item: JSONValue?
    public var principalNames: Set<String>
    public var facts: [String: JSONValue]
    public var parameters: [String: String]
    /// Where the session keeps files commands download (trail log files).
    public var downloadDirectory: String?
    /// The bytes of the file this command downloaded, when it downloads one.
    public var downloadedFile: [UInt8]?

    public init(output: JSONValue, item: JSONValue? = nil, principalNames: Set<String> = [],
                facts: [String: JSONValue] = [:], parameters: [String: String] = [:],
                downloadDirectory: String? = nil, downloadedFile: [UInt8]? = nil) {
        self.output = output
        self.item = item
        self.principalNames = principalNames
        self.facts = facts
        self.parameters = parameters
        self.downloadDirectory = downloadDirectory
        self.downloadedFile = downloadedFile
    }
}

/// Policy documents arrive as objects, JSON strings (`get-bucket-policy`), URL-encoded JSON
/// (IAM's raw API, some tools' output) or JSON whose quotes are escaped once more (API
/// Gateway's `get-rest-api`: `{\"Version\":…}`): all become a JSON object.
enum PolicyText {
    static func document(_ value: JSONValue?, parser: String, field: String) throws(OutputParsers.ParseError) -> JSONValue {
        switch value {
        case .object?: return value!
        case .string(let text)?:
            let unescaped = text.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\/", with: "/")
                .replacingOccurrences(of: "\\\\", with: "\\")
            let candidates = [text, text.removingPercentEncoding ?? text, unescaped]
            for candidate in candidates {
                if let parsed = try? JSONValue.parse(candidate), case .object = parsed { return parsed }
            }
            throw OutputParsers.ParseError(parser: parser, reason: "\(field) is not a JSON policy document")
        default:
            throw OutputParsers.ParseError(parser: parser, reason: "the output has no \(field)")
        }
    }
}
