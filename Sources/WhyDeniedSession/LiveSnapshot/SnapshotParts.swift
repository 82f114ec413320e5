import WhyDeniedAnalysis
import WhyDeniedJSON

/// Collects what each read found into one snapshot: principals, groups and resource policies
/// kept once each, and every policy given a file of its own under the snapshot folder
/// (`principals/role-DataAnalystRole/inline.json`, `policies/111122223333-AnalystS3ReadOnly.json`,
/// `groups/Analysts/Inline.json`, `resource-policies/s3BucketPolicy/analytics-data-bucket.json`).
/// A managed policy attached to several principals shares one file.
struct SnapshotParts {
    var principals: [SnapshotPrincipal] = []
    var groups: [SnapshotGroup] = []
    var resourcePolicies: [SnapshotResourcePolicy] = []
    var unread: [SnapshotUnreadPolicy] = []
    /// The home account's SCP and RCP paths and management account, from the first principal that read them.
    var serviceControlPolicies: [OrganizationPolicyLevel] = []
    var resourceControlPolicies: [OrganizationPolicyLevel] = []
    var managementAccountId: String?
    /// The RCP paths of other accounts that own resources read, once per account.
    var resourceAccountControlPolicies: [ResourceAccountControlPolicies] = []
    var endpoints: [SnapshotEndpointPolicy] = []
    var unreadEndpoints: [SnapshotUnreadEndpointPolicy] = []
    /// Who owns each principal and managed policy read (path, tags, attachment count), once each.
    var ownerFacts: [FixTargetFacts] = []
    /// S3 buckets' Block Public Access, Object Ownership and ACL, once per bucket.
    var s3Buckets: [S3BucketAccessControls] = []

    mutating func add(principal captured: AccountSnapshot, home: Bool = true) {
        for facts in captured.ownerFacts where !ownerFacts.contains(where: { $0.arn == facts.arn }) {
            ownerFacts.append(facts)
        }
        if home, serviceControlPolicies.isEmpty, !captured.serviceControlPolicies.isEmpty {
            serviceControlPolicies = Self.filed(captured.serviceControlPolicies, folder: "organization/scp")
        }
        if home, resourceControlPolicies.isEmpty, !captured.resourceControlPolicies.isEmpty {
            resourceControlPolicies = Self.filed(captured.resourceControlPolicies, folder: "organization/rcp")
        }
        if home, managementAccountId == nil { managementAccountId = captured.managementAccountId }
        for principal in captured.principals where !principals.contains(where: { $0.arn == principal.arn }) {
            let folder = "principals/" + Self.fileName(principal.arn.split(separator: ":").last.map(String.init) ?? principal.arn)
            var filed = principal
            filed.policies = principal.policies.map { Self.filed($0, inline: folder) }
            filed.permissionsBoundary = principal.permissionsBoundary.map { Self.filed($0, inline: folder + "/boundary") }
            filed.sessionPolicies = principal.sessionPolicies.map { Self.filed($0, inline: folder + "/session") }
            principals.append(filed)
        }
        for group in captured.groups where !groups.contains(where: { $0.arn == group.arn }) {
            let folder = "groups/" + Self.fileName(group.arn.split(separator: "/").last.map(String.init) ?? group.arn)
            groups.append(SnapshotGroup(arn: group.arn, policies: group.policies.map { Self.filed($0, inline: folder) }))
        }
    }

    func snapshot(accountId: String?, capturedAt: String) -> AccountSnapshot {
        var kept: [SnapshotResourcePolicy] = []
        for entry in resourcePolicies where !kept.contains(where: { $0.resourceArn == entry.resourceArn && $0.kind == entry.kind }) {
            var filed = entry
            filed.policy.file = "resource-policies/\(entry.kind.rawValue)/\(Self.fileName(Self.resourceName(entry.resourceArn))).json"
            kept.append(filed)
        }
        var unreadKept: [SnapshotUnreadPolicy] = []
        for entry in unread where !unreadKept.contains(where: { $0.resourceArn == entry.resourceArn && $0.kind == entry.kind })
            && !kept.contains(where: { $0.resourceArn == entry.resourceArn && $0.kind == entry.kind }) {
            unreadKept.append(entry)
        }
        var endpointsKept: [SnapshotEndpointPolicy] = []
        for entry in endpoints where !endpointsKept.contains(where: { $0.vpcEndpointId == entry.vpcEndpointId }) {
            var filed = entry
            filed.policy.file = "vpc-endpoint-policies/\(Self.fileName(entry.vpcEndpointId)).json"
            endpointsKept.append(filed)
        }
        var unreadEndpointsKept: [SnapshotUnreadEndpointPolicy] = []
        for entry in unreadEndpoints where !unreadEndpointsKept.contains(where: { $0.vpcEndpointId == entry.vpcEndpointId })
            && !endpointsKept.contains(where: { $0.vpcEndpointId == entry.vpcEndpointId }) {
            unreadEndpointsKept.append(entry)
        }
        return AccountSnapshot(accountId: accountId, capturedAt: capturedAt, managementAccountId: managementAccountId,
                               principals: principals, groups: groups,
                               resourcePolicies: kept, unreadResourcePolicies: unreadKept,
                               serviceControlPolicies: serviceControlPolicies, resourceControlPolicies: resourceControlPolicies,
                               resourceAccountControlPolicies: resourceAccountControlPolicies.map { path in
                                   var filed = path
                                   filed.levels = Self.filed(path.levels, folder: "organization/rcp")
                                   return filed
                               },
                               vpcEndpointPolicies: endpointsKept, unreadVpcEndpointPolicies: unreadEndpointsKept,
                               ownerFacts: ownerFacts, s3Buckets: s3Buckets)
    }

    /// Each organization policy in a file of its own under `folder`, by its id.
    static func filed(_ levels: [OrganizationPolicyLevel], folder: String) -> [OrganizationPolicyLevel] {
        levels.map { level in
            var filed = level
            filed.policies = level.policies.map { policy in
                var policy = policy
                policy.file = "\(folder)/\(fileName(policy.arn ?? policy.name)).json"
                return policy
            }
            return filed
        }
    }

    /// A managed policy (or boundary) goes under `policies/` by its ARN; an inline one in `folder`.
    static func filed(_ policy: SnapshotPolicy, inline folder: String) -> SnapshotPolicy {
        var filed = policy
        if let arn = policy.arn, let range = arn.range(of: ":policy/") {
            // arn:partition:iam::ACCOUNT:policy/…; the region field is empty, so keep empty fields.
            let account = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
            filed.file = "policies/\(fileName(account + "-" + arn[range.upperBound...]))"
        } else {
            filed.file = "\(folder)/\(fileName(policy.name))"
        }
        filed.file += ".json"
        return filed
    }

    /// The part of a resource ARN after the service's fields (`analytics-data-bucket`, `key/1234…`).
    static func resourceName(_ arn: String) -> String {
        arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? arn
    }

    /// Letters, digits, `.`, `_` and `-` kept; anything else (a `/`, a space) becomes `_`, so a
    /// name never leaves its folder.
    static func fileName(_ text: some StringProtocol) -> String {
        let kept = text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" }
        let name = String(kept)
        return name.allSatisfy { $0 == "." } ? "_" + name : name
    }
}
