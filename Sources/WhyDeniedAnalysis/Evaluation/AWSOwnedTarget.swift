/// Targets that AWS owns and refuses to let any policy change: AWS managed policies, the roles
/// IAM Identity Center creates (`/aws-reserved/sso.amazonaws.com/`), and the `alias/aws/*` aliases
/// of AWS managed KMS keys. A write to one is denied whatever the policies say, so the verdict
/// names this platform rule instead of blaming a policy.
///
/// ```swift
/// AWSOwnedTarget.refusal(for: request)
/// // "arn:aws:iam::aws:policy/ReadOnlyAccess is an AWS managed policy; AWS does not let anyone change it"
/// ```
public enum AWSOwnedTarget {
    public static func refusal(for request: AuthorizationRequest) -> String? {
        guard let arn = request.resource?.arn, let parts = ArnParts(arn) else { return nil }
        let actionName = String(request.action.split(separator: ":", maxSplits: 1).last ?? "")
        let isRead = ["Get", "List", "Describe", "Simulate", "Generate"].contains { actionName.lowercased().hasPrefix($0.lowercased()) }
        guard !isRead else { return nil }
        let service = request.servicePrefix
        if service == "iam", parts.service == "iam", parts.account == "aws", parts.resource.hasPrefix("policy/") {
            return "\(arn) is an AWS managed policy; AWS does not let anyone change it"
        }
        if service == "iam", parts.service == "iam", parts.resource.hasPrefix("role/aws-reserved/sso.amazonaws.com/") {
            return "\(arn) is a role that IAM Identity Center manages; change it through its permission set instead"
        }
        let aliasActions = ["createalias", "deletealias", "updatealias"]
        if service == "kms", parts.service == "kms", parts.resource.hasPrefix("alias/aws/"),
           aliasActions.contains(actionName.lowercased()) {
            return "\(arn) is an alias of an AWS managed key; AWS does not let anyone change it"
        }
        return nil
    }
}
