import WhyDeniedEvidence

extension RequestPrincipal {
    /// The caller of a CloudTrail event. An assumed-role session keeps its session ARN and names
    /// the role from `sessionIssuer` (which, unlike the session ARN, carries the role's path).
    /// Anonymous callers and AWS services are supported. An `AWSAccount` caller (a cross-account
    /// caller as the resource owner's trail records it) is named only by account and unique id:
    /// it becomes the role or user with that id in `knownPrincipals` (unique id → ARN, from a
    /// snapshot or the session's reads), else an `.accountOnly` caller, never the account's root.
    static func from(_ event: CloudTrailEvent, knownPrincipals: [String: String] = [:]) throws -> (RequestPrincipal, [String]) {
        guard let identity = event.userIdentity else {
            throw DeniedRequestError(eventID: event.eventID, problem: "the event has no userIdentity, so the caller is unknown")
        }
        let type = identity.type ?? ""
        switch type {
        case "AssumedRole":
            guard let arn = identity.arn else {
                throw DeniedRequestError(eventID: event.eventID, problem: "userIdentity.arn is missing for an AssumedRole caller")
            }
            let role = identity.sessionContext?.sessionIssuer?.arn.flatMap { $0.contains(":role/") ? $0 : nil }
            return (RequestPrincipal(arn: arn, kind: .assumedRole, account: identity.accountId, roleArn: role), [])
        case "IAMUser", "Root":
            guard let arn = identity.arn else {
                throw DeniedRequestError(eventID: event.eventID, problem: "userIdentity.arn is missing for a \(type) caller")
            }
            return (RequestPrincipal(arn: arn, kind: type == "Root" ? .root : .iamUser, account: identity.accountId), [])
        case "FederatedUser":
            guard let arn = identity.arn else {
                throw DeniedRequestError(eventID: event.eventID, problem: "userIdentity.arn is missing for a FederatedUser caller")
            }
            let issuer = identity.sessionContext?.sessionIssuer?.arn
            return (RequestPrincipal(arn: arn, kind: .federatedUser, account: identity.accountId, roleArn: issuer), [])
        case "AWSService":
            let service = identity.invokedBy ?? event.sourceIPAddress ?? "unknown.amazonaws.com"
            return (RequestPrincipal(arn: service, kind: .service), [])
        case "AWSAccount":
            guard let account = identity.accountId else {
                throw DeniedRequestError(eventID: event.eventID, problem: "an AWSAccount caller without accountId cannot be identified")
            }
            return AccountOnlyCaller(account: account, principalId: identity.principalId).resolve(in: knownPrincipals)
        case "Unknown", "":
            if identity.accountId == nil && identity.arn == nil {
                return (RequestPrincipal(arn: "*", kind: .anonymous), ["The caller is anonymous (no credentials were sent)."])
            }
            fallthrough
        default:
            guard let arn = identity.arn else {
                throw DeniedRequestError(eventID: event.eventID, problem: "userIdentity type \"\(type)\" has no ARN, so the caller cannot be evaluated")
            }
            return (RequestPrincipal(arn: arn, account: identity.accountId), ["userIdentity type \"\(type)\" is evaluated from its ARN only."])
        }
    }
}
