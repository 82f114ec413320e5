import WhyDeniedEvidence

/// What `analyze --live` reads for a batch of denied events: each caller's policy holder (the
/// user, or the role behind an assumed-role session) and each resource the requests act on, in
/// order of first appearance, each once.
///
/// ```swift
/// let targets = LiveReadTargets(events, catalog: .bundled)
/// targets.principals   // ["arn:aws:iam::111122223333:role/DataAnalystRole"]
/// targets.resources    // ["arn:aws:s3:::analytics-data-bucket/reports/q3.csv"]
/// ```
public struct LiveReadTargets: Sendable, Equatable {
    public var principals: [String] = []
    public var resources: [String] = []
    /// The VPC endpoints the requests came through (`vpcEndpointId`), whose policies apply too.
    public var vpcEndpoints: [String] = []

    public init(_ events: [CloudTrailEvent], catalog: ActionCatalog) {
        // Each event's requests built on every core (the costly part), then taken in order.
        let resourcesByEvent = OrderedParallelMap.map(events) { event in
            // An event whose request cannot be built still names its caller; its resources are unknown.
            (try? DeniedRequest(event: event, catalog: catalog))?.requests.compactMap(\.resource?.arn) ?? []
        }
        var seenPrincipals = Set<String>(), seenResources = Set<String>()
        for (event, arns) in zip(events, resourcesByEvent) {
            if let holder = event.userIdentity?.policyHolderArn, seenPrincipals.insert(holder).inserted { principals.append(holder) }
            if let endpoint = event.vpcEndpointId, !endpoint.isEmpty, !vpcEndpoints.contains(endpoint) { vpcEndpoints.append(endpoint) }
            for arn in arns where seenResources.insert(arn).inserted { resources.append(arn) }
        }
    }

    /// The targets of requests already built (reported by pasted messages): each caller's policy
    /// holder and each resource.
    public init(requests: [DeniedRequest]) {
        for denied in requests {
            let holder = denied.principal.roleArn ?? denied.principal.arn
            if !principals.contains(holder) { principals.append(holder) }
            for arn in denied.requests.compactMap(\.resource?.arn) where !resources.contains(arn) { resources.append(arn) }
        }
    }
}
