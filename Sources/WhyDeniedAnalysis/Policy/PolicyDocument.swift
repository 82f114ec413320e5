import WhyDeniedJSON

/// One IAM policy document as AWS stores it: Version, Id and its statements, read and checked by
/// `PolicyDocument.parse`. Any policy type (identity, boundary, SCP, bucket policy, trust policy,
/// key policy …) uses this one model; where it is attached is said by `AttachedPolicy`.
///
/// ```swift
/// let policy = try PolicyDocument.parse(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
/// policy.statements[0].effect   // .allow
/// ```
public struct PolicyDocument: Sendable, Hashable {
    public var version: PolicyVersion?
    public var id: String?
    public var statements: [PolicyStatement]
    /// Things IAM would have rejected or that look wrong but can still be evaluated
    /// (a bare-string Principal, duplicate Sids).
    public var warnings: [PolicyWarning]
    /// The document as parsed, for showing it back to the operator.
    public var json: JSONValue

    public init(version: PolicyVersion?, id: String? = nil, statements: [PolicyStatement],
                warnings: [PolicyWarning] = [], json: JSONValue = .null) {
        self.version = version
        self.id = id
        self.statements = statements
        self.warnings = warnings
        self.json = json
    }

    /// Policy variables (`${aws:username}`) are only substituted under Version 2012-10-17; under
    /// 2008-10-17 or without a Version the text is literal.
    public var supportsPolicyVariables: Bool { version == .v2012_10_17 }

    /// The first statement with neither Principal nor NotPrincipal: invalid in the policy types
    /// that must name principals (a VPC endpoint policy).
    public var statementWithoutPrincipal: PolicyStatement? {
        statements.first { $0.principal == nil }
    }
}

/// The policy language version named in a document.
public enum PolicyVersion: String, Sendable, Hashable, Codable {
    case v2012_10_17 = "2012-10-17"
    case v2008_10_17 = "2008-10-17"
}

/// Something in a policy that IAM would not have accepted as written, or that deserves a look,
/// with the JSON path where it is.
public struct PolicyWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}
