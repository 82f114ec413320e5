import WhyDeniedAnalysis
import WhyDeniedJSON

/// After a change: evaluates the denied request again with the changed policy in place of the
/// old one, so the operator sees "now allowed" (or what still denies) before retrying for real.
/// `simulate-principal-policy` (in the plan's `verification`) asks IAM the same question where
/// it is available.
///
/// ```swift
/// let result = try ChangeVerification.evaluate(request, policies: before,
///                                              replacing: plan.target, with: newDocument)
/// result.decision   // .allowed
/// ```
public enum ChangeVerification {
    /// The policy set with the target's document replaced (or added when the policy is new).
    public static func policies(_ policies: PolicySet, replacing target: PolicyChangeTarget,
                                with newDocument: JSONValue) throws(PolicyParseError) -> PolicySet {
        let document = try PolicyDocument.parse(json: newDocument)
        var changed = policies
        switch target {
        case .managedPolicy(let arn, _):
            if let index = changed.identityPolicies.firstIndex(where: { $0.arn == arn }) {
                changed.identityPolicies[index].document = document
            } else if changed.permissionsBoundary?.arn == arn {
                changed.permissionsBoundary?.document = document
            } else {
                changed.identityPolicies.append(AttachedPolicy(name: String(arn.split(separator: "/").last ?? ""), arn: arn, document: document))
            }
        case .newManagedPolicy(let name, let account, let partition, let owner, _):
            changed.identityPolicies.append(AttachedPolicy(
                name: name, arn: "arn:\(partition):iam::\(account):policy/\(name)", document: document,
                attachment: PolicyAttachment(holder: holder(owner), holderName: owner.name, isManaged: true)))
        case .inlinePolicy(let owner, let name, _, _):
            let attachment = PolicyAttachment(holder: holder(owner), holderName: owner.name, isManaged: false)
            if let index = changed.identityPolicies.firstIndex(where: { $0.name == name && $0.attachment == attachment }) {
                changed.identityPolicies[index].document = document
            } else {
                changed.identityPolicies.append(AttachedPolicy(name: name, document: document, attachment: attachment))
            }
        case .bucketPolicy(let bucket, _):
            let owner = changed.resourcePolicy?.ownerAccount
            changed.resourcePolicy = AttachedPolicy(name: "bucket policy of \(bucket)", document: document, ownerAccount: owner)
        case .trustPolicy(let role, _):
            let owner = changed.roleTrustPolicy?.ownerAccount
            changed.roleTrustPolicy = AttachedPolicy(name: changed.roleTrustPolicy?.name ?? "trust policy of \(role)",
                                                     document: document, ownerAccount: owner)
        }
        return changed
    }

    public static func evaluate(_ request: AuthorizationRequest, policies: PolicySet, replacing target: PolicyChangeTarget,
                                with newDocument: JSONValue,
                                evaluator: PolicyEvaluator = PolicyEvaluator()) throws(PolicyParseError) -> EvaluationResult {
        evaluator.evaluate(request, against: try Self.policies(policies, replacing: target, with: newDocument))
    }

    private static func holder(_ owner: InlinePolicyOwner) -> PolicyAttachment.Holder {
        switch owner {
        case .user: .user
        case .role: .role
        case .group: .group
        }
    }
}
