import Foundation
import WhyDeniedJSON

/// What `whydenied scan` keeps: denied events (error code containing `AccessDenied` or
/// `Unauthorized`, in any case — the same selection as the troubleshooting guide's `jq` filter),
/// narrowed by principal, time and action when the operator gives them.
///
/// ```swift
/// let criteria = ScanCriteria(principal: "arn:aws:iam::111122223333:role/DataAnalystRole",
///                             since: nil, until: nil, action: "s3:Get*")
/// ```
public struct ScanCriteria: Sendable {
    public var principal: String?
    public var since: Date?
    public var until: Date?
    public var action: String?

    public init(principal: String? = nil, since: Date? = nil, until: Date? = nil, action: String? = nil) {
        self.principal = principal
        self.since = since
        self.until = until
        self.action = action
    }

    /// True when the error code belongs to the access-denied family.
    public static func isDenialCode(_ code: String) -> Bool {
        let lowered = code.lowercased()
        return lowered.contains("accessdenied") || lowered.contains("unauthorized")
    }

    /// Applies the narrowing filters to a record already known to be a denial.
    public func accepts(_ record: JSONValue) -> Bool {
        if let principal, !Self.principalMatches(principal, record) { return false }
        if since != nil || until != nil {
            guard let text = record["eventTime"]?.stringValue, let time = Self.parseEventTime(text) else { return false }
            if let since, time < since { return false }
            if let until, time > until { return false }
        }
        if let action, !Self.actionMatches(action, record) { return false }
        return true
    }

    /// A principal matches by the ARN the event carries, the role behind an assumed-role
    /// session, or the user/role name (IAM names are unique case-insensitively).
    static func principalMatches(_ wanted: String, _ record: JSONValue) -> Bool {
        let identity = record["userIdentity"]
        let issuer = identity?["sessionContext"]?["sessionIssuer"]
        let arns = [identity?["arn"]?.stringValue, issuer?["arn"]?.stringValue].compactMap { $0 }
        if arns.contains(wanted) { return true }
        let names = [identity?["userName"]?.stringValue, issuer?["userName"]?.stringValue].compactMap { $0 }
        if names.contains(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) { return true }
        // A role ARN given with a path the session ARN does not show: compare by role name.
        if wanted.contains(":role/"), let roleName = wanted.split(separator: "/").last {
            return arns.contains { $0.contains(":assumed-role/\(roleName)/") }
        }
        return false
    }

    /// `service:Action` with `*`/`?` wildcards, case-insensitive, against the event's
    /// `eventSource` prefix and `eventName`.
    static func actionMatches(_ pattern: String, _ record: JSONValue) -> Bool {
        guard let source = record["eventSource"]?.stringValue, let name = record["eventName"]?.stringValue else { return false }
        let prefix = source.split(separator: ".").first.map(String.init) ?? source
        return WildcardPattern.matches(pattern.lowercased(), "\(prefix):\(name)".lowercased())
    }

    /// CloudTrail writes `2024-07-30T21:31:21Z`, sometimes with fractional seconds.
    static func parseEventTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// `*` and `?` glob matching, as IAM uses it for actions.
enum WildcardPattern {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
