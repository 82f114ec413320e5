/// A case the sandbox can stage: who was denied what, the IAM and resource set-up that causes it,
/// and the CloudTrail event of the denial. `seed` builds it with the real CLI and returns the
/// runbook parameters an operator would enter (some, like a KMS key ARN, only exist after seeding).
///
/// ```swift
/// let scenario = try SandboxScenario.named("seed")
/// let parameters = try await scenario.seed(ScenarioSeeder(runner: runner, workDirectory: dir))
/// parameters["principal"]   // "DataAnalystRole"
/// ```
public struct SandboxScenario: Sendable {
    public var name: String
    public var title: String
    public var summary: String
    public var expected: ScenarioExpectations
    /// Whether the trail gets the denial's event; a paste-only scenario leaves the operator with
    /// the error message alone, as a real data event or a fresh management event does.
    public var stagesEvent: Bool
    /// The profile the session runs as, when it is not the sandbox's default account (the SCP
    /// scenarios' member account, see `StagedOrganization`).
    public var sessionProfile: String?
    public var seed: @Sendable (ScenarioSeeder) async throws -> [String: String]

    public init(name: String, title: String, summary: String, expected: ScenarioExpectations, stagesEvent: Bool = true,
                sessionProfile: String? = nil, seed: @escaping @Sendable (ScenarioSeeder) async throws -> [String: String]) {
        self.name = name
        self.title = title
        self.summary = summary
        self.expected = expected
        self.stagesEvent = stagesEvent
        self.sessionProfile = sessionProfile
        self.seed = seed
    }

    /// The same account and denial with no event in the trail: the session has only the pasted
    /// message and the parameters. Named `<name>-paste`.
    public func pasteOnly(title: String, why: String) -> SandboxScenario {
        let base = seed
        return SandboxScenario(name: "\(name)-paste", title: title, summary: "\(summary) No CloudTrail event is staged: \(why)",
                               expected: expected, stagesEvent: false) { seeder in
            var quiet = seeder
            quiet.deliversEvents = false
            return try await base(quiet)
        }
    }

    public static let all: [SandboxScenario] = [
        .s3BucketPolicyIPDeny, .userWithoutAllow, .groupExplicitDeny, .roleBoundary, .kmsKeyPolicy,
        .roleTrustPolicy, .eventBridgeBusPolicy,
    ] + pasteOnlyScenarios + [.scpOUDeny, .scpMissingAllow, .vpcEndpointDeny, .crossAccountBucket, crossAccountBucketPasteOnly, .kmsGrant,
                                 .s3BlockPublicAccess]

    /// Every staged case again without its event, each with the reason a real trail lacks it.
    public static let pasteOnlyScenarios: [SandboxScenario] = [
        s3BucketPolicyIPDeny.pasteOnly(title: "Pasted message only: S3 GetObject denied by a bucket policy on aws:SourceIp",
                                       why: "GetObject is an S3 data event, which the trail does not select."),
        userWithoutAllow.pasteOnly(title: "Pasted message only: IAM user has no policy allowing s3:PutObject",
                                   why: "PutObject is an S3 data event, which the trail does not select."),
        groupExplicitDeny.pasteOnly(title: "Pasted message only: a group policy denies s3:DeleteObject",
                                    why: "DeleteObject is an S3 data event, which the trail does not select."),
        roleBoundary.pasteOnly(title: "Pasted message only: permissions boundary lacks sqs:SendMessage",
                               why: "SendMessage is an SQS data event, which the trail does not select."),
        kmsKeyPolicy.pasteOnly(title: "Pasted message only: KMS key policy does not include the principal",
                               why: "the error is minutes old and the event has not arrived yet."),
        roleTrustPolicy.pasteOnly(title: "Pasted message only: role trust policy does not trust the caller",
                                  why: "the error is minutes old and the event has not arrived yet."),
    ]
    public static let defaultName = "seed"

    public static func named(_ name: String) throws(SandboxError) -> SandboxScenario {
        guard let scenario = all.first(where: { $0.name == name }) else {
            throw .unknownScenario(name, known: all.map(\.name))
        }
        return scenario
    }
}

/// What a session run against a seeded scenario should read back (tests assert on it; `demo
/// --list` shows the summary).
public struct ScenarioExpectations: Sendable, Equatable {
    public enum ResourcePolicy: Sendable, Equatable {
        case bucket(String)
        case key
        case queue(String)
        case eventBus(String)
        /// The trust policy of the role being assumed.
        case trustPolicy(role: String)
        case none
    }

    public var principalKind: String
    public var principalName: String
    public var deniedAction: String
    public var attachedPolicyNames: [String]
    public var inlinePolicyNames: [String]
    public var groupNames: [String]
    public var permissionsBoundaryName: String?
    public var resourcePolicy: ResourcePolicy

    public init(principalKind: String, principalName: String, deniedAction: String,
                attachedPolicyNames: [String] = [], inlinePolicyNames: [String] = [], groupNames: [String] = [],
                permissionsBoundaryName: String? = nil, resourcePolicy: ResourcePolicy = .none) {
        self.principalKind = principalKind
        self.principalName = principalName
        self.deniedAction = deniedAction
        self.attachedPolicyNames = attachedPolicyNames
        self.inlinePolicyNames = inlinePolicyNames
        self.groupNames = groupNames
        self.permissionsBoundaryName = permissionsBoundaryName
        self.resourcePolicy = resourcePolicy
    }
}

extension ScenarioSeeder {
    static let account = MotoSandbox.accountID
    static let region = MotoSandbox.region

    /// `aws iam create-policy`, returning the new policy's ARN.
    func createManagedPolicy(_ name: String, document: String, path: String = "/") async throws -> String {
        let created = try await run(["aws", "iam", "create-policy", "--policy-name", name, "--path", path,
                                     "--policy-document", document])
        guard let arn = created["Policy"]?["Arn"]?.stringValue else {
            throw SandboxError.seedFailed(command: ["aws", "iam", "create-policy", "--policy-name", name],
                                          message: "no Policy.Arn in the answer")
        }
        return arn
    }

    func createRole(_ name: String, trustedService: String, boundaryARN: String? = nil) async throws {
        var argv = ["aws", "iam", "create-role", "--role-name", name, "--assume-role-policy-document",
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"\#(trustedService)"},"Action":"sts:AssumeRole"}]}"#]
        if let boundaryARN { argv += ["--permissions-boundary", boundaryARN] }
        try await run(argv)
    }

    func baseParameters(principal: String, action: String, resource: String, errorMessage: String) -> [String: String] {
        ["principal": principal, "action": action, "resource": resource, "region": Self.region,
         "account_id": Self.account, "time_frame": "1 hour ago", "error_message": errorMessage]
    }
}
