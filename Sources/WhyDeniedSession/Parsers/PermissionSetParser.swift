import WhyDeniedJSON

/// Reads `sso-admin describe-permission-set` and keeps the permission set the session's
/// Identity Center role was made from (`principal.permission_set`, matched by name): its
/// `PermissionSetArn`, or nothing for every other permission set of the instance.
///
/// ```swift
/// PermissionSetParser.parse(describeOutput, name: "DataAnalyst")
/// // "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-0123456789abcdef"
/// ```
enum PermissionSetParser {
    static func parse(_ output: JSONValue, name: String?) throws(OutputParsers.ParseError) -> JSONValue? {
        guard let set = output["PermissionSet"], let setName = set["Name"]?.stringValue else {
            throw OutputParsers.ParseError(parser: "permission_set", reason: "no PermissionSet.Name in the describe-permission-set answer")
        }
        guard let name, setName == name else { return nil }
        guard let arn = set["PermissionSetArn"]?.stringValue else {
            throw OutputParsers.ParseError(parser: "permission_set", reason: "permission set \(setName) has no PermissionSetArn")
        }
        return .string(arn)
    }
}
