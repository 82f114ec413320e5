import WhyDeniedJSON

/// The resource-policy commands → the policy document as an object. They return it as a JSON
/// string under different fields: `Policy` (S3, KMS, Lambda), `ResourcePolicy` (Secrets Manager),
/// `Attributes.Policy` (SQS, SNS), `policyText` (ECR), `accessPolicyDetail.policy` (OpenSearch Serverless).
enum ResourcePolicyParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        let candidates: [(String, JSONValue?)] = [
            ("Policy", output["Policy"]), ("ResourcePolicy", output["ResourcePolicy"]),
            ("Attributes.Policy", output["Attributes"]?["Policy"]), ("policyText", output["policyText"]),
            ("accessPolicyDetail.policy", output["accessPolicyDetail"]?["policy"]),
        ]
        for (field, value) in candidates where value != nil {
            return try PolicyText.document(value, parser: "resource_policy", field: field)
        }
        // SQS/SNS without a Policy attribute: no policy, which is an answer.
        if output["Attributes"] != nil || output.objectValue?.isEmpty == true { return .null }
        throw OutputParsers.ParseError(parser: "resource_policy", reason: "the output has no policy field")
    }
}
