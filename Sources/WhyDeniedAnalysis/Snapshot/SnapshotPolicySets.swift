import WhyDeniedEvidence
import WhyDeniedJSON

/// An account snapshot with every policy document parsed once, ready to hand the evaluator the
/// `PolicySet` for each request. A document that does not parse only fails the requests that
/// need it, with the file and JSON path named.
///
/// ```swift
/// let sets = SnapshotPolicySets(try AccountSnapshot.load(from: dir))
/// let selection = try sets.policySet(for: request)
/// PolicyEvaluator().evaluate(request, against: selection.policies)
/// ```
public struct SnapshotPolicySets: Sendable {
    public let snapshot: AccountSnapshot
    private let documents: [String: PolicyDocument]
    private let problems: [String: PolicyParseError]

    /// The policies for one request, and what the snapshot could not say about it.
    public struct Selection: Sendable {
        public var policies: PolicySet
        /// False when the caller is not in the snapshot, so its identity policies are unknown.
        public var callerIsKnown: Bool
        public var notes: [String]
    }

    public init(_ snapshot: AccountSnapshot) {
        self.snapshot = snapshot
        var documents: [String: PolicyDocument] = [:]
        var problems: [String: PolicyParseError] = [:]
        var all: [SnapshotPolicy] = snapshot.principals.flatMap { $0.policies + ($0.permissionsBoundary.map { [$0] } ?? []) + $0.sessionPolicies }
        all += snapshot.groups.flatMap(\.policies)
        all += snapshot.resourcePolicies.map(\.policy)
        all += (snapshot.serviceControlPolicies + snapshot.resourceControlPolicies
                + snapshot.resourceAccountControlPolicies.flatMap(\.levels)).flatMap(\.policies)
        all += snapshot.vpcEndpointPolicies.map(\.policy)
        for policy in all where documents[policy.file] == nil && problems[policy.file] == nil {
            do {
                documents[policy.file] = try PolicyDocument.parse(json: policy.document)
            } catch {
                problems[policy.file] = error
            }
        }
        self.documents = documents
        self.problems = problems
    }

    /// Files whose document is not a valid policy, with the problem.
    public var invalidPolicies: [(file: String, error: PolicyParseError)] {
        problems.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private func attached(_ policy: SnapshotPolicy, attachment: PolicyAttachment? = nil,
                          ownerAccount: String? = nil) throws -> AttachedPolicy {
        if let problem = problems[policy.file] {
            throw AccountSnapshotError(file: policy.file, path: problem.path, problem: "policy \"\(policy.name)\" is not valid: \(problem.message)")
        }
        guard let document = documents[policy.file] else {
            throw AccountSnapshotError(file: policy.file, problem: "policy \"\(policy.name)\" was not loaded")
        }
        return AttachedPolicy(name: policy.name, arn: policy.arn, document: document, attachment: attachment,
                              ownerAccount: ownerAccount)
    }

    /// Chooses the policies that apply to `request`: the caller's identity policies (its own and
    /// its groups'), its boundary, the SCPs when the caller is in the snapshot's account, the
    /// RCPs and resource-side policy when the resource is, and the VPC endpoint policy named by
    /// `aws:SourceVpce`.
    public func policySet(for request: AuthorizationRequest) throws -> Selection {
        var set = PolicySet()
        var notes: [String] = []
        set.managementAccount = snapshot.managementAccountId
        let caller = request.principal
        let lookupArn = caller.kind == .assumedRole ? (caller.roleArn ?? caller.arn) : caller.arn
        // A caller known only by its account has unknown identity policies by nature: the
        // evaluator keeps that side unknown itself, so the resource side can still decide.
        var callerIsKnown = caller.kind == .service || caller.kind == .anonymous || caller.kind == .root || caller.kind == .accountOnly
        if let identity = PrincipalIdentity(arn: lookupArn), let principal = snapshot.principal(for: identity) {
            callerIsKnown = true
            let holder: PolicyAttachment.Holder = identity.kind == .iamUser ? .user : .role
            let holderName = identity.name ?? principal.arn
            for policy in principal.policies {
                set.identityPolicies.append(try attached(policy, attachment: PolicyAttachment(holder: holder, holderName: holderName, isManaged: !policy.isInline)))
            }
            for groupArn in principal.groups {
                guard let group = snapshot.group(arn: groupArn) else {
                    notes.append("The snapshot lists group \(groupArn) for \(holderName) but not the group's policies.")
                    continue
                }
                // A group ARN is `…:group/[path/]Name`; the CLI takes the bare name.
                let groupName = String(groupArn.split(separator: "/").last ?? "")
                for policy in group.policies {
                    set.identityPolicies.append(try attached(policy, attachment: PolicyAttachment(holder: .group, holderName: groupName, isManaged: !policy.isInline)))
                }
            }
            if let boundary = principal.permissionsBoundary {
                set.permissionsBoundary = try attached(boundary, attachment: PolicyAttachment(holder: holder, holderName: holderName, isManaged: true))
            }
            // Session policies limit the session they were passed to, never the role itself.
            if caller.kind == .assumedRole || caller.kind == .federatedUser {
                set.sessionPolicies = try principal.sessionPolicies.map { try attached($0) }
            }
            set.unreadPolicies += principal.unreadPolicies
        } else if !callerIsKnown {
            notes.append("The snapshot has no policies for \(lookupArn): its identity-based policies and boundary are unknown.")
        }

        let inSnapshotAccount: (String?) -> Bool = { account in
            guard let mine = snapshot.accountId else { return true }
            return account == nil || account == mine
        }
        // Another account's organization path is not in the snapshot: unknown, never absent.
        if inSnapshotAccount(caller.account) {
            set.serviceControlPolicies = try snapshot.serviceControlPolicies.map(level)
        } else if let other = caller.account {
            set.unreadPolicies.append(.organizationPath(.serviceControlPolicy, of: other, holding: snapshot.accountId))
        }
        if inSnapshotAccount(request.resource?.account) {
            set.resourceControlPolicies = try snapshot.resourceControlPolicies.map(level)
        } else if let other = request.resource?.account {
            // The resource's own account's path, when it was walked; the stand-in otherwise.
            if let path = snapshot.resourceAccountControlPolicies.first(where: { $0.accountId == other }) {
                if let unread = path.unread {
                    set.unreadPolicies.append(unread)
                } else {
                    set.resourceControlPolicies = try path.levels.map(level)
                }
            } else {
                set.unreadPolicies.append(.organizationPath(.resourceControlPolicy, of: other, holding: snapshot.accountId))
            }
        }

        if let resource = request.resource {
            let action = request.action.lowercased()
            for entry in snapshot.resourcePolicies(for: resource.arn) {
                let owner = resource.account ?? snapshot.accountId
                let policy = try attached(entry.policy, ownerAccount: owner)
                switch entry.kind {
                case .roleTrustPolicy: set.roleTrustPolicy = policy
                case .kmsKeyPolicy: set.keyPolicy = policy
                default:
                    if action.hasPrefix("sts:") || action.hasPrefix("kms:") { continue }
                    set.resourcePolicy = policy
                }
            }
            // S3: the bucket's Block Public Access, Object Ownership and ACL, owned by the resource's account.
            if var controls = snapshot.s3Buckets.first(where: { S3BucketAccessRules.applies($0, to: request) })
                ?? snapshot.unreadS3Settings(for: resource.arn) {
                controls.ownerAccount = controls.ownerAccount ?? resource.account ?? snapshot.accountId
                set.s3Bucket = controls
                if let rules = S3BucketAccessRules(controls: controls, request: request), let key = rules.objectKey,
                   controls.aclsEnabled, controls.objectACLs[key] == nil,
                   S3ObjectACL.governedActions.contains(action) {
                    // Read with the object (snapshot --resource arn:aws:s3:::bucket/key), not the bucket.
                    notes.append("The snapshot does not hold the \(S3BucketAccessControls.objectACLName(key, in: controls.bucket)) "
                                 + "(snapshot --resource arn:aws:s3:::\(controls.bucket)/\(key) reads it): not weighed.")
                }
            }
            for entry in snapshot.unreadResourcePolicies(for: resource.arn) {
                if entry.kind.policyType == .resourceBased, action.hasPrefix("sts:") || action.hasPrefix("kms:") { continue }
                set.unreadPolicies.append(entry.unreadPolicy)
            }
        }
        if case .present(let value) = request.context.lookup("aws:SourceVpce"), let id = value.values.first {
            if let endpoint = snapshot.vpcEndpointPolicy(id: id) {
                set.vpcEndpointPolicy = try attached(endpoint.policy)
            } else if let unread = snapshot.unreadVpcEndpointPolicy(id: id) {
                set.unreadPolicies.append(unread.unreadPolicy)
            } else {
                // Every request through an endpoint passes its policy: one not given is unknown, never absent.
                set.unreadPolicies.append(UnreadPolicy(type: .vpcEndpointPolicy, name: SnapshotEndpointPolicy.name(of: id),
                                                       reason: "the request came through VPC endpoint \(id), and the snapshot does not hold its policy"))
            }
        }
        return Selection(policies: set, callerIsKnown: callerIsKnown, notes: notes)
    }

    private func level(_ level: OrganizationPolicyLevel) throws -> OrganizationLevel {
        let name = level.level == 0 ? "root (\(level.target))" : level.target
        return OrganizationLevel(name: name, policies: try level.policies.map { try attached($0) })
    }
}
