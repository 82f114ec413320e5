import WhyDeniedJSON

/// `organizations describe-policy` → `{id, name, arn, type, aws_managed, document}`, the
/// document decoded from the `Content` JSON string.
///
/// ```swift
/// // {"Policy": {"PolicySummary": {"Id": "p-4cg0soi8", "Name": "DenyDeletes", …}, "Content": "{\"Version\":…}"}}
/// //   →  {"id": "p-4cg0soi8", "name": "DenyDeletes", …, "document": {"Version": …}}
/// ```
enum OrganizationPolicyParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        guard let summary = output["Policy"]?["PolicySummary"], let id = summary["Id"]?.stringValue else {
            throw OutputParsers.ParseError(parser: "organization_policy", reason: "the output has no Policy.PolicySummary.Id")
        }
        let document = try PolicyText.document(output["Policy"]?["Content"], parser: "organization_policy", field: "Policy.Content")
        return .object(JSONObject([
            ("id", .string(id)),
            ("name", summary["Name"] ?? .string(id)),
            ("arn", summary["Arn"] ?? .null),
            ("type", summary["Type"] ?? .null),
            ("aws_managed", summary["AwsManaged"] ?? .null),
            ("document", document),
        ]))
    }
}
