/// Decides an S3 request when some of the bucket's own settings (Block Public Access of the
/// account or the bucket, Object Ownership, the bucket's or the object's ACL) could not be read. Each of them only takes
/// access away as it gets stricter, so the request is evaluated with every unread setting at its
/// most restrictive value and at its most permissive (`S3BucketAccessControls.assumptions`). The
/// same verdict every way decides it (the notes say the settings could not change it); different
/// verdicts make it Undecided, naming each unread setting, its failed read and what each value
/// would decide, or, when an unread policy keeps it open anyway, naming that policy first.
///
/// ```swift
/// S3SettingResolution(controls: controls).resolve { assumed in evaluate(request, with: assumed) }
/// ```
struct S3SettingResolution {
    let controls: S3BucketAccessControls

    func resolve(evaluate: (S3BucketAccessControls) -> EvaluationResult) -> EvaluationResult {
        let unread = controls.unread
        let results = controls.assumptions.map(evaluate)
        let restrictive = results[0]
        // The loosest, or any other assumption that decides otherwise (Object Ownership flipped).
        let permissive = results.dropFirst().first { $0.decision != restrictive.decision } ?? results[1]
        var result = restrictive
        result.unreadPolicies += unread
        if restrictive.decision == permissive.decision {
            result.notes += unread.map { "\($0); the request is \(UnreadPolicyResolution.describe(restrictive)) whatever it says" }
            return result
        }
        let one = unread.count == 1
        let they = one ? "it" : "they"
        if permissive.decision == .undecided {
            // A policy that could not be read keeps it open anyway: that policy stays the one
            // named, and the settings are said beside it with what they would decide.
            var open = permissive
            open.unreadPolicies += unread.filter { !open.unreadPolicies.contains($0) }
            open.missingContextKeys = Set(restrictive.missingContextKeys + permissive.missingContextKeys).sorted()
            open.deciding.summary += " Also \(unread.map(\.description).joined(separator: "; ")); "
                + "if \(they) \(one ? "restricts" : "restrict") access: \(UnreadPolicyResolution.describe(restrictive))."
            return open
        }
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
