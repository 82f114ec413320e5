import WhyDeniedJSON

/// `list-policy-versions` → the version that must go before a new one fits: the oldest
/// non-default one when the policy already holds the maximum (5), nothing otherwise. A policy
/// whose versions are all default (cannot happen in IAM) yields nothing, and the precondition
/// on the new version then blocks with the reason.
enum PolicyVersionToDeleteParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        guard output["Versions"]?.arrayValue != nil else {
            throw OutputParsers.ParseError(parser: "policy_version_to_delete", reason: "no Versions list in the output")
        }
        let versions = ManagedPolicyVersion.list(fromListPolicyVersionsOutput: output)
        guard versions.count >= PolicyQuota.versionsPerManagedPolicy,
              let oldest = ManagedPolicyVersion.oldestNonDefault(in: versions) else { return .null }
        return .string(oldest.id)
    }
}
