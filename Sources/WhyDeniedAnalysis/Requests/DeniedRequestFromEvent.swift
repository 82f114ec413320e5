import WhyDeniedEvidence

extension DeniedRequest {
    /// Builds the evaluation requests for a denied CloudTrail event.
    ///
    /// - Parameters:
    ///   - principalTags: the caller's IAM tags (from an account snapshot), which become
    ///     `aws:PrincipalTag/<key>`; without them those keys stay unknown.
    ///   - knownPrincipals: role and user ARNs by IAM unique id (`AccountSnapshot.principalArnsByUniqueId`),
    ///     which name a caller the trail gives only by account and id (`AWSAccount`).
    public init(event: CloudTrailEvent, catalog: ActionCatalog, principalTags: [String: String] = [:],
                knownPrincipals: [String: String] = [:]) throws {
        guard let source = event.eventSource, let name = event.eventName else {
            throw DeniedRequestError(eventID: event.eventID, problem: "the event has no eventSource or eventName, so the API call is unknown")
        }
        let (principal, principalNotes) = try RequestPrincipal.from(event, knownPrincipals: knownPrincipals)
        var notes = principalNotes
        let call = try catalog.actionsForCall(eventSource: source, eventName: name)
        let denial = EventDenial(event)
        let named = denial.messageAction
        var actions = call.actions
        if let named, !actions.contains(where: { $0.caseInsensitiveCompare(named) == .orderedSame }) {
            // The message is AWS's own word on the refused action; keep the mapping's too.
            actions.insert(named, at: 0)
            notes.append("The error message names \(named), which the API mapping did not list.")
        }
        switch call.basis {
        case .unknown:
            notes.append("The catalog has no action \(call.actions.first ?? name); \(source) \(name) may need a different one.")
        case .permissionless:
            notes.append("\(name) needs no IAM permission; a denial here is not caused by a policy.")
        case .knownMapping, .sameNameAction:
            break
        }

        let resourceAccount = event.resources.compactMap(\.accountId).first ?? event.recipientAccountId ?? principal.account
        let partition = ArnParts(principal.arn)?.partition
            ?? event.resources.compactMap { $0.arn.flatMap(ArnParts.init)?.partition }.first ?? "aws"
        let resources = EventResources(event: event, partition: partition, account: resourceAccount,
                                       messageResource: denial.messageResource)
        let context = EventRequestContext(event: event, principal: principal, principalTags: principalTags,
                                          resourceAccount: resourceAccount).build()

        // Each read once: the resource is the resolver's work, the action may be the catalog's.
        let deniedAction = denial.action
        let deniedResource = denial.resource
        var requests: [AuthorizationRequest] = []
        var types: [String: String] = [:]
        var unresolved: [String: String] = [:]
        var grants: [String: [ResourceTypeGrant]] = [:]
        for action in actions {
            let known = try catalog.action(action)
            let iamAction = known?.iamAction ?? action
            let typeGrants = resources.grants(for: known)
            if !typeGrants.isEmpty { grants[iamAction] = typeGrants }
            // The denied action is about the resource every view shows (`EventDenial.resource`).
            let isTheDeniedAction = [action, iamAction].contains { deniedAction?.caseInsensitiveCompare($0) == .orderedSame }
            switch resources.choose(for: known, preferring: isTheDeniedAction ? deniedResource : nil) {
            case .resource(let arn, let type):
                types[iamAction] = type
                let owner = ArnParts(arn).flatMap { $0.account.isEmpty ? nil : $0.account } ?? resourceAccount
                requests.append(AuthorizationRequest(principal: principal, action: iamAction,
                                                     resource: RequestResource(arn: arn, account: owner), context: context))
            case .noResourceType:
                requests.append(AuthorizationRequest(principal: principal, action: iamAction, resource: nil, context: context))
            case .unresolved(let why):
                unresolved[iamAction] = why
                notes.append("No resource for \(iamAction): \(why).")
            }
        }
        self.init(eventID: event.eventID, eventSource: source, eventName: name, call: call,
                  actionInErrorMessage: named, principal: principal, context: context, requests: requests,
                  resourceTypes: types, unresolvedResources: unresolved, resourceAccount: resourceAccount, notes: notes,
                  resourceGrants: grants)
    }
}
