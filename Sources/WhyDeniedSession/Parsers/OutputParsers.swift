import Foundation
import WhyDeniedJSON

/// The named parsers `Runbooks/access-denied.yaml` binds to commands (`parser: NAME`). Each reads
/// one command's JSON output and returns values for the command's `from: parser` captures.
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
    }

    public static let names = ["trail_destinations", "trail_status", "trail_event_selectors", "cloudtrail_events",
                               "policy_document", "resource_policy", "trust_policy", "simulation_decision"]

    /// - Parameters:
    ///   - output: the command's stdout parsed as JSON.
    ///   - item: the `foreach` item the command ran for.
    ///   - principalNames: names that identify the principal in events (user, role, session).
    public static func parse(_ name: String, output: JSONValue, item: JSONValue?,
                             principalNames: Set<String> = []) throws(ParseError) -> Parsed {
        switch name {
        case "trail_destinations": return TrailDestinationsParser.parse(output)
        case "trail_status": return Parsed(value: TrailStatusParser.parse(output, trail: item))
        case "trail_event_selectors": return Parsed(value: TrailEventSelectorsParser.parse(output, trail: item))
        case "cloudtrail_events": return Parsed(value: .array(CloudTrailEventsParser.deniedRecords(in: output, principalNames: principalNames)))
        case "policy_document": return Parsed(value: try PolicyDocumentParser.parse(output, item: item))
        case "resource_policy": return Parsed(value: try ResourcePolicyParser.parse(output))
        case "trust_policy": return Parsed(value: try TrustPolicyParser.parse(output))
        case "simulation_decision": return Parsed(value: try SimulationDecisionParser.parse(output))
        default: throw ParseError(parser: name, reason: "no parser has this name (known: \(names.joined(separator: ", ")))")
        }
    }
}

/// Policy documents arrive as objects, JSON strings (`get-bucket-policy`) or URL-encoded JSON
/// (IAM's raw API, some tools' output): all become a JSON object.
enum PolicyText {
    static func document(_ value: JSONValue?, parser: String, field: String) throws(OutputParsers.ParseError) -> JSONValue {
        switch value {
        case .object?: return value!
        case .string(let text)?:
            let candidates = [text, text.removingPercentEncoding ?? text]
            for candidate in candidates {
                if let parsed = try? JSONValue.parse(candidate), case .object = parsed { return parsed }
            }
            throw OutputParsers.ParseError(parser: parser, reason: "\(field) is not a JSON policy document")
        default:
            throw OutputParsers.ParseError(parser: parser, reason: "the output has no \(field)")
        }
    }
}
