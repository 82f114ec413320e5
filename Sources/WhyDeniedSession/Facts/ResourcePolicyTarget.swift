import WhyDeniedJSON

/// Which CLI service holds a resource's policy and the id its get-policy command takes, from the
/// resource ARN: the `resource.service` / `resource.id` facts.
///
/// ```swift
/// ResourcePolicyTarget(arn: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv")
/// // service "s3api", id "analytics-data-bucket"
/// ```
public struct ResourcePolicyTarget: Sendable, Equatable {
    public var arn: String
    public var service: String
    public var id: String

    public init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        let resource = parts[5]
        self.arn = arn
        switch parts[2] {
        case "s3":
            guard let bucket = resource.split(separator: "/").first, !bucket.isEmpty else { return nil }
            service = "s3api"; id = String(bucket)
        case "kms":
            guard resource.hasPrefix("key/") || resource.hasPrefix("alias/") else { return nil }
            service = "kms"; id = resource.hasPrefix("key/") ? String(resource.dropFirst(4)) : arn
        case "sqs": service = "sqs"; id = resource
        case "sns": service = "sns"; id = arn
        case "lambda":
            guard resource.hasPrefix("function:") else { return nil }
            service = "lambda"; id = String(resource.dropFirst("function:".count).split(separator: ":").first ?? "")
        case "secretsmanager": service = "secretsmanager"; id = arn
        case "ecr":
            guard resource.hasPrefix("repository/") else { return nil }
            service = "ecr"; id = String(resource.dropFirst("repository/".count))
        case "aoss":
            guard resource.hasPrefix("collection/") else { return nil }
            service = "opensearchserverless"; id = String(resource.dropFirst("collection/".count))
        case "iam":
            guard resource.hasPrefix("role/") else { return nil }
            service = "iam"; id = String(resource.split(separator: "/").last ?? "")
        default:
            return nil
        }
    }

    public var facts: [String: JSONValue] {
        ["resource.arn": .string(arn), "resource.service": .string(service), "resource.id": .string(id)]
    }
}
