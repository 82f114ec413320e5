/// Decides an S3 request when some of the bucket's own settings (Block Public Access of the
/// account or the bucket, Object Ownership, the ACL) could not be read. Each of them only takes
/// access away as it gets stricter, so the request is evaluated twice: with every unread setting
/// at its most restrictive value and at its most permissive. The same verdict both ways decides
/// it (the notes say the settings could not change it); different verdicts make it Undecided,
/// naming each unread setting, its failed read and what each value would decide.
///
/// ```swift
/// S3SettingResolution(controls: controls).resolve { assumed in evaluate(request, with: assumed) }
/// ```
struct S3SettingResolution {
    let controls: S3BucketAccessControls

    func resolve(evaluate: (S3BucketAccessControls) -> EvaluationResult) -> EvaluationResult {
        let unread = controls.unread
        let restrictive = evaluate(controls.assuming(restrictive: true))
        let permissive = evaluate(controls.assuming(restrictive: false))
        var result = restrictive
        result.unreadPolicies += unread
        if restrictive.decision == permissive.decision {
            result.notes += unread.map { "\($0); the request is \(UnreadPolicyResolution.describe(restrictive)) whatever it says" }
            return result
        }
        let one = unread.count == 1
        let they = one ? "it" : "they"
        result.decision = .undecided
        result.missingContextKeys = Set(restrictive.missingContextKeys + permissive.missingContextKeys).sorted()
        result.deciding = DecidingReason(
            policyType: .resourceBased, policy: unread.first?.reference, statement: nil, supportingStatements: [],
            summary: "Undecided: \(unread.map(\.description).joined(separator: "; ")), and the verdict depends on \(they): "
                + "if \(they) \(one ? "restricts" : "restrict") access (RestrictPublicBuckets / IgnorePublicAcls on, ACLs disabled): "
                + "\(UnreadPolicyResolution.describe(restrictive)); "
                + "if not: \(UnreadPolicyResolution.describe(permissive)).")
        return result
    }
}
