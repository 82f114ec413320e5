/// An IAM user or role in a snapshot: its own policies, its groups, its boundary and tags.
///
/// Example: role `arn:aws:iam::111122223333:role/DataAnalystRole` (unique id
/// `AROAEXAMPLEROLEID0001`) with managed policy `AnalystS3Read` and no boundary.
public struct SnapshotPrincipal: Sendable, Hashable {
    public var arn: String
    /// The IAM unique id: `Role.RoleId` (`AROA…`) of `get-role`, `User.UserId` (`AIDA…`) of
    /// `get-user`. A cross-account caller's trail entry (`AWSAccount`) names only this id.
    public var uniqueId: String?
    public var policies: [SnapshotPolicy]
    /// Group ARNs (users only).
    public var groups: [String]
    public var permissionsBoundary: SnapshotPolicy?
    public var tags: [String: String]
    /// Its boundary or identity policies whose read failed (a list call that failed stands for
    /// the whole set it enumerates): not "no policy", but policies whose words are unknown.
    public var unreadPolicies: [UnreadPolicy]
    /// The session policies (inline and managed) passed when the caller's session was issued
    /// (AssumeRole …, read from its CloudTrail event): they limit that session, not the role.
    public var sessionPolicies: [SnapshotPolicy]

    public init(arn: String, uniqueId: String? = nil, policies: [SnapshotPolicy] = [], groups: [String] = [],
                permissionsBoundary: SnapshotPolicy? = nil, tags: [String: String] = [:],
                unreadPolicies: [UnreadPolicy] = [], sessionPolicies: [SnapshotPolicy] = []) {
        self.arn = arn
        self.uniqueId = uniqueId
        self.policies = policies
        self.groups = groups
        self.permissionsBoundary = permissionsBoundary
        self.tags = tags
        self.unreadPolicies = unreadPolicies
        self.sessionPolicies = sessionPolicies
    }
}

/// An IAM group and its policies, e.g. `arn:aws:iam::111122223333:group/Analysts`.
public struct SnapshotGroup: Sendable, Hashable {
    public var arn: String
    public var policies: [SnapshotPolicy]

    public init(arn: String, policies: [SnapshotPolicy] = []) {
        self.arn = arn
        self.policies = policies
    }
}

/// The kinds of resource-based policy a snapshot can hold: one per `ResourcePolicyService` row
/// (a test checks they match), and `other`.
public enum ResourcePolicyKind: String, Sendable, Hashable, CaseIterable {
    case s3BucketPolicy
    case kmsKeyPolicy
    case roleTrustPolicy
    case sqsQueuePolicy
    case snsTopicPolicy
    case lambdaFunctionPolicy
    case secretsManagerSecretPolicy
    case ecrRepositoryPolicy
    case s3AccessPointPolicy
    case eventBridgeBusPolicy
    case efsFileSystemPolicy
    case glueCatalogPolicy
    case apiGatewayRestApiPolicy
    case backupVaultPolicy
    case codeArtifactRepositoryPolicy
    case codeArtifactDomainPolicy
    case openSearchServerlessDataAccessPolicy
    case other

    /// How the evaluator treats it: trust and key policies must allow; the others may grant.
    public var policyType: PolicyType {
        switch self {
        case .roleTrustPolicy: return .roleTrustPolicy
        case .kmsKeyPolicy: return .kmsKeyPolicy
        default: return .resourceBased
        }
    }
}

/// A resource-based policy whose read failed (whydenied's own AccessDenied, no connection, a
/// service error): not "no policy", but a policy whose words are unknown. The evaluator gets it
/// as an `UnreadPolicy`.
///
/// Example: `s3BucketPolicy` of `arn:aws:s3:::analytics-data-bucket`, read
/// `aws s3api get-bucket-policy --bucket analytics-data-bucket`, reason "no connection: …".
public struct SnapshotUnreadPolicy: Sendable, Hashable {
    public var resourceArn: String
    public var kind: ResourcePolicyKind
    public var name: String
    public var failedRead: String?
    public var reason: String

    public init(resourceArn: String, kind: ResourcePolicyKind, name: String, failedRead: String?, reason: String) {
        self.resourceArn = resourceArn
        self.kind = kind
        self.name = name
        self.failedRead = failedRead
        self.reason = reason
    }

    public var unreadPolicy: UnreadPolicy {
        UnreadPolicy(type: kind.policyType, name: name, failedRead: failedRead, reason: reason)
    }
}

/// A resource-based policy (bucket policy, key policy, trust policy, …) keyed by resource ARN.
///
/// Example: `s3BucketPolicy` on `arn:aws:s3:::analytics-data-bucket`.
public struct SnapshotResourcePolicy: Sendable, Hashable {
    public var resourceArn: String
    public var kind: ResourcePolicyKind
    public var policy: SnapshotPolicy

    public init(resourceArn: String, kind: ResourcePolicyKind, policy: SnapshotPolicy) {
        self.resourceArn = resourceArn
        self.kind = kind
        self.policy = policy
    }
}

/// One level of the organization tree for SCPs or RCPs: 0 is the root, then each OU, the
/// account last. Every level must allow a request; its policies are what is attached there.
///
/// Example: level 0 target `r-abcd` with `FullAWSAccess`.
public struct OrganizationPolicyLevel: Sendable, Hashable {
    public var level: Int
    public var target: String
    public var policies: [SnapshotPolicy]

    public init(level: Int, target: String, policies: [SnapshotPolicy]) {
        self.level = level
        self.target = target
        self.policies = policies
    }
}

/// A VPC endpoint and its policy, e.g. `vpce-0a1b2c3d` in `vpc-1234`.
public struct SnapshotEndpointPolicy: Sendable, Hashable {
    public var vpcEndpointId: String
    public var vpcId: String?
    public var policy: SnapshotPolicy

    public init(vpcEndpointId: String, vpcId: String? = nil, policy: SnapshotPolicy) {
        self.vpcEndpointId = vpcEndpointId
        self.vpcId = vpcId
        self.policy = policy
    }
}

/// A VPC endpoint whose policy read failed (`ec2 describe-vpc-endpoints` refused, no
/// connection, an answer without the endpoint): its policy applies to every request through it,
/// but its words are unknown. The evaluator gets it as an `UnreadPolicy`.
///
/// Example: `vpce-0a1b2c3d`, read `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-0a1b2c3d`,
/// reason "AccessDenied: … not authorized to perform: ec2:DescribeVpcEndpoints".
public struct SnapshotUnreadEndpointPolicy: Sendable, Hashable {
    public var vpcEndpointId: String
    public var failedRead: String?
    public var reason: String

    public init(vpcEndpointId: String, failedRead: String?, reason: String) {
        self.vpcEndpointId = vpcEndpointId
        self.failedRead = failedRead
        self.reason = reason
    }

    public var unreadPolicy: UnreadPolicy {
        UnreadPolicy(type: .vpcEndpointPolicy, name: SnapshotEndpointPolicy.name(of: vpcEndpointId), failedRead: failedRead, reason: reason)
    }
}

extension SnapshotEndpointPolicy {
    /// How an endpoint's policy is named to the operator: `policy of VPC endpoint vpce-0a1b2c3d`.
    public static func name(of vpcEndpointId: String) -> String { "policy of VPC endpoint \(vpcEndpointId)" }
}
