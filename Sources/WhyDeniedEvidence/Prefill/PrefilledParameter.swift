/// One runbook parameter read off pasted evidence, with where it came from, so the operator can
/// judge it before accepting (`principal` ← "event 3f1c0b2a: userIdentity.sessionContext.sessionIssuer.arn").
///
/// ```swift
/// PrefilledParameter(name: "region", value: "us-east-1", source: .cloudTrailEvent, origin: "event 3f1c0b2a: awsRegion")
/// ```
public struct PrefilledParameter: Sendable, Hashable, Codable {
    /// What kind of evidence the value was read from: typed, so the session and the journal
    /// never tell it from the origin's wording.
    public enum Source: String, Sendable, Hashable, Codable {
        case errorMessage, cloudTrailEvent, decodedMessage
        /// Not in the evidence: a default the prefill chose (the last hour, for a message).
        case defaultValue
    }

    /// A runbook parameter name: `principal`, `time_frame`, `region`, `resource`, `account_id`,
    /// `error_message` or `action`.
    public var name: String
    public var value: String
    public var source: Source
    /// Where exactly, in words: `event 3f1c0b2a: awsRegion`, `error message: 'perform: s3:GetObject'`.
    public var origin: String

    public init(name: String, value: String, source: Source, origin: String) {
        self.name = name
        self.value = value
        self.source = source
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
