import WhyDeniedEvidence

/// The `AssessmentResult` strings of Access Undenied's output, so its users' tooling keeps
/// working, plus the ones whydenied adds for cases Access Undenied does not model (RCPs, VPC
/// endpoint and session policies, undecided verdicts).
///
/// Example: `AssessmentResult.explicitDeny(in: .resourceBased)` is
/// `"Explicit deny in a resource-based policy"`.
public enum AssessmentResult {
    public static let allowed = "Allowed"
    public static let error = "Error"
    public static let invalidAction = "Invalid action"
    public static let undecided = "Undecided"

    public static func explicitDeny(in type: PolicyType) -> String {
        switch type {
        case .identityBased: return "Explicit deny in an identity-based policy"
        case .resourceBased, .kmsKeyPolicy, .roleTrustPolicy: return "Explicit deny in a resource-based policy"
        case .permissionsBoundary: return "Explicit deny in a permissions boundary policy"
        case .serviceControlPolicy: return "Explicit deny in a service-control policy"
        case .resourceControlPolicy: return "Explicit deny in a resource control policy"
        case .vpcEndpointPolicy: return "Explicit deny in a VPC endpoint policy"
        case .sessionPolicy: return "Explicit deny in a session policy"
        }
    }

    /// For an implicit deny, from the gates that blocked the request.
    public static func missingAllow(blockedBy types: [PolicyType], crossAccount: Bool) -> String {
        let set = Set(types)
        if set.contains(.serviceControlPolicy) { return "Missing allow in a service-control policy" }
        if set.contains(.resourceControlPolicy) { return "Missing allow in a resource control policy" }
        if set.contains(.vpcEndpointPolicy) { return "Missing allow in a VPC endpoint policy" }
        let resourceSide = set.contains(.resourceBased) || set.contains(.kmsKeyPolicy) || set.contains(.roleTrustPolicy)
        if crossAccount {
            if resourceSide && set.contains(.identityBased) {
                return "Missing allows in an identity-based and a resource-based policy in cross-account access"
            }
            if resourceSide { return "Missing allow in a resource-based policy in cross-account access" }
        }
        if set.contains(.permissionsBoundary) && !set.contains(.identityBased) { return "Missing allow in a permissions boundary policy" }
        if set.contains(.sessionPolicy) && !set.contains(.identityBased) { return "Missing allow in a session policy" }
        if resourceSide && !set.contains(.identityBased) { return "Missing allow in a resource-based policy" }
        return "Missing allow in an identity-based policy"
    }

    /// From what the message says (its parsed tail: "… because no identity-based policy allows
    /// the s3:GetObject action", "… with an explicit deny in a resource-based policy"). Nil when
    /// the message does not say which policy type decided.
    public static func from(_ message: AuthorizationError?) -> (assessment: String, explicit: Bool, type: PolicyType)? {
        guard let message, let said = message.policyType else { return nil }
        let type: PolicyType = switch said {
        case .identityBased: .identityBased
        case .resourceBased: .resourceBased
        case .permissionsBoundary: .permissionsBoundary
        case .sessionPolicy: .sessionPolicy
        case .serviceControlPolicy: .serviceControlPolicy
        case .resourceControlPolicy: .resourceControlPolicy
        case .vpcEndpointPolicy: .vpcEndpointPolicy
        }
        switch message.decision {
        case .explicitDeny: return (explicitDeny(in: type), true, type)
        case .implicitDeny: return (missingAllow(blockedBy: [type], crossAccount: false), false, type)
        case .unknown: return nil
        }
    }
}
