import WhyDeniedSession

/// Where and as whom the session's `aws` commands run: the CLI executable, `--profile`,
/// `--region`, `--endpoint-url` (the moto sandbox, LocalStack, a VPC endpoint) and extra
/// environment. It turns a runbook argv (`["aws", "iam", "get-role", …]`) into the argv actually
/// run, and adds the environment that keeps the CLI from paging or prompting.
///
/// ```swift
/// let connection = AWSConnection(profile: "audit", region: "us-east-1")
/// connection.arguments(for: ["aws", "sts", "get-caller-identity"])
/// // ["sts", "get-caller-identity", "--output", "json", "--profile", "audit", "--region", "us-east-1"]
/// ```
public struct AWSConnection: Sendable, Hashable {
    /// `aws` (looked up on PATH) or a path to the executable.
    public var executable: String
    public var profile: String?
    /// The profile `aws organizations …` and `aws sso-admin …` commands run with (the management
    /// account or a delegated administrator: only they may read SCPs and permission sets); nil,
    /// they run with `profile`.
    public var organizationProfile: String?
    public var region: String?
    public var endpointURL: String?
    /// Added on top of the inherited environment (tests point AWS_CONFIG_FILE etc. at temp files).
    public var environment: [String: String]
    /// Whether the child sees our environment (PATH, HOME, AWS_* credentials); the sandbox turns it
    /// off so no real credentials or config reach the moto session.
    public var inheritsEnvironment: Bool

    public init(executable: String = "aws", profile: String? = nil, region: String? = nil,
                endpointURL: String? = nil, environment: [String: String] = [:],
                inheritsEnvironment: Bool = true, organizationProfile: String? = nil) {
        self.executable = executable
        self.profile = profile
        self.organizationProfile = organizationProfile
        self.region = region
        self.endpointURL = endpointURL
        self.environment = environment
        self.inheritsEnvironment = inheritsEnvironment
    }

    /// The CLI arguments (without the executable) for a runbook argv. Options the runbook already
    /// set are left alone; global options go last, where both CLI v1 and v2 accept them.
    public func arguments(for argv: [String]) -> [String] {
        var arguments = argv.first == "aws" ? Array(argv.dropFirst()) : argv
        func add(_ option: String, _ value: String?) {
            guard let value, !value.isEmpty, !arguments.contains(option) else { return }
            arguments += [option, value]
        }
        add("--output", "json")
        // Identity Center is administered where the organization is: the same profile.
        if arguments.first.map(Self.organizationServices.contains) == true { add("--profile", organizationProfile) }
        add("--profile", profile)
        add("--region", region)
        add("--endpoint-url", endpointURL)
        return arguments
    }

    /// Why a command cannot reach its service through this connection's endpoint, known before it
    /// runs: the CLI puts the account id before the endpoint's host for every s3control call
    /// (`123456789012.127.0.0.1`), which an endpoint given as an IP address cannot have. Run
    /// anyway, the CLI retries the connection for about 10 seconds before saying so.
    public func unreachableReason(for argv: [String]) -> String? {
        let arguments = argv.first == "aws" ? Array(argv.dropFirst()) : argv
        guard let service = arguments.first, Self.hostPrefixedServices.contains(service),
              let host = endpointHost, Self.isIPAddress(host) else { return nil }
        let account = arguments.firstIndex(of: "--account-id").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        return "the aws CLI sends this call to \(account ?? "ACCOUNT").\(host): it puts the account id before the endpoint's host, "
            + "and an endpoint given as an IP address has no such host name (not run)"
    }

    /// Services whose every operation has a host prefix (`{AccountId}.`) in the CLI's model.
    static let hostPrefixedServices: Set<String> = ["s3control"]

    var endpointHost: String? {
        guard let endpointURL, let schemeEnd = endpointURL.range(of: "://") else { return nil }
        let authority = endpointURL[schemeEnd.upperBound...].prefix { $0 != "/" }
        if authority.hasPrefix("[") { return authority.split(separator: "]").first.map { String($0) + "]" } }
        return authority.split(separator: ":").first.map(String.init)
    }

    /// An IPv6 literal (`[::1]`) or a dotted-quad IPv4 address.
    static func isIPAddress(_ host: String) -> Bool {
        host.hasPrefix("[") || IPv4Address.isDottedQuad(host)
    }

    /// The services administered from the management account or a delegated administrator.
    static let organizationServices: Set<String> = ["organizations", "sso-admin"]

    /// Where the commands actually go, as the CLI reads it: our options first, else the
    /// child's environment (`AWS_ENDPOINT_URL`, `AWS_PROFILE`, `AWS_REGION`/`AWS_DEFAULT_REGION`).
    /// This is what the journal records and what a resumed session must match.
    public func target(inherited: [String: String]) -> SessionConnection {
        let environment = childEnvironment(inherited: inherited)
        func given(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
        return SessionConnection(
            endpointURL: given(endpointURL) ?? given(environment["AWS_ENDPOINT_URL"]),
            profile: given(profile) ?? given(environment["AWS_PROFILE"]),
            region: given(region) ?? given(environment["AWS_REGION"]) ?? given(environment["AWS_DEFAULT_REGION"]))
    }

    static let startupVariables = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYENV_ROOT", "PYENV_VERSION"]

    /// The environment the child runs with.
    public func childEnvironment(inherited: [String: String]) -> [String: String] {
        var result: [String: String] = inheritsEnvironment ? inherited : [:]
        if !inheritsEnvironment {
            // What the CLI itself needs to start (pyenv shims read HOME/PYENV_*), nothing AWS_*.
            for key in Self.startupVariables { result[key] = inherited[key] }
        }
        for (key, value) in environment { result[key] = value }
        result["AWS_PAGER"] = ""
        result["AWS_CLI_AUTO_PROMPT"] = "off"
        return result
    }
}
