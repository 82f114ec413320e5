import WhyDeniedAnalysis
import WhyDeniedJSON

/// The `fix.*` facts the runbook's implement step reads, from a `LeastPrivilegeFix`. Only fixes
/// the runbook knows how to apply get a `fix.kind`; the others (edit a Deny, meet a condition,
/// key or trust policies) are shown to the operator and left to them.
///
/// ```swift
/// FixFacts.facts(for: fix, principalKind: "role")["fix.kind"]   // "role_inline_policy"
/// ```
public enum FixFacts {
    public static func facts(for fix: LeastPrivilegeFix, resourceService: String?, resourceID: String?) -> [String: JSONValue] {
        guard fix.kind == .addAllow, let add = fix.policiesToAdd.first else { return [:] }
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
        default:
            return [:]
        }
        return facts
    }
}
