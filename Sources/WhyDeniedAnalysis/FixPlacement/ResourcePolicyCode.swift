import WhyDeniedJSON

/// Where a resource policy lives in Terraform and CloudFormation, by the resource ARN's service.
/// A service missing here gets no code rendering (its fix is shown as CLI commands only).
enum ResourcePolicyCode {
    struct Placement {
        var terraform: String
        var cloudFormationType: String
        var properties: [(key: String, value: JSONValue)]
    }

    static func place(arn: String, local: String, policyJSON: String, document: JSONValue) -> Placement? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6 else { return nil }
        let (service, region, account, resource) = (parts[2], parts[3], parts[4], parts[5])
        let q = PolicyDocumentHCL.quoted
        switch service {
        case "s3":
            let bucket = String(resource.split(separator: "/").first ?? Substring(resource))
            return Placement(terraform: FixAsCode.block("aws_s3_bucket_policy", local, [("bucket", q(bucket)), ("policy", policyJSON)]),
                             cloudFormationType: "AWS::S3::BucketPolicy",
                             properties: [("Bucket", .string(bucket)), ("PolicyDocument", document)])
        case "sqs":
            let url = "https://sqs.\(region).amazonaws.com/\(account)/\(resource)"
            return Placement(terraform: FixAsCode.block("aws_sqs_queue_policy", local, [("queue_url", q(url)), ("policy", policyJSON)]),
                             cloudFormationType: "AWS::SQS::QueuePolicy",
                             properties: [("Queues", .array([.string(url)])), ("PolicyDocument", document)])
        case "sns":
            return Placement(terraform: FixAsCode.block("aws_sns_topic_policy", local, [("arn", q(arn)), ("policy", policyJSON)]),
                             cloudFormationType: "AWS::SNS::TopicPolicy",
                             properties: [("Topics", .array([.string(arn)])), ("PolicyDocument", document)])
        case "secretsmanager":
            return Placement(terraform: FixAsCode.block("aws_secretsmanager_secret_policy", local, [("secret_arn", q(arn)), ("policy", policyJSON)]),
                             cloudFormationType: "AWS::SecretsManager::ResourcePolicy",
                             properties: [("SecretId", .string(arn)), ("ResourcePolicy", document)])
        case "ecr":
            let repository = resource.hasPrefix("repository/") ? String(resource.dropFirst("repository/".count)) : resource
            return Placement(terraform: FixAsCode.block("aws_ecr_repository_policy", local, [("repository", q(repository)), ("policy", policyJSON)]),
                             cloudFormationType: "AWS::ECR::Repository",
                             properties: [("RepositoryName", .string(repository)), ("RepositoryPolicyText", document)])
        default:
            return nil
        }
    }
}
