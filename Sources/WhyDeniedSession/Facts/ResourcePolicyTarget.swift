import WhyDeniedJSON
import WhyDeniedRunbook

/// Which `ResourcePolicyService` row reads a resource's policy and the names its read takes, from
/// the resource ARN: the `resource.*` facts.
///
/// ```swift
/// ResourcePolicyTarget(arn: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv")
/// // service "s3api", id "analytics-data-bucket", policy.name "bucket"
/// ```
public struct ResourcePolicyTarget: Sendable, Equatable {
    public var arn: String
    public var policy: ResourcePolicyService
    public var id: String
    public var parentId: String?
    public var accountId: String

    public init?(arn: String) {
        guard let (service, name) = ResourcePolicyService.row(forArn: arn) else { return nil }
        self.arn = arn
        policy = service
        id = name.id
        parentId = name.parent
        accountId = ResourcePolicyService.ARNFields(arn)?.account ?? ""
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        (lhs.arn, lhs.policy.name, lhs.id, lhs.parentId, lhs.accountId) == (rhs.arn, rhs.policy.name, rhs.id, rhs.parentId, rhs.accountId)
    }

    /// The object's key when the ARN names an object in a bucket (`reports/q3.csv`): its ACL is read too.
    public var objectKey: String? {
        guard policy.name == "bucket", let resource = ResourcePolicyService.ARNFields(arn)?.resource else { return nil }
        let parts = resource.split(separator: "/", maxSplits: 1)
        return parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil
    }

    /// The CLI service that holds the policy (`s3api`, `events`).
    public var service: String { policy.cliService }

    public var facts: [String: JSONValue] {
        var facts: [String: JSONValue] = [
            "resource.arn": .string(arn), "resource.service": .string(service), "resource.id": .string(id),
            "resource.policy_kind": .string(policy.name), "resource.account_id": .string(accountId),
        ]
        if let parentId { facts["resource.parent_id"] = .string(parentId) }
        if let objectKey { facts["resource.object_key"] = .string(objectKey) }
        return facts
    }
}
