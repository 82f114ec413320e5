import Foundation
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook

/// Turns what the runbook's IAM and resource-policy reads captured into the `AccountSnapshot`
/// the evaluator reads: the principal with its own, group and managed policies, its boundary,
/// the resource's policy, and every one of them whose read failed.
///
/// ```swift
/// let snapshot = CapturedAccount.snapshot(captures: engine.captures, facts: engine.facts)
/// ```
public enum CapturedAccount {
    /// - Parameter failedReads: policy reads that failed (see `FailedPolicyRead`): each becomes
    ///   an unread policy, never "no policy" — of the resource, or of the principal
    ///   (`PrincipalPolicyReads`: its boundary, identity and group policies).
    /// - Parameters:
    ///   - parameters: the session's (`org_profile` says whose credentials read the organization).
    ///   - organizationNotInUse: `describe-organization` answered AWSOrganizationsNotInUseException
    ///     (see `OrganizationPolicyReads`).
    ///   - readerAccount: the account of the credentials that made the reads; default, the
    ///     `caller_account` capture of `get-caller-identity`.
    public static func snapshot(captures: [String: JSONValue], facts: [String: JSONValue],
                                failedReads: [String: FailedPolicyRead] = [:], parameters: [String: String] = [:],
                                organizationNotInUse: Bool = false, readerAccount: String? = nil) -> AccountSnapshot? {
        guard let principalArn = facts["principal.arn"]?.stringValue else { return nil }
        let account = facts["principal.account_id"]?.stringValue
        let partition = principalArn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
        var policies: [SnapshotPolicy] = []
        var groups: [String: [SnapshotPolicy]] = [:]

        for (capture, kind) in [("identity_policies", "user inline"), ("role_policies", "role inline")] {
            for (index, item) in list(captures[capture]).enumerated() {
                guard let document = item["document"] else { continue }
                policies.append(SnapshotPolicy(name: item["name"]?.stringValue ?? "\(kind) \(index + 1)", attachedTo: principalArn,
                                               file: "captures.\(capture)[\(index)]", document: document))
            }
        }
        for (index, item) in list(captures["managed_policies"]).enumerated() {
            guard let document = item["document"] else { continue }
            let arn = item["arn"]?.stringValue
            policies.append(SnapshotPolicy(name: arn.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "managed \(index + 1)",
                                           arn: arn, attachedTo: principalArn,
                                           file: "captures.managed_policies[\(index)]", document: document))
        }
        for (index, item) in list(captures["group_policies"]).enumerated() {
            guard let document = item["document"], let group = item["group"]?.stringValue else { continue }
            let groupArn = "arn:\(partition):iam::\(account ?? ""):group/\(group)"
            groups[groupArn, default: []].append(SnapshotPolicy(
                name: item["name"]?.stringValue ?? "group inline \(index + 1)", attachedTo: groupArn,
                file: "captures.group_policies[\(index)]", document: document))
        }
        for name in list(captures["group_names"]).compactMap(\.stringValue) {
            groups["arn:\(partition):iam::\(account ?? ""):group/\(name)", default: []] += []
        }
        let boundary = list(captures["boundary_policies"]).first.flatMap { item -> SnapshotPolicy? in
            guard let document = item["document"] else { return nil }
            let arn = item["arn"]?.stringValue
            return SnapshotPolicy(name: arn.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "permissions boundary",
                                  arn: arn, attachedTo: principalArn, file: "captures.boundary_policies[0]", document: document)
        }
        // IAM tags ({Key, Value} from get-user / get-role) become aws:PrincipalTag/<key>.
        var tags: [String: String] = [:]
        for tag in list(captures["user_tags"]) + list(captures["role_tags"]) {
            if let key = tag["Key"]?.stringValue, let value = tag["Value"]?.stringValue { tags[key] = value }
        }
        let kind = switch facts["principal.kind"]?.stringValue {
        case "user": "user"
        case "federated_user": "federated user"
        default: "role"
        }
        let holder = "\(kind) \(facts["principal.name"]?.stringValue ?? principalArn)"
        let organization = OrganizationPolicyReads.read(captures: captures, facts: facts, parameters: parameters,
                                                        failedReads: failedReads, notInUse: organizationNotInUse,
                                                        readerAccount: readerAccount ?? captures["caller_account"]?.stringValue)
        // RCPs on the same path: those of a resource in the principal's account (the evaluator
        // applies them only to such a resource, and only for the services RCPs restrict).
        let resourceControl = OrganizationPolicyReads.read(.resourceControlPolicies, captures: captures, facts: facts, parameters: parameters,
                                                           failedReads: failedReads, notInUse: organizationNotInUse,
                                                           readerAccount: readerAccount ?? captures["caller_account"]?.stringValue)
        let resourceAccount = resourceAccountControlPolicies(captures: captures, facts: facts, parameters: parameters,
                                                             failedReads: failedReads, organizationNotInUse: organizationNotInUse,
                                                             readerAccount: readerAccount ?? captures["caller_account"]?.stringValue)
        let sessionPolicies = SessionPolicyReads.read(captures: captures, facts: facts, failedReads: failedReads)
        // Unknown SCPs, RCPs and session policies go with the principal: they restrict its requests, as its own unread policies do.
        let unreadOwn = failedReads.values.sorted { $0.key < $1.key }
            .compactMap { PrincipalPolicyReads.unreadPolicy(for: $0, holder: holder) } + (organization.unread.map { [$0] } ?? [])
            + (resourceControl.unread.map { [$0] } ?? []) + sessionPolicies.unread
        // get-role's RoleId / get-user's UserId: names a caller the trail gives only by unique id.
        let principal = SnapshotPrincipal(arn: principalArn, uniqueId: (captures["role_unique_id"] ?? captures["user_unique_id"])?.stringValue,
                                          policies: policies, groups: groups.keys.sorted(),
                                          permissionsBoundary: boundary, tags: tags, unreadPolicies: unreadOwn,
                                          sessionPolicies: sessionPolicies.policies)

        let (resourcePolicies, unread) = resourcePolicies(captures: captures, facts: facts, failedReads: failedReads, partition: partition)
        let endpoint = endpointPolicies(captures: captures, facts: facts, failedReads: failedReads)
        return AccountSnapshot(accountId: account, managementAccountId: organization.managementAccount, principals: [principal],
                               groups: groups.sorted { $0.key < $1.key }.map { SnapshotGroup(arn: $0.key, policies: $0.value) },
                               resourcePolicies: resourcePolicies, unreadResourcePolicies: unread,
                               serviceControlPolicies: organization.levels, resourceControlPolicies: resourceControl.levels,
                               resourceAccountControlPolicies: resourceAccount.map { [$0] } ?? [],
                               vpcEndpointPolicies: endpoint.read, unreadVpcEndpointPolicies: endpoint.unread,
                               ownerFacts: ownerFacts(captures: captures, principalArn: principalArn)
                                   + resourceOwnerFacts(captures: captures, facts: facts, partition: partition),
                               s3Buckets: S3BucketControlReads.read(captures: captures, facts: facts, failedReads: failedReads).map { [$0] } ?? [])
    }

    /// The RCPs on the path of the account that owns the resource, when it is another account
    /// (`resource.other_account`) and step `check_resource_account_rcps` walked it, or its walk
    /// failed; nil when it was not walked (the evaluator keeps its stand-in).
    public static func resourceAccountControlPolicies(captures: [String: JSONValue], facts: [String: JSONValue],
                                                      parameters: [String: String], failedReads: [String: FailedPolicyRead],
                                                      organizationNotInUse: Bool, readerAccount: String?) -> ResourceAccountControlPolicies? {
        guard let account = facts["resource.other_account"]?.stringValue else { return nil }
        let read = OrganizationPolicyReads.read(.resourceAccountControlPolicies, captures: captures, facts: facts, parameters: parameters,
                                                failedReads: failedReads, notInUse: organizationNotInUse, readerAccount: readerAccount)
        guard read.managementAccount != nil || read.unread != nil else { return nil }
        return ResourceAccountControlPolicies(accountId: account, levels: read.levels, unread: read.unread)
    }

    /// Who owns the principal and its managed policies, as `get-role` / `get-user` (ARN with its
    /// path, `Path`, `Tags`) and `get-policy` (`Path`, `Tags`, `AttachmentCount`) answered.
    public static func ownerFacts(captures: [String: JSONValue], principalArn: String) -> [FixTargetFacts] {
        var found: [FixTargetFacts] = []
        for (arn, path, tags) in [("role_arn", "role_path", "role_tags"), ("user_arn", "user_path", "user_tags")] {
            guard captures[arn] != nil || captures[path] != nil || captures[tags] != nil else { continue }
            found.append(FixTargetFacts(arn: captures[arn]?.stringValue ?? principalArn, path: captures[path]?.stringValue,
                                        tags: FixTargetFacts.tags(fromIAM: captures[tags])))
        }
        var seen = Set<String>()
        for policy in list(captures["managed_policy_owner_facts"]) + list(captures["boundary_policy_owner_facts"]) {
            guard let arn = policy["Arn"]?.stringValue, seen.insert(arn).inserted else { continue }
            found.append(FixTargetFacts(arn: arn, path: policy["Path"]?.stringValue, tags: FixTargetFacts.tags(fromIAM: policy["Tags"]),
                                        attachmentCount: policy["AttachmentCount"]?.intValue))
        }
        return found
    }

    /// Who owns the denied resource, as its tags read (`get-bucket-tagging`'s `TagSet`, `kms
    /// list-resource-tags`' `Tags`): a bucket or key a stack or code made has its policy there too.
    public static func resourceOwnerFacts(captures: [String: JSONValue], facts: [String: JSONValue], partition: String) -> [FixTargetFacts] {
        switch facts["resource.policy_kind"]?.stringValue {
        case "bucket":
            guard let bucket = facts["resource.id"]?.stringValue, let tags = captures["bucket_tags"] else { return [] }
            return [FixTargetFacts(arn: "arn:\(partition):s3:::\(bucket)", tags: FixTargetFacts.tags(fromIAM: tags))]
        case "key":
            guard let arn = facts["resource.arn"]?.stringValue, let tags = captures["key_tags"]?.arrayValue else { return [] }
            // KMS names them TagKey / TagValue.
            let pairs = tags.compactMap { tag -> FixTargetFacts.Tag? in
                guard let key = tag["TagKey"]?.stringValue, let value = tag["TagValue"]?.stringValue else { return nil }
                return FixTargetFacts.Tag(key: key, value: value)
            }.sorted { $0.key < $1.key }
            return [FixTargetFacts(arn: arn, tags: pairs)]
        default:
            return []
        }
    }

    /// The capture of step `check_vpc_endpoint_policy`: `{id, vpc_id, document}` of the endpoint
    /// the request came through.
    public static let endpointPolicyCapture = "vpc_endpoint_policy"

    /// The policy of the VPC endpoint the request came through (`denial.vpc_endpoint_id`), as
    /// the runbook's `check_vpc_endpoint_policy` read captured it, or its failed read as unread.
    public static func endpointPolicies(captures: [String: JSONValue], facts: [String: JSONValue],
                                        failedReads: [String: FailedPolicyRead])
        -> (read: [SnapshotEndpointPolicy], unread: [SnapshotUnreadEndpointPolicy]) {
        if let captured = captures[endpointPolicyCapture], let id = captured["id"]?.stringValue, let document = captured["document"] {
            let name = SnapshotEndpointPolicy.name(of: id) + (captured["default_policy"]?.boolValue == true ? " (AWS's default, full access)" : "")
            return ([SnapshotEndpointPolicy(vpcEndpointId: id, vpcId: captured["vpc_id"]?.stringValue,
                                            policy: SnapshotPolicy(name: name, attachedTo: id, file: "captures.\(endpointPolicyCapture)",
                                                                   document: document))], [])
        }
        if let id = facts["denial.vpc_endpoint_id"]?.stringValue, let failed = failedReads[endpointPolicyCapture] {
            return ([], [SnapshotUnreadEndpointPolicy(vpcEndpointId: id, failedRead: failed.read, reason: failed.reason)])
        }
        return ([], [])
    }

    /// The resource's policies the runbook's resource-policy reads captured (by `resource.arn`,
    /// a bucket's under the bucket ARN), and the reads that failed as unread policies. A policy
    /// whydenied cannot evaluate as IAM (OpenSearch Serverless data access rules) is named as
    /// unread too, with its rules, so the verdict is Undecided rather than pretending.
    public static func resourcePolicies(captures: [String: JSONValue], facts: [String: JSONValue],
                                        failedReads: [String: FailedPolicyRead], partition: String)
        -> (read: [SnapshotResourcePolicy], unread: [SnapshotUnreadPolicy]) {
        var resourcePolicies: [SnapshotResourcePolicy] = []
        var unread: [SnapshotUnreadPolicy] = []
        let resourceID = facts["resource.id"]?.stringValue
        for row in ResourcePolicyService.all {
            guard var arn = facts["resource.arn"]?.stringValue, let kind = ResourcePolicyKind(rawValue: row.kind) else { continue }
            if kind == .s3BucketPolicy, let bucket = resourceID { arn = "arn:\(partition):s3:::\(bucket)" }
            // Named as the operator knows it: "bucket policy of analytics-data-bucket".
            var name = "\(row.label) of \(resourceID ?? arn)"
            let captured = captures[row.capture]
            if case .notIAMPolicy(let why) = row.evaluation, let policies = captured?.arrayValue, !policies.isEmpty {
                let named = policies.map { $0["name"]?.stringValue ?? "?" }.joined(separator: ", ")
                let rules = policies.map { $0["rules"]?.serialized() ?? "[]" }.joined(separator: " ")
                unread.append(SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: "\(row.label) \(named) of \(resourceID ?? arn)",
                                                   failedRead: nil, reason: "not evaluated: \(why). Its rules: \(rules)"))
            } else if case .notIAMPolicy(let why) = row.evaluation, let listed = row.lookups.last?.selects,
                      captures[listed.capture]?.arrayValue?.isEmpty == true {
                // None names it: the service then refuses data access, which IAM policies alone cannot show.
                unread.append(SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: "\(row.label) of \(resourceID ?? arn)", failedRead: nil,
                                                   reason: "no \(row.label) names it, and without one the service grants no data access; not evaluated: \(why)"))
            } else if var document = captured, case .object = document {
                // A key's grants are evaluated as Allow statements of its key policy; grants that
                // could not be listed are unread beside it (they could allow the caller).
                let grants = kind == .kmsKeyPolicy ? KMSGrantsParser.grants(captures[keyGrantsCapture]) : []
                if !grants.isEmpty {
                    document = KMSGrant.keyPolicy(document, with: grants)
                    name += " with its \(grants.count) grant(s)"
                }
                if kind == .kmsKeyPolicy, let failed = failedReads[keyGrantsCapture] {
                    unread.append(SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: "grants of key \(resourceID ?? arn)",
                                                       failedRead: failed.read, reason: failed.reason))
                }
                resourcePolicies.append(SnapshotResourcePolicy(
                    resourceArn: arn, kind: kind,
                    policy: SnapshotPolicy(name: name, attachedTo: arn, file: "captures.\(row.capture)", document: document)))
            } else if let failed = failedReads.first(where: { $0.key == row.capture || $0.value.capture == row.capture })?.value {
                unread.append(SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: name, failedRead: failed.read, reason: failed.reason))
            }
        }
        return (resourcePolicies, unread)
    }

    /// The capture of `kms list-grants` (step `check_resource_policies`): the key's grants, each
    /// one more Allow of its key policy. Its failed read is the key's grants unread.
    public static let keyGrantsCapture = "key_grants"

    /// The runbook captures that hold a resource's policy, from `ResourcePolicyService`.
    public static var resourcePolicyCaptures: [String] { ResourcePolicyService.all.map(\.capture) }

    static func list(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case .array(let items)?: return items
        case nil, .null?: return []
        case let single?: return [single]
        }
    }
}
