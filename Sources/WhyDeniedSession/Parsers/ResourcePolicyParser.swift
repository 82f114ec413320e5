import WhyDeniedJSON
import WhyDeniedRunbook

/// A resource-policy read's output → the policy document as an object, found where its
/// `ResourcePolicyService` row says (`Policy`, `Attributes.Policy`, `ResourcePolicy`,
/// `policy.document`, …), decoded from the JSON string most services return. `.null` when the
/// row says a missing field means "no policy" (a queue without a Policy attribute).
///
/// ```swift
/// try ResourcePolicyParser.parse(describeEventBusOutput, row: .named("event_bus")!)   // {"Version": …, "Statement": […]}
/// ```
enum ResourcePolicyParser {
    static func parse(_ output: JSONValue, row: ResourcePolicyService) throws(OutputParsers.ParseError) -> JSONValue {
        let field = row.document.path.joined(separator: ".")
        let value = row.document.path.reduce(Optional(output)) { $0?[$1] }
        if value == nil || value == .null {
            guard row.document.absentMeansNoPolicy, output.objectValue != nil else {
                throw OutputParsers.ParseError(parser: row.parser, reason: "the output has no \(field)")
            }
            return .null
        }
        switch row.evaluation {
        case .iamPolicy:
            return try PolicyText.document(value, parser: row.parser, field: field)
        case .notIAMPolicy:
            return try dataAccessPolicy(value!, detail: output["accessPolicyDetail"], parser: row.parser, field: field)
        }
    }

    /// Any row's layout, tried longest path first (`policy.document` before `policy`): for a
    /// runbook that binds `parser: resource_policy` to a read of its own.
    static func parseAnyRow(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        var seen = Set<[String]>()
        let rows = ResourcePolicyService.all.filter { $0.evaluation == .iamPolicy && seen.insert($0.document.path).inserted }
        for row in rows.sorted(by: { $0.document.path.count > $1.document.path.count }) {
            let value = row.document.path.reduce(Optional(output)) { $0?[$1] }
            if let value, value != .null, value.objectValue?["Statement"] != nil || value.stringValue != nil {
                return try PolicyText.document(value, parser: "resource_policy", field: row.document.path.joined(separator: "."))
            }
        }
        // SQS/SNS without a Policy attribute: no policy, which is an answer.
        if output["Attributes"] != nil || output.objectValue?.isEmpty == true { return .null }
        throw OutputParsers.ParseError(parser: "resource_policy", reason: "the output has no policy field")
    }

    /// An OpenSearch Serverless data access policy: a list of rules (or its JSON text), kept as
    /// `{name, policyVersion, rules}` to show, not to evaluate.
    static func dataAccessPolicy(_ value: JSONValue, detail: JSONValue?, parser: String, field: String) throws(OutputParsers.ParseError) -> JSONValue {
        var rules = value
        if let text = value.stringValue {
            guard let parsed = try? JSONValue.parse(text) else {
                throw OutputParsers.ParseError(parser: parser, reason: "\(field) is not JSON")
            }
            rules = parsed
        }
        guard let list = rules.arrayValue, list.allSatisfy({ $0["Rules"] != nil }) else {
            throw OutputParsers.ParseError(parser: parser, reason: "\(field) is not a list of data access rules (each with Rules and Principal)")
        }
        return .object(JSONObject([
            ("name", detail?["name"] ?? .null), ("policyVersion", detail?["policyVersion"] ?? .null), ("rules", .array(list)),
        ]))
    }
}
