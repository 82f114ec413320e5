import WhyDeniedJSON

/// `get-user-policy` / `get-role-policy` / `get-group-policy` / `get-policy-version` →
/// `{kind, name or arn, group?, document}` with the document decoded.
enum PolicyDocumentParser {
    static func parse(_ output: JSONValue, item: JSONValue?) throws(OutputParsers.ParseError) -> JSONValue {
        if let version = output["PolicyVersion"] {
            let arn = item?["item"]?.stringValue ?? item?.stringValue
            return .object(JSONObject([
                ("kind", .string("managed")),
                ("arn", arn.map(JSONValue.string) ?? .null),
                ("version", version["VersionId"] ?? .null),
                ("document", try PolicyText.document(version["Document"], parser: "policy_document", field: "PolicyVersion.Document")),
            ]))
        }
        let document = try PolicyText.document(output["PolicyDocument"], parser: "policy_document", field: "PolicyDocument")
        var entries: [(key: String, value: JSONValue)] = []
        if let user = output["UserName"] {
            entries = [("kind", .string("user_inline")), ("user", user)]
        } else if let role = output["RoleName"] {
            entries = [("kind", .string("role_inline")), ("role", role)]
        } else if let group = output["GroupName"] {
            entries = [("kind", .string("group_inline")), ("group", group)]
        } else {
            entries = [("kind", .string("inline"))]
        }
        entries.append(("name", output["PolicyName"] ?? .null))
        entries.append(("document", document))
        return .object(JSONObject(entries))
    }
}
