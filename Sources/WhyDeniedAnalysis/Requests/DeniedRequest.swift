import WhyDeniedEvidence

/// A denied API call turned into what the evaluator checks: the caller, one
/// `AuthorizationRequest` per IAM action the call needs (each with the resource that action acts
/// on), the request context filled from the event, and notes on what the event did not say.
///
/// ```swift
/// let denied = try DeniedRequest(event: event, catalog: .bundled)
/// denied.requests.map(\.action)            // ["s3:GetObject"]
/// denied.requests[0].resource?.arn         // "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv"
/// denied.context["aws:SourceIp"]?.values   // ["198.51.100.23"]
/// ```
public struct DeniedRequest: Sendable {
    public var eventID: String?
    public var eventSource: String
    public var eventName: String
    /// The actions the call needs, and how they were found.
    public var call: ApiCallActions
    /// The action named in the error message ("… is not authorized to perform: s3:GetObject …"),
    /// which is the one AWS actually refused when the call needs several.
    public var actionInErrorMessage: String?
    public var principal: RequestPrincipal
    public var context: RequestContext
    /// One per action in `call.actions`; `resource` is nil for actions without a resource type.
    public var requests: [AuthorizationRequest]
    /// The catalog resource type chosen for each action (`object`, `bucket`), by action.
    public var resourceTypes: [String: String]
    /// Actions whose resource could not be worked out from the event, with why.
    public var unresolvedResources: [String: String]
    /// Account that owns the resource, when known.
    public var resourceAccount: String?
    /// What the event did not say, in words an operator can act on.
    public var notes: [String]
    /// Whether the request came from its CloudTrail event or was reported (message and parameters).
    public var evidence: RequestEvidence = .event
    /// For actions authorized against several resource types (`ec2:RunInstances`), by action:
    /// each type with the ARN a fix grants and whether it came from the evidence or a template.
    public var resourceGrants: [String: [ResourceTypeGrant]] = [:]

    /// The request AWS refused: the one for the action in the error message, else the first.
    public var primaryRequest: AuthorizationRequest? {
        if let named = actionInErrorMessage?.lowercased(),
           let match = requests.first(where: { $0.action.lowercased() == named }) { return match }
        return requests.first
    }

    /// True when caller and resource are in different accounts (both sides must allow).
    public var isCrossAccount: Bool {
        guard let resourceAccount, let caller = principal.account else { return false }
        return resourceAccount != caller
    }
}

/// Why a CloudTrail event could not be turned into an evaluation request.
///
/// Example: `event 3e5f8a1c: no userIdentity, so the caller is unknown`.
public struct DeniedRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let eventID: String?
    public let problem: String

    public init(eventID: String?, problem: String) {
        self.eventID = eventID
        self.problem = problem
    }

    public var description: String { "event \(eventID.map { String($0.prefix(8)) } ?? "(no eventID)"): \(problem)" }
}
