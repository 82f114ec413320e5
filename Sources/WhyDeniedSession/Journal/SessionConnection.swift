/// Where a session's `aws` commands went: the endpoint (`nil`: AWS's own endpoints), the CLI
/// profile (`nil`: the CLI's default credential chain) and the region. Journaled once, as the
/// `connection` line after `session_started`, so `resume --continue` sends the remaining commands
/// to the same place and never to another (a sandbox session never continues against AWS).
///
/// ```swift
/// SessionConnection(endpointURL: "http://127.0.0.1:5123", profile: nil, region: "us-east-1").description
/// // "endpoint http://127.0.0.1:5123, default credentials, region us-east-1"
/// ```
public struct SessionConnection: Sendable, Hashable, CustomStringConvertible {
    public var endpointURL: String?
    public var profile: String?
    public var region: String?

    public init(endpointURL: String?, profile: String?, region: String?) {
        self.endpointURL = Self.given(endpointURL)
        self.profile = Self.given(profile)
        self.region = Self.given(region)
    }

    public var description: String {
        [Self.describe(endpoint: endpointURL), profile.map { "profile \($0)" } ?? "default credentials",
         region.map { "region \($0)" } ?? "the CLI's default region"].joined(separator: ", ")
    }

    /// "endpoint URL" or "AWS's own endpoints".
    public static func describe(endpoint: String?) -> String {
        endpoint.map { "endpoint \($0)" } ?? "AWS's own endpoints"
    }

    /// An empty value means "not set", as the CLI reads it.
    private static func given(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
