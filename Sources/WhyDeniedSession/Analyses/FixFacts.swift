import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook

/// The `fix.*` facts the runbook's implement step reads, from a `LeastPrivilegeFix`. Only fixes
/// the runbook knows how to apply get a `fix.kind` (a `FixApplication`'s, which renders the
/// step's commands from these facts); the others (edit a Deny, meet a condition,
/// key policies, SCPs) are shown to the operator and left to them.
///
/// ```swift
/// FixFacts.facts(for: fix, resourceService: "s3api", resourceID: "reports")["fix.kind"]   // "role_inline_policy"
/// ```
public enum FixFacts {
    /// - Parameter defaultVersions: managed policy ARN → its default version id, as read in
    ///   the session (a boundary fix becomes a new version only when its current one is known).
    ///   - owner: who owns the fix's target (`FixPlacement`); a target its owner would revert or
    ///     refuses edits gets no `fix.kind`, so no direct apply is offered: `fix.owner` and
    ///     `fix.not_applied` (why) instead.
    public static func facts(for fix: LeastPrivilegeFix, resourceService: String?, resourceID: String?,
                             defaultVersions: [String: String] = [:], owner: FixTargetOwner = .direct,
                             permissionSet: PermissionSetRead? = nil) -> [String: JSONValue] {
        guard fix.kind == .addAllow, let add = fix.policiesToAdd.first else { return [:] }
        if case .identityCenter(let set) = owner, add.target == .roleInlinePolicy {
            return permissionSetFacts(add, permissionSet: set, read: permissionSet)
        }
        if let withheld = owner.directApplyWithheld {
            return ["fix.owner": .string(owner.kind), "fix.not_applied": .string(withheld)]
        }
        var facts: [String: JSONValue] = [
            "fix.policy_name": .string(add.policyName),
            "fix.policy_document": add.policy,
        ]
        switch add.target {
        case .userInlinePolicy: facts["fix.kind"] = .string(InlinePolicyApplication(principal: .user).kind)
        case .roleInlinePolicy: facts["fix.kind"] = .string(InlinePolicyApplication(principal: .role).kind)
        case .resourcePolicy where resourceService == "s3api":
            facts["fix.kind"] = .string(BucketPolicyApplication().kind)
            if let resourceID { facts["fix.bucket"] = .string(resourceID) }
            // The bucket policy as it was, plus the new statement; a bucket with none gets the statement alone.
            if let document = add.replacementDocument { facts["fix.policy_document"] = document }
        case .roleTrustPolicy:
            // Written whole, so only when the current trust policy was read: its statements stay.
            guard let document = add.replacementDocument,
                  let role = add.attachmentTargetArn.split(separator: "/").last.map(String.init) else { return [:] }
            facts["fix.kind"] = .string(TrustPolicyApplication().kind)
            facts["fix.role"] = .string(role)
            facts["fix.policy_document"] = document
        case .permissionsBoundary:
            // A new default version of the boundary: the whole document, old statements kept.
            let arn = add.attachmentTargetArn
            guard arn.contains(":policy/"), let document = add.replacementDocument,
                  let current = defaultVersions[arn] else { return [:] }
            facts["fix.kind"] = .string(PolicyVersionApplication().kind)
            facts["fix.policy_arn"] = .string(arn)
            facts["fix.current_version"] = .string(current)
            facts["fix.policy_document"] = document
        default:
            return [:]
        }
        return facts
    }

    /// What the session read about an Identity Center role's permission set (`check_iam`'s
    /// `sso-admin` reads): the instance, the permission set matched by name, and its inline
    /// policy as the API returned it (text; "" or nil when it has none).
    public struct PermissionSetRead: Sendable, Equatable {
        public var instanceArn: String
        public var permissionSetArn: String
        public var inlinePolicy: String?

        public init(instanceArn: String, permissionSetArn: String, inlinePolicy: String?) {
            self.instanceArn = instanceArn
            self.permissionSetArn = permissionSetArn
            self.inlinePolicy = inlinePolicy
        }

        /// From the captures `sso_instance_arn`, `permission_set_arn` and `permission_set_inline_policy`;
        /// nil unless the permission set was found (and its inline policy read).
        public static func from(captures: [String: JSONValue]) -> PermissionSetRead? {
            guard let instance = captures["sso_instance_arn"]?.stringValue,
                  let set = captures["permission_set_arn"]?.arrayValue?.first?.stringValue,
                  let inline = captures["permission_set_inline_policy"] else { return nil }
            return PermissionSetRead(instanceArn: instance, permissionSetArn: set, inlinePolicy: inline.arrayValue?.first?.stringValue)
        }
    }

    /// An Identity Center role's grant goes to its permission set: the set's inline policy, its
    /// statements kept and the new ones added, put and provisioned. Without the set read (no
    /// rights in the account that administers Identity Center) nothing is applied, and why.
    static func permissionSetFacts(_ add: PolicyToAdd, permissionSet name: String, read: PermissionSetRead?) -> [String: JSONValue] {
        guard let read else {
            return ["fix.owner": .string("identity-center"),
                    "fix.not_applied": .string("Not applied: the role is IAM Identity Center's (permission set \(name)), and its permission set could not be read here (sso-admin reads need the management account or a delegated administrator: give org_profile). Change the permission set (the report carries it as Terraform and CloudFormation).")]
        }
        let newStatements = add.policy["Statement"].map { $0.arrayValue ?? [$0] } ?? []
        var document: JSONValue = add.policy
        if let text = read.inlinePolicy, !text.isEmpty {
            guard let current = try? JSONValue.parse(text), case .object(var merged) = current else {
                return ["fix.owner": .string("identity-center"),
                        "fix.not_applied": .string("Not applied: the inline policy of permission set \(name) is not a JSON policy document whydenied can extend.")]
            }
            let existing = current["Statement"].map { $0.arrayValue ?? [$0] } ?? []
            merged["Statement"] = .array(existing + newStatements)
            document = .object(merged)
        }
        return [
            "fix.kind": .string(PermissionSetPolicyApplication().kind),
            "fix.policy_name": .string(add.policyName),
            "fix.permission_set": .string(name),
            "fix.instance_arn": .string(read.instanceArn),
            "fix.permission_set_arn": .string(read.permissionSetArn),
            "fix.policy_document": document,
        ]
    }

    /// Managed policy ARN → default version id, from the session's policy captures
    /// (`boundary_policies` and `managed_policies` entries carry `arn` and `version`).
    public static func defaultVersions(captures: [String: JSONValue]) -> [String: String] {
        var versions: [String: String] = [:]
        for name in ["boundary_policies", "managed_policies"] {
            guard case .array(let items)? = captures[name] else { continue }
            for item in items {
                if let arn = item["arn"]?.stringValue, let version = item["version"]?.stringValue { versions[arn] = version }
            }
        }
        return versions
    }
}
