import WhyDeniedAnalysis
import WhyDeniedJSON

/// The `fix.*` facts the runbook's implement step reads, from a `LeastPrivilegeFix`. Only fixes
/// the runbook knows how to apply get a `fix.kind`; the others (edit a Deny, meet a condition,
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
                             defaultVersions: [String: String] = [:], owner: FixTargetOwner = .direct) -> [String: JSONValue] {
        guard fix.kind == .addAllow, let add = fix.policiesToAdd.first else { return [:] }
        if let withheld = owner.directApplyWithheld {
            return ["fix.owner": .string(owner.kind), "fix.not_applied": .string(withheld)]
        }
        var facts: [String: JSONValue] = [
            "fix.policy_name": .string(add.policyName),
            "fix.policy_document": add.policy,
        ]
        switch add.target {
        case .userInlinePolicy: facts["fix.kind"] = .string("user_inline_policy")
        case .roleInlinePolicy: facts["fix.kind"] = .string("role_inline_policy")
        case .resourcePolicy where resourceService == "s3api":
            facts["fix.kind"] = .string("bucket_policy")
            if let resourceID { facts["fix.bucket"] = .string(resourceID) }
            // The bucket policy as it was, plus the new statement; a bucket with none gets the statement alone.
            if let document = add.replacementDocument { facts["fix.policy_document"] = document }
        case .roleTrustPolicy:
            // Written whole, so only when the current trust policy was read: its statements stay.
            guard let document = add.replacementDocument,
                  let role = add.attachmentTargetArn.split(separator: "/").last.map(String.init) else { return [:] }
            facts["fix.kind"] = .string("trust_policy")
            facts["fix.role"] = .string(role)
            facts["fix.policy_document"] = document
        case .permissionsBoundary:
            // A new default version of the boundary: the whole document, old statements kept.
            let arn = add.attachmentTargetArn
            guard arn.contains(":policy/"), let document = add.replacementDocument,
                  let current = defaultVersions[arn] else { return [:] }
            facts["fix.kind"] = .string("new_policy_version")
            facts["fix.policy_arn"] = .string(arn)
            facts["fix.current_version"] = .string(current)
            facts["fix.policy_document"] = document
        default:
            return [:]
        }
        return facts
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
