import WhyDeniedEvidence

extension DeniedRequest {
    /// Puts what a decoded authorization message says into the request: every context value it
    /// carries becomes a known value of the request's context (AWS recorded them from the real
    /// request, so `aws:SourceIp`, `ec2:InstanceType` and the rest are no longer unknown), and the
    /// statements AWS matched are noted, the explicit Deny first. The message's principal and
    /// action are checked against the request's; a difference is noted, not silently applied.
    ///
    /// ```swift
    /// var denied = try DeniedRequest(event: event, catalog: .bundled)
    /// denied.apply(try DecodedAuthorization.read(cliOutput), catalog: .bundled)
    /// denied.context["ec2:InstanceType"]?.values   // ["t2.micro"]
    /// ```
    public mutating func apply(_ decoded: DecodedAuthorization, catalog: ActionCatalog) {
        context = context.applying(decoded, catalog: catalog)
        for index in requests.indices {
            requests[index].context = requests[index].context.applying(decoded, catalog: catalog)
        }
        resolveResource(from: decoded, catalog: catalog)
        notes.append(contentsOf: Self.notes(for: decoded, principal: principal, actions: requests.map(\.action)))
    }

    /// The message names the resource AWS evaluated the refused action on: it fills that action's
    /// request when the event left its resource unresolved (EC2 events rarely list resources).
    private mutating func resolveResource(from decoded: DecodedAuthorization, catalog: ActionCatalog) {
        guard let named = decoded.iamAction, let arn = decoded.resource, let parts = ArnParts(arn) else { return }
        let action = ((try? catalog.action(named)) ?? nil)?.iamAction ?? named
        if actionInErrorMessage == nil { actionInErrorMessage = action }
        guard !requests.contains(where: { $0.action.caseInsensitiveCompare(action) == .orderedSame }) else { return }
        let owner = parts.account.isEmpty ? resourceAccount : parts.account
        requests.append(AuthorizationRequest(principal: principal, action: action,
                                             resource: RequestResource(arn: arn, account: owner), context: context))
        if let type = (try? catalog.resourceType(of: action, matching: arn)) ?? nil { resourceTypes[action] = type.name }
        unresolvedResources[action] = nil
        notes.removeAll { $0.hasPrefix("No resource for \(action):") }
        notes.append("The resource of \(action) is \(arn), from the decoded authorization message (context.resource).")
    }

    static func notes(for decoded: DecodedAuthorization, principal: RequestPrincipal, actions: [String]) -> [String] {
        var notes: [String] = []
        if !decoded.conditions.isEmpty {
            notes.append("The decoded authorization message gives \(decoded.conditions.count) context value(s) of the request; they are used as known values.")
        }
        switch decoded.decision {
        case .explicitDeny:
            let statements = decoded.denyingStatements.map(\.summary)
            notes.append("The decoded authorization message records an explicit deny"
                         + (statements.isEmpty ? "." : " by statement \(statements.joined(separator: "; "))."))
        case .implicitDeny:
            notes.append("The decoded authorization message records an implicit deny: no statement allowed the request.")
        case .unknown:
            break
        }
        if let arn = decoded.principalArn, arn != principal.arn, arn != principal.roleArn {
            notes.append("The decoded authorization message names the caller \(arn), not \(principal.arn).")
        }
        if let action = decoded.iamAction, !actions.isEmpty,
           !actions.contains(where: { $0.caseInsensitiveCompare(action) == .orderedSame }) {
            notes.append("The decoded authorization message names the action \(action), which this request does not evaluate.")
        }
        return notes
    }
}

extension RequestContext {
    /// This context with every value of a decoded authorization message set as known; each key
    /// is typed by the action catalog (`aws:SourceIp` is an IP address), text when it is not listed.
    public func applying(_ decoded: DecodedAuthorization, catalog: ActionCatalog) -> RequestContext {
        var context = self
        for entry in decoded.conditions where !entry.values.isEmpty {
            let typeName = (try? catalog.conditionKeyType(entry.key)) ?? nil
            let type = typeName.flatMap(ContextValueType.init(loosely:)) ?? .string
            let isList = typeName?.lowercased().hasPrefix("arrayof") ?? false
            context[entry.key] = entry.values.count == 1 && !isList
                ? ContextValue(type, entry.values[0])
                : ContextValue(type, entry.values, multiValued: true)
        }
        return context
    }
}
