/// What a denied CloudTrail event says about its denial, read once and the same way for every
/// view: AWS's `errorMessage` parsed by the one error-message parser (`AuthorizationError`), the
/// action refused and the resource it was refused on. The findings table, the report's rows,
/// the prefilled parameters, the `denial.*` facts and the evaluated request all take the action
/// and the resource from here.
///
/// ```swift
/// let denial = EventDenial(event)
/// denial.action     // "ec2:RunInstances" (AWS's word in the message)
/// denial.resource   // "arn:aws:ec2:us-east-1:111122223333:instance/*" (the message's, not the image)
/// ```
public struct EventDenial: Sendable {
    public let event: CloudTrailEvent
    /// The event's `errorMessage` as the parser read it; nil without one, or when it is not an
    /// authorization error.
    public let message: AuthorizationError?

    public init(_ event: CloudTrailEvent) {
        self.event = event
        message = event.errorMessage.flatMap(AuthorizationErrorParser.parseIfAuthorizationError)
    }

    /// The `service:Action` AWS names in the message, if it names one.
    public var messageAction: String? {
        guard let action = message?.action, action.contains(":"), !action.hasPrefix("arn:") else { return nil }
        return action
    }

    /// The resource ARN AWS names in the message ("on resource: …"), if it names one.
    public var messageResource: String? {
        message?.resource.flatMap { ARN($0) != nil ? $0 : nil }
    }

    /// The action refused: AWS's word in the message, else the IAM action of the event's API call.
    public var action: String? {
        if let messageAction { return messageAction }
        guard let source = event.eventSource, let name = event.eventName else { return nil }
        return IAMActionName.action(eventSource: source, eventName: name)
            ?? source.split(separator: ".").first.map { "\($0):\(name)" }
    }

    /// The resource the denial is about: AWS's word in the message, else the service-aware
    /// resolver's first (an S3 object action's object, not its bucket).
    public var resource: String? { messageResource ?? resolved?.arn }

    /// Where `resource` was read, for a prefill's origin.
    public var resourceOrigin: String? {
        if messageResource != nil { return "errorMessage '\(message?.origins[.resource]?.snippet ?? messageResource ?? "")'" }
        return resolved?.origin
    }

    /// The resolver's first resource, with where it came from and its caveat.
    public var resolved: ResolvedResource? { ResourceResolver.resolve(event).first }

    /// `explicit`, `implicit` or `unknown`, as the message says; nil without a message.
    public var denyType: String? {
        guard event.errorMessage != nil else { return nil }
        switch message?.decision {
        case .explicitDeny?: return "explicit"
        case .implicitDeny?: return "implicit"
        case .unknown?, nil: return "unknown"
        }
    }
}
