import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON

/// The denied request as the operator reported it, for a session without a CloudTrail event: the
/// parser's reading of the pasted message (the typed `AuthorizationError`, not its text again)
/// completed by the runbook parameters. A parameter the operator gave wins over the message when
/// they differ (the operator corrected it); each fact keeps where it came from.
///
/// ```swift
/// let reported = try ReportedDenial.request(message: session.pastedDenial, parameters: engine.parameters, facts: engine.facts)
/// reported.sources[.action]   // .errorMessage("perform: s3:GetObject")
/// ```
public enum ReportedDenial {
    public struct Incomplete: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func request(message: AuthorizationError?, parameters: [String: String],
                               facts: [String: JSONValue]) throws(Incomplete) -> ReportedRequest {
        var sources: [ReportedRequest.Fact: ReportedRequest.Source] = [:]
        func given(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        func fromMessage(_ field: AuthorizationErrorField, _ value: String) -> ReportedRequest.Source {
            .errorMessage(message?.origins[field]?.snippet ?? value)
        }

        // The caller: the message's own ARN (a session keeps its session ARN), unless the
        // principal parameter names a different identity.
        let parameterArn = given(RunbookParameterName.principal).flatMap { PrincipalIdentity(arn: $0) }?.arn
            ?? facts["principal.arn"]?.stringValue
        let messageIdentity = message?.principal
        let principalArn: String
        if let identity = messageIdentity, let arn = identity.arn,
           parameterArn == nil || parameterArn == arn || parameterArn == identity.roleArn {
            principalArn = arn
            sources[.principal] = fromMessage(.principal, arn)
        } else if let parameterArn {
            principalArn = parameterArn
            sources[.principal] = .parameter(RunbookParameterName.principal)
        } else {
            throw Incomplete(description: "neither the error message nor the principal parameter gives the caller's ARN (a name alone does not say user or role)")
        }

        let action: String
        if let typed = given(RunbookParameterName.action), typed.lowercased() != message?.action?.lowercased() {
            action = typed
            sources[.action] = .parameter(RunbookParameterName.action)
        } else if let named = message?.action ?? given(RunbookParameterName.action) {
            action = named
            sources[.action] = message?.action == nil ? .parameter(RunbookParameterName.action) : fromMessage(.action, named)
        } else {
            throw Incomplete(description: "neither the error message nor the action parameter names the denied action")
        }

        var resource: String?
        if let typed = given(RunbookParameterName.resource), typed != message?.resource {
            resource = typed
            sources[.resource] = .parameter(RunbookParameterName.resource)
        } else if let named = message?.resource ?? given(RunbookParameterName.resource) {
            resource = named
            sources[.resource] = message?.resource == nil ? .parameter(RunbookParameterName.resource) : fromMessage(.resource, named)
        }
        if resource == "*" { resource = nil }

        let region = given(RunbookParameterName.region)
        if region != nil { sources[.region] = .parameter(RunbookParameterName.region) }
        if let message, message.decision != .unknown {
            sources[.decision] = fromMessage(.decision, message.decision.rawValue)
        }
        if let account = message?.accountId {
            sources[.account] = fromMessage(.accountId, account)
        } else if given(RunbookParameterName.accountId) != nil {
            sources[.account] = .parameter(RunbookParameterName.accountId)
        }
        return ReportedRequest(principalArn: principalArn, action: action, resourceArn: resource,
                               region: region, message: message, sources: sources)
    }
}
