/// Everything an AWS authorization error text says about the denied request.
///
/// Produced by `AuthorizationErrorParser.parse(_:)`. Fields the text does not contain stay nil;
/// `origins` tells where in `normalizedText` each found field was read, so a prefill dialog can
/// show "action ← `perform: s3:GetObject`":
/// ```swift
/// let denied = try AuthorizationErrorParser.parse(
///     "An error occurred (AccessDenied) when calling the GetObject operation: User: "
///   + "arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on resource: "
///   + "\"arn:aws:s3:::logs/a.txt\" because no identity-based policy allows the s3:GetObject action").get()
/// denied.code        // "AccessDenied"
/// denied.action      // "s3:GetObject"
/// denied.decision    // .implicitDeny
/// denied.policyType  // .identityBased
/// ```
public struct AuthorizationError: Sendable, Hashable, Codable {
    /// Error code as written (`AccessDenied`, `Client.UnauthorizedOperation`, `403`…).
    public var code: String?
    /// API operation from "when calling the X operation".
    public var operation: String?
    /// The principal exactly as the text names it, even when it is not a parsable ARN.
    public var principalText: String?
    public var principal: PrincipalIdentity?
    /// A 12-digit account id from the principal, else from the resource or policy ARN.
    public var accountId: String?
    /// `service:Action` as written (service prefix case kept).
    public var action: String?
    /// The resource as written, quotes removed: an ARN, `*`, or free text.
    public var resource: String?
    public var decision: DenialDecision
    public var policyType: DenyingPolicyType?
    /// ARN of the denying policy, appended by newer (2025+) messages.
    public var policyArn: String?
    /// The blob after "Encoded authorization failure message:", for `sts decode-authorization-message`.
    public var encodedAuthorizationMessage: String?
    /// The text that was read, after removing colour codes, JSON escaping and line wraps
    /// (each line break kept as "\n"); `origins` ranges index its UTF-8 bytes.
    public var normalizedText: String
    public var origins: [AuthorizationErrorField: FieldOrigin]
    /// Fields the text holds but that were not read, and why (e.g. an ARN longer than is read).
    public var notes: [String] = []

    public init(code: String? = nil, operation: String? = nil, principalText: String? = nil,
                principal: PrincipalIdentity? = nil, accountId: String? = nil, action: String? = nil,
                resource: String? = nil, decision: DenialDecision = .unknown,
                policyType: DenyingPolicyType? = nil, policyArn: String? = nil,
                encodedAuthorizationMessage: String? = nil, normalizedText: String = "",
                origins: [AuthorizationErrorField: FieldOrigin] = [:]) {
        self.code = code
        self.operation = operation
        self.principalText = principalText
        self.principal = principal
        self.accountId = accountId
        self.action = action
        self.resource = resource
        self.decision = decision
        self.policyType = policyType
        self.policyArn = policyArn
        self.encodedAuthorizationMessage = encodedAuthorizationMessage
        self.normalizedText = normalizedText
        self.origins = origins
    }

    /// The principal's kind, `.unknown` when the text names no parsable principal.
    public var principalKind: PrincipalKind { principal?.kind ?? .unknown }

    /// The resource as an ARN when it is one.
    public var resourceARN: ARN? { resource.flatMap { ARN($0) } }
}

/// Whether the request was refused by a `Deny` statement or for lack of an `Allow`.
///
/// `"… with an explicit deny in a service control policy"` → `.explicitDeny`;
/// `"… because no identity-based policy allows …"` → `.implicitDeny`; S3's bare
/// `"Access Denied"` and older messages without that tail → `.unknown`.
public enum DenialDecision: String, Sendable, Codable, CaseIterable {
    case explicitDeny
    case implicitDeny
    case unknown
}

/// The kind of policy an error message blames, e.g. `"… in a permissions boundary"` → `.permissionsBoundary`.
public enum DenyingPolicyType: String, Sendable, Codable, CaseIterable {
    case identityBased
    case resourceBased
    case permissionsBoundary
    case sessionPolicy
    case serviceControlPolicy
    case resourceControlPolicy
    case vpcEndpointPolicy
}

/// Names of the fields `AuthorizationError.origins` can point at.
public enum AuthorizationErrorField: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case code, operation, principal, accountId, action, resource, decision, policyType, policyArn
    case encodedAuthorizationMessage
}

/// Where a field was read: a UTF-8 byte range into `AuthorizationError.normalizedText` and the
/// snippet around it as the operator saw it (e.g. `"when calling the GetObject operation"`).
public struct FieldOrigin: Sendable, Hashable, Codable {
    public var utf8Range: Range<Int>
    public var snippet: String

    public init(utf8Range: Range<Int>, snippet: String) {
        self.utf8Range = utf8Range
        self.snippet = snippet
    }
}
