/// One runbook parameter read off pasted evidence, with where it came from, so the operator can
/// judge it before accepting (`principal` ← "event 3f1c0b2a: userIdentity.sessionContext.sessionIssuer.arn").
///
/// ```swift
/// PrefilledParameter(name: "region", value: "us-east-1", origin: "event 3f1c0b2a: awsRegion")
/// ```
public struct PrefilledParameter: Sendable, Hashable, Codable {
    /// A runbook parameter name: `principal`, `time_frame`, `region`, `resource`, `account_id`,
    /// `error_message` or `action`.
    public var name: String
    public var value: String
    public var origin: String

    public init(name: String, value: String, origin: String) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}

/// The runbook parameter names (Runbooks/access-denied.yaml), in the order the runbook asks.
public enum RunbookParameterName {
    public static let principal = "principal"
    public static let timeFrame = "time_frame"
    public static let region = "region"
    public static let resource = "resource"
    public static let accountId = "account_id"
    public static let errorMessage = "error_message"
    public static let action = "action"

    public static let all = [principal, timeFrame, region, resource, accountId, errorMessage, action]
}
