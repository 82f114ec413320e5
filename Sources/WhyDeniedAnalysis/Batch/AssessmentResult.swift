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

    /// From the tail AWS puts on newer denial messages ("… because no identity-based policy
    /// allows the s3:GetObject action", "… with an explicit deny in a resource-based policy").
    /// Nil when the message does not say.
    public static func fromErrorMessage(_ message: String?) -> (assessment: String, explicit: Bool, type: PolicyType)? {
        guard let message else { return nil }
        let lowered = message.lowercased()
        let kinds: [(String, PolicyType)] = [
            ("identity-based policy", .identityBased), ("resource-based policy", .resourceBased),
            ("permissions boundary", .permissionsBoundary), ("service control policy", .serviceControlPolicy),
            ("resource control policy", .resourceControlPolicy), ("vpc endpoint policy", .vpcEndpointPolicy),
            ("session policy", .sessionPolicy),
        ]
        for (phrase, type) in kinds {
            if lowered.contains("explicit deny in a \(phrase)") || lowered.contains("explicit deny in an \(phrase)") {
                return (explicitDeny(in: type), true, type)
            }
            if lowered.contains("because no \(phrase)") {
                return (missingAllow(blockedBy: [type], crossAccount: false), false, type)
            }
        }
        return nil
    }
}
