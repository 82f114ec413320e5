/// Names a policy in an explanation: its type, name, ARN, where it is attached, and for SCPs and
/// RCPs the organization level.
///
/// ```swift
/// PolicyReference(type: .resourceBased, name: "bucket policy of reports")
/// ```
public struct PolicyReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public var type: PolicyType
    public var name: String
    public var arn: String?
    public var attachment: PolicyAttachment?
    public var organizationLevel: String?

    public init(type: PolicyType, name: String, arn: String? = nil, attachment: PolicyAttachment? = nil,
                organizationLevel: String? = nil) {
        self.type = type
        self.name = name
        self.arn = arn
        self.attachment = attachment
        self.organizationLevel = organizationLevel
    }

    public var description: String {
        var text = "\(type.displayName) \"\(name)\""
        if let attachment { text += " (\(attachment))" }
        if let organizationLevel { text += " at \(organizationLevel)" }
        return text
    }
}

/// The policy types AWS evaluates, with the wording AWS error messages use.
public enum PolicyType: String, Sendable, Hashable, Codable, CaseIterable {
    case serviceControlPolicy
    case resourceControlPolicy
    case vpcEndpointPolicy
    case resourceBased
    case roleTrustPolicy
    case kmsKeyPolicy
    case identityBased
    case permissionsBoundary
    case sessionPolicy

    public var displayName: String {
        switch self {
        case .serviceControlPolicy: return "service control policy"
        case .resourceControlPolicy: return "resource control policy"
        case .vpcEndpointPolicy: return "VPC endpoint policy"
        case .resourceBased: return "resource-based policy"
        case .roleTrustPolicy: return "role trust policy"
        case .kmsKeyPolicy: return "KMS key policy"
        case .identityBased: return "identity-based policy"
        case .permissionsBoundary: return "permissions boundary"
        case .sessionPolicy: return "session policy"
        }
    }

    /// Policies that name principals and so are matched against the caller.
    var namesPrincipals: Bool {
        switch self {
        case .resourceBased, .roleTrustPolicy, .kmsKeyPolicy, .vpcEndpointPolicy, .resourceControlPolicy: return true
        default: return false
        }
    }
}
