import WhyDeniedJSON

/// `iam get-role` → the role's trust policy (`Role.AssumeRolePolicyDocument`) as an object.
enum TrustPolicyParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        try PolicyText.document(output["Role"]?["AssumeRolePolicyDocument"], parser: "trust_policy",
                                field: "Role.AssumeRolePolicyDocument")
    }
}
