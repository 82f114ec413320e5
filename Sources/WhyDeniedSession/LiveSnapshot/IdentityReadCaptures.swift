import WhyDeniedJSON

/// What the runbook's identity reads (`PolicyReadRunbook.identityReadIDs`: `get-user`/`get-role`,
/// the list and get of inline, attached and group policies, the managed policies and the boundary)
/// would have captured for one user or role, built from `get-account-authorization-details`'
/// answer and the batch's `get-policy` / `get-policy-version` reads. `CapturedAccount` turns these
/// captures into the snapshot exactly as it turns the reads' own, so the verdicts are the same.
///
/// ```swift
/// let captures = IdentityReadCaptures.captures(forRole: "DataAnalystRole", in: details, managedPolicies: reads)
/// captures?["role_policies"]   // [{kind: role_inline, role, name, document}, …]
/// ```
public enum IdentityReadCaptures {
    /// One managed policy as the batch read it: `get-policy`'s `Policy` (its path, tags and
    /// attachment count: who owns it) and its default version's document.
    public struct ManagedPolicyRead: Sendable, Equatable {
        public var policy: JSONValue
        public var versionId: String
        public var document: JSONValue

        public init(policy: JSONValue, versionId: String, document: JSONValue) {
            self.policy = policy
            self.versionId = versionId
            self.document = document
        }
    }

    /// The managed policies `identity` needs, in the order the runbook reads them: its own
    /// attached ones, then its groups', deduplicated, and its boundary apart. Nil when one of its
    /// groups is not in the answer.
    public static func managedPolicyArns(of identity: AccountAuthorizationDetails.Identity,
                                         in details: AccountAuthorizationDetails) -> (attached: [String], boundary: String?)? {
        var arns = identity.attachedPolicyArns
        for name in identity.groupNames {
            guard let group = details.groups[name] else { return nil }
            arns += group.attachedPolicyArns
        }
        var seen = Set<String>()
        return (arns.filter { seen.insert($0).inserted }, identity.permissionsBoundaryArn)
    }

    public static func captures(forUser name: String, in details: AccountAuthorizationDetails,
                                managedPolicies: [String: ManagedPolicyRead]) -> [String: JSONValue]? {
        guard let user = details.users[name] else { return nil }
        var captures = entityCaptures(user, prefix: "user", inlinePoliciesKey: "identity_policies")
        captures["group_names"] = .array(user.groupNames.map(JSONValue.string))
        var groupAttached: [JSONValue] = []
        var groupInlineNames: [JSONValue] = []
        var groupPolicies: [JSONValue] = []
        for groupName in user.groupNames {
            guard let group = details.groups[groupName] else { return nil }
            groupAttached += group.attachedPolicyArns.map(JSONValue.string)
            for policy in group.inlinePolicies {
                groupInlineNames.append(.object(JSONObject([("item", .string(groupName)), ("value", .string(policy.name))])))
                groupPolicies.append(inline(kind: "group_inline", holderKey: "group", holder: groupName, policy: policy))
            }
        }
        if !user.groupNames.isEmpty {
            captures["attached_group_policy_arns"] = .array(groupAttached)
            captures["group_inline_policies"] = .array(groupInlineNames)
        }
        if !groupPolicies.isEmpty { captures["group_policies"] = .array(groupPolicies) }
        return withManagedPolicies(captures, of: user, in: details, reads: managedPolicies)
    }

    public static func captures(forRole name: String, in details: AccountAuthorizationDetails,
                                managedPolicies: [String: ManagedPolicyRead]) -> [String: JSONValue]? {
        guard let role = details.roles[name] else { return nil }
        let captures = entityCaptures(role, prefix: "role", inlinePoliciesKey: "role_policies")
        return withManagedPolicies(captures, of: role, in: details, reads: managedPolicies)
    }

    /// `get-user` / `get-role`'s captures (boundary ARN, unique id, tags, ARN and path) and its
    /// own policies' (attached ARNs, inline names, inline documents under `inlinePoliciesKey`):
    /// a user's and a role's keys differ only by the `user`/`role` prefix and that key.
    private static func entityCaptures(_ identity: AccountAuthorizationDetails.Identity, prefix: String,
                                       inlinePoliciesKey: String) -> [String: JSONValue] {
        var captures: [String: JSONValue] = [
            "\(prefix)_arn": .string(identity.arn),
            "attached_\(prefix)_policy_arns": .array(identity.attachedPolicyArns.map(JSONValue.string)),
            "\(prefix)_inline_policy_names": .array(identity.inlinePolicies.map { .string($0.name) }),
        ]
        if !identity.inlinePolicies.isEmpty {
            captures[inlinePoliciesKey] = .array(identity.inlinePolicies.map {
                inline(kind: "\(prefix)_inline", holderKey: prefix, holder: identity.name, policy: $0)
            })
        }
        if let boundary = identity.permissionsBoundaryArn { captures["\(prefix)_boundary_arns"] = .array([.string(boundary)]) }
        if let id = identity.uniqueId { captures["\(prefix)_unique_id"] = .string(id) }
        if let tags = identity.tags, !tags.isNull { captures["\(prefix)_tags"] = tags }
        if let path = identity.path { captures["\(prefix)_path"] = .string(path) }
        return captures
    }

    /// The managed policies' and boundary's captures; nil when one of them was not read.
    private static func withManagedPolicies(_ captures: [String: JSONValue], of identity: AccountAuthorizationDetails.Identity,
                                            in details: AccountAuthorizationDetails,
                                            reads: [String: ManagedPolicyRead]) -> [String: JSONValue]? {
        guard let (attached, boundary) = managedPolicyArns(of: identity, in: details) else { return nil }
        var captures = captures
        for (arns, prefix, documents) in [(attached, "managed_policy", "managed_policies"),
                                          (boundary.map { [$0] } ?? [], "boundary_policy", "boundary_policies")] where !arns.isEmpty {
            var versions: [JSONValue] = []
            var owners: [JSONValue] = []
            var read: [JSONValue] = []
            for arn in arns {
                guard let policy = reads[arn] else { return nil }
                versions.append(.object(JSONObject([("item", .string(arn)), ("value", .string(policy.versionId))])))
                owners.append(policy.policy)
                read.append(.object(JSONObject([("kind", .string("managed")), ("arn", .string(arn)),
                                                ("version", .string(policy.versionId)), ("document", policy.document)])))
            }
            captures[prefix == "managed_policy" ? "managed_policy_versions" : "boundary_versions"] = .array(versions)
            captures["\(prefix)_owner_facts"] = .array(owners)
            captures[documents] = .array(read)
        }
        return captures
    }

    /// `get-user-policy` / `get-role-policy` / `get-group-policy` through the `policy_document` parser.
    private static func inline(kind: String, holderKey: String, holder: String,
                               policy: AccountAuthorizationDetails.InlinePolicy) -> JSONValue {
        .object(JSONObject([("kind", .string(kind)), (holderKey, .string(holder)), ("name", .string(policy.name)),
                            ("document", policy.document)]))
    }
}
