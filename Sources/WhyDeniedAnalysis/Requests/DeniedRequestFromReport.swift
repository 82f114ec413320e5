import Foundation
import WhyDeniedEvidence

extension DeniedRequest {
    /// Builds the evaluation request for a denial known only from its message and parameters.
    ///
    /// The context holds what the caller's ARN and the region say (`aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`, `aws:RequestedRegion`,
    /// `aws:ResourceAccount`); every key an event would carry stays unknown, so a condition on
    /// it makes the verdict Undecided and names the key.
    public init(reported: ReportedRequest, catalog: ActionCatalog) throws {
        let principal = RequestPrincipal(arn: reported.principalArn)
        guard principal.kind != .anonymous, principal.kind != .service, ArnParts(reported.principalArn) != nil else {
            throw DeniedRequestError(eventID: nil, problem: "\"\(reported.principalArn)\" is not a principal ARN, so the caller is unknown; give the principal's ARN")
        }
        let parts = reported.action.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else {
            throw DeniedRequestError(eventID: nil, problem: "\"\(reported.action)\" is not an IAM action (service:Action)")
        }
        let known = try catalog.action(reported.action)
        let iamAction = known?.iamAction ?? reported.action
        var notes = ["No CloudTrail event: the request was built from " + (reported.message == nil ? "the parameters." : "the error message and the parameters.")]
        if !reported.sourceLines.isEmpty { notes.append("Where each fact came from: " + reported.sourceLines.joined(separator: "; ") + ".") }
        notes.append("A CloudTrail event would have added: "
            + ReportedRequest.eventOnlyFacts.map { "\($0.fact) (\($0.keys.joined(separator: ", ")))" }.joined(separator: "; ")
            + ". Without it these stay unknown: a condition on one of them leaves the verdict Undecided.")
        let call = ApiCallActions(servicePrefix: String(parts[0]), apiName: reported.message?.operation ?? String(parts[1]),
                                  actions: [iamAction], hints: [], basis: known == nil ? .unknown : .sameNameAction)
        if known == nil { notes.append("The catalog has no action \(reported.action).") }

        let resourceArn = reported.resourceArn.flatMap { $0.hasPrefix("arn:") ? $0 : nil }
        let resourceAccount = reported.resourceAccount
            ?? resourceArn.flatMap(ArnParts.init).flatMap { $0.account.isEmpty ? nil : $0.account }
            ?? principal.account
        var types: [String: String] = [:]
        var unresolved: [String: String] = [:]
        let resource: RequestResource?
        switch Self.resourceChoice(for: known, arn: resourceArn) {
        case .resource(let arn, let type):
            types[iamAction] = type
            resource = RequestResource(arn: arn, account: ArnParts(arn).flatMap { $0.account.isEmpty ? nil : $0.account } ?? resourceAccount)
        case .noResourceType:
            resource = nil
        case .unresolved(let why):
            unresolved[iamAction] = why
            notes.append("No resource for \(iamAction): \(why).")
            resource = nil
        }

        var context = RequestContext()
        context["aws:PrincipalIsAWSService"] = ContextValue(.bool, "false")
        context["aws:PrincipalArn"] = ContextValue(.arn, principal.principalArnForConditions)
        if let account = principal.account { context["aws:PrincipalAccount"] = ContextValue(.string, account) }
        if let type = EventRequestContext.principalType(principal.kind) { context["aws:PrincipalType"] = ContextValue(.string, type) }
        if principal.kind == .iamUser, let name = PrincipalIdentity(arn: principal.arn)?.name {
            context["aws:username"] = ContextValue(.string, name)
        } else {
            context.markAbsent("aws:username")
        }
        if let region = reported.region, !region.isEmpty { context["aws:RequestedRegion"] = ContextValue(.string, region) }
        if let resourceAccount { context["aws:ResourceAccount"] = ContextValue(.string, resourceAccount) }

        let requests = unresolved.isEmpty
            ? [AuthorizationRequest(principal: principal, action: iamAction, resource: resource, context: context)] : []
        self.init(eventID: nil, eventSource: "\(parts[0]).amazonaws.com", eventName: call.apiName, call: call,
                  actionInErrorMessage: reported.message?.action ?? iamAction, principal: principal, context: context,
                  requests: requests, resourceTypes: types, unresolvedResources: unresolved,
                  resourceAccount: resourceAccount, notes: notes, evidence: .reported(reported))
    }

    /// The reported ARN's catalog resource type: the first of the action's types (required first)
    /// whose ARN template it fits.
    static func resourceChoice(for action: CatalogAction?, arn: String?) -> EventResources.Choice {
        guard let action else { return .unresolved("the catalog does not know this action") }
        if action.hasNoResourceType { return .noResourceType }
        let ordered = action.resourceTypes.filter(\.required) + action.resourceTypes.filter { !$0.required }
        guard let arn else {
            return .unresolved("neither the message nor the parameters name the resource; give its ARN")
        }
        if let use = ordered.first(where: { $0.arnTemplate.matches(arn) }) { return .resource(arn: arn, type: use.name) }
        let wanted = action.resourceTypes.map { "\($0.name) (\($0.arnTemplate))" }.joined(separator: ", ")
        return .unresolved("\(arn) is not of the type \(action.iamAction) acts on: \(wanted)")
    }
}
