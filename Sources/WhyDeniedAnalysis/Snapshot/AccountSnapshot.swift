import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON

/// What the runbook fetched from one AWS account, saved as plain JSON files so that analysis runs
/// offline: identity policies by principal (and their groups), permissions boundaries,
/// resource-based policies by resource ARN, SCPs and RCPs by organization level, and VPC
/// endpoint policies. `index.json` names every file; docs/analysis.md describes the format.
///
/// ```swift
/// let snapshot = try AccountSnapshot.load(from: URL(fileURLWithPath: "snapshot"))
/// let role = snapshot.principal(for: PrincipalIdentity(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s")!)
/// snapshot.resourcePolicies(for: "arn:aws:s3:::analytics-data-bucket/q1.csv")   // the bucket policy
/// ```
public struct AccountSnapshot: Sendable {
    public static let formatName = "whydenied-account-snapshot"
    public static let formatVersion = 1

    public let accountId: String?
    public let capturedAt: String?
    /// The organization's management account, when known (SCPs do not apply to it).
    public let managementAccountId: String?
    public let principals: [SnapshotPrincipal]
    public let groups: [SnapshotGroup]
    public let resourcePolicies: [SnapshotResourcePolicy]
    /// Resource-based policies whose read failed, by resource ARN.
    public let unreadResourcePolicies: [SnapshotUnreadPolicy]
    /// Root first, the account last.
    public let serviceControlPolicies: [OrganizationPolicyLevel]
    /// Root first, the account last.
    public let resourceControlPolicies: [OrganizationPolicyLevel]
    /// The RCP paths of other accounts that own resources the principals asked for.
    public let resourceAccountControlPolicies: [ResourceAccountControlPolicies]
    public let vpcEndpointPolicies: [SnapshotEndpointPolicy]
    /// VPC endpoints whose policy read failed: the policy applies, its words are unknown.
    public let unreadVpcEndpointPolicies: [SnapshotUnreadEndpointPolicy]
    /// What was read about who owns each role, user and managed policy (path, tags, attachment
    /// count): the facts `FixTargetOwner` judges a fix target by.
    public let ownerFacts: [FixTargetFacts]
    /// S3 buckets' Block Public Access, Object Ownership and ACL, with the owner account's Block
    /// Public Access (see `S3BucketAccessControls`).
    public let s3Buckets: [S3BucketAccessControls]

    public init(accountId: String? = nil, capturedAt: String? = nil, managementAccountId: String? = nil,
                principals: [SnapshotPrincipal] = [], groups: [SnapshotGroup] = [],
                resourcePolicies: [SnapshotResourcePolicy] = [],
                unreadResourcePolicies: [SnapshotUnreadPolicy] = [],
                serviceControlPolicies: [OrganizationPolicyLevel] = [],
                resourceControlPolicies: [OrganizationPolicyLevel] = [],
                resourceAccountControlPolicies: [ResourceAccountControlPolicies] = [],
                vpcEndpointPolicies: [SnapshotEndpointPolicy] = [],
                unreadVpcEndpointPolicies: [SnapshotUnreadEndpointPolicy] = [],
                ownerFacts: [FixTargetFacts] = [], s3Buckets: [S3BucketAccessControls] = []) {
        self.accountId = accountId
        self.capturedAt = capturedAt
        self.managementAccountId = managementAccountId
        self.principals = principals
        self.groups = groups
        self.resourcePolicies = resourcePolicies
        self.unreadResourcePolicies = unreadResourcePolicies
        self.serviceControlPolicies = serviceControlPolicies
        self.resourceControlPolicies = resourceControlPolicies
        self.resourceAccountControlPolicies = resourceAccountControlPolicies
        self.vpcEndpointPolicies = vpcEndpointPolicies
        self.unreadVpcEndpointPolicies = unreadVpcEndpointPolicies
        self.ownerFacts = ownerFacts
        self.s3Buckets = s3Buckets
        var owners: [String: Int] = [:]
        for (offset, facts) in ownerFacts.enumerated() {
            if let key = FixTargetFacts.iamEntityKey(facts.arn), owners[key] == nil { owners[key] = offset }
        }
        ownerFactsByEntity = owners
        var byArn: [String: Int] = [:]
        var byKindAndName: [String: Int] = [:]
        var byUniqueId: [String: String] = [:]
        for (offset, principal) in principals.enumerated() {
            byArn[principal.arn] = offset
            if let uniqueId = principal.uniqueId { byUniqueId[uniqueId] = principal.arn }
            if let identity = PrincipalIdentity(arn: principal.arn), let name = identity.name {
                byKindAndName[Self.lookupKey(identity.kind, identity.accountId, name)] = offset
            }
        }
        principalsByArn = byArn
        principalArnsByUniqueId = byUniqueId
        principalsByKindAndName = byKindAndName
        groupsByArn = Dictionary(groups.enumerated().map { ($1.arn, $0) }, uniquingKeysWith: { first, _ in first })
        var resources: [String: [Int]] = [:]
        for (offset, entry) in resourcePolicies.enumerated() {
            resources[entry.resourceArn, default: []].append(offset)
        }
        resourcePoliciesByArn = resources
    }

    // Hashed lookups; the batch analyser asks these once per event.
    private let principalsByArn: [String: Int]
    private let principalsByKindAndName: [String: Int]
    /// Role and user ARNs by IAM unique id (`AROA…`, `AIDA…`), for callers a trail names only by id.
    public let principalArnsByUniqueId: [String: String]
    private let groupsByArn: [String: Int]
    private let resourcePoliciesByArn: [String: [Int]]
    private let ownerFactsByEntity: [String: Int]

    private static func lookupKey(_ kind: WhyDeniedEvidence.PrincipalKind, _ account: String?, _ name: String) -> String {
        "\(kind.rawValue)/\(account ?? "")/\(name)"
    }

    // MARK: Lookups

    /// The user or role behind an identity. An assumed-role session resolves to its role by
    /// account and role name, because a session ARN does not carry the role's path.
    public func principal(for identity: PrincipalIdentity) -> SnapshotPrincipal? {
        if let arn = identity.arn, let found = principalsByArn[arn] { return principals[found] }
        guard let name = identity.name else { return nil }
        let kind: WhyDeniedEvidence.PrincipalKind = identity.kind == .assumedRole ? .role : identity.kind
        return principalsByKindAndName[Self.lookupKey(kind, identity.accountId, name)].map { principals[$0] }
    }

    /// The role or user with this IAM unique id (`AROA…` role id, `AIDA…` user id).
    public func principal(uniqueId: String) -> SnapshotPrincipal? {
        principalArnsByUniqueId[uniqueId].flatMap { principalsByArn[$0] }.map { principals[$0] }
    }

    /// What was read about who owns the role, user or managed policy `arn` names (its ARN as
    /// read, with its path): `ownerFacts`, or a principal's tags alone when only they were read
    /// (a snapshot written before owner facts); the ARN alone when nothing was read.
    public func fixTargetFacts(for arn: String) -> FixTargetFacts {
        if let key = FixTargetFacts.iamEntityKey(arn), let found = ownerFactsByEntity[key] { return ownerFacts[found] }
        // A resource (a bucket) is named by its ARN alone.
        if let found = ownerFacts.first(where: { $0.arn == arn }) { return found }
        if let principal = PrincipalIdentity(arn: arn).flatMap(principal(for:)), !principal.tags.isEmpty {
            return FixTargetFacts(arn: arn, tags: principal.tags.sorted { $0.key < $1.key }.map { FixTargetFacts.Tag(key: $0.key, value: $0.value) })
        }
        return FixTargetFacts(arn: arn)
    }

    /// The group with this ARN.
    public func group(arn: String) -> SnapshotGroup? {
        groupsByArn[arn].map { groups[$0] }
    }

    /// Every identity-based policy that applies to the principal: its own, then each group's.
    public func identityPolicies(for principal: SnapshotPrincipal) -> [SnapshotPolicy] {
        principal.policies + principal.groups.flatMap { group(arn: $0)?.policies ?? [] }
    }

    /// The resource-based policies that govern `resourceArn`: those stored under it, and for an
    /// S3 object (`arn:aws:s3:::bucket/key`) the bucket's policy.
    public func resourcePolicies(for resourceArn: String) -> [SnapshotResourcePolicy] {
        var found = resourcePoliciesByArn[resourceArn] ?? []
        if let bucket = Self.bucketArn(ofObject: resourceArn), let bucketPolicies = resourcePoliciesByArn[bucket] {
            found += bucketPolicies
        }
        return found.map { resourcePolicies[$0] }
    }

    /// The resource-based policies of `resourceArn` (and of its bucket, for an S3 object) whose
    /// read failed.
    public func unreadResourcePolicies(for resourceArn: String) -> [SnapshotUnreadPolicy] {
        let bucket = Self.bucketArn(ofObject: resourceArn)
        return unreadResourcePolicies.filter { $0.resourceArn == resourceArn || $0.resourceArn == bucket }
    }

    /// A bucket whose policy the snapshot holds (read, or its read failed) without its S3
    /// settings: a snapshot written before whydenied read them (`s3Buckets` is optional in
    /// index.json). Each setting is unread then, never "not set"; nil for any other resource.
    public func unreadS3Settings(for resourceArn: String) -> S3BucketAccessControls? {
        guard let fields = ResourceARNParts(resourceArn), fields.service == "s3", fields.account.isEmpty,
              let bucket = fields.resource.split(separator: "/", maxSplits: 1).first.map(String.init),
              !s3Buckets.contains(where: { $0.bucket == bucket }) else { return nil }
        let held = resourcePolicies(for: resourceArn).contains { $0.kind == .s3BucketPolicy }
            || unreadResourcePolicies(for: resourceArn).contains { $0.kind == .s3BucketPolicy }
        guard held else { return nil }
        let reason = "the snapshot holds the policy of bucket \(bucket) but not its S3 settings (written before whydenied read them); "
            + "take the snapshot again to read them"
        var controls = S3BucketAccessControls(bucket: bucket)
        controls.accountBlock = .unread(read: "aws s3control get-public-access-block", reason: reason)
        controls.bucketBlock = .unread(read: "aws s3api get-public-access-block --bucket \(bucket)", reason: reason)
        controls.objectOwnership = .unread(read: "aws s3api get-bucket-ownership-controls --bucket \(bucket)", reason: reason)
        controls.acl = .unread(read: "aws s3api get-bucket-acl --bucket \(bucket)", reason: reason)
        return controls
    }

    /// The policy of a VPC endpoint, by id.
    public func vpcEndpointPolicy(id: String) -> SnapshotEndpointPolicy? {
        vpcEndpointPolicies.first { $0.vpcEndpointId == id }
    }

    /// The failed read of a VPC endpoint's policy, by id.
    public func unreadVpcEndpointPolicy(id: String) -> SnapshotUnreadEndpointPolicy? {
        unreadVpcEndpointPolicies.first { $0.vpcEndpointId == id }
    }

    /// Total number of policy documents held.
    public var policyCount: Int {
        principals.reduce(0) { $0 + $1.policies.count + ($1.permissionsBoundary == nil ? 0 : 1) + $1.sessionPolicies.count }
            + groups.reduce(0) { $0 + $1.policies.count }
            + resourcePolicies.count
            + serviceControlPolicies.reduce(0) { $0 + $1.policies.count }
            + resourceControlPolicies.reduce(0) { $0 + $1.policies.count }
            + resourceAccountControlPolicies.flatMap(\.levels).reduce(0) { $0 + $1.policies.count }
            + vpcEndpointPolicies.count
    }

    static func bucketArn(ofObject arn: String) -> String? {
        let prefix = arn.hasPrefix("arn:aws:s3:::") ? "arn:aws:s3:::" : nil
            ?? ["arn:aws-cn:s3:::", "arn:aws-us-gov:s3:::"].first { arn.hasPrefix($0) }
        guard let prefix else { return nil }
        let rest = arn.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return prefix + rest[..<slash]
    }
}
