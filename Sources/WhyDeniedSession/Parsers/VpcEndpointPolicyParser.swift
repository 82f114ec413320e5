import WhyDeniedJSON

/// `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-…` → the endpoint's policy:
/// `{"id", "vpc_id", "service_name", "document"}`. The CLI returns `PolicyDocument` as a JSON
/// string. An endpoint without one (a service that takes no endpoint policy) allows everything,
/// as AWS's default endpoint policy does: the document is that full-access policy and
/// `default_policy` says so. An answer without the endpoint asked for is an error, so the read
/// counts as failed (unread), never as "no policy".
///
/// ```swift
/// try VpcEndpointPolicyParser.parse(output, endpointID: "vpce-0a1b2c3d")["document"]?["Statement"]
/// ```
enum VpcEndpointPolicyParser {
    static let name = "vpc_endpoint_policy"

    /// AWS's default endpoint policy ("Full access"), from the AWS PrivateLink guide.
    static let fullAccess: JSONValue = .object(JSONObject([
        ("Version", .string("2008-10-17")),
        ("Statement", .array([.object(JSONObject([("Effect", .string("Allow")), ("Principal", .string("*")),
                                                 ("Action", .string("*")), ("Resource", .string("*"))]))])),
    ]))

    static func parse(_ output: JSONValue, endpointID: String?) throws(OutputParsers.ParseError) -> JSONValue {
        guard let endpoints = output["VpcEndpoints"]?.arrayValue else {
            throw OutputParsers.ParseError(parser: name, reason: "the output has no VpcEndpoints list")
        }
        let endpoint = endpoints.first { endpointID == nil || $0["VpcEndpointId"]?.stringValue == endpointID }
        guard let endpoint, let id = endpoint["VpcEndpointId"]?.stringValue else {
            throw OutputParsers.ParseError(parser: name, reason: "the answer does not list endpoint \(endpointID ?? "(any)")")
        }
        var fields: [(key: String, value: JSONValue)] = [("id", .string(id))]
        if let vpc = endpoint["VpcId"]?.stringValue { fields.append(("vpc_id", .string(vpc))) }
        if let service = endpoint["ServiceName"]?.stringValue { fields.append(("service_name", .string(service))) }
        if let policy = endpoint["PolicyDocument"], !policy.isNull {
            fields.append(("document", try PolicyText.document(policy, parser: name, field: "VpcEndpoints[].PolicyDocument")))
        } else {
            fields.append(("document", fullAccess))
            fields.append(("default_policy", .bool(true)))
        }
        return .object(JSONObject(fields))
    }
}
