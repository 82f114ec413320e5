import Foundation

/// Names one AWS service goes by: the CloudTrail `eventSource` host, the prefix its IAM actions
/// use, and the `aws` CLI command that talks to it. They differ more often than one would hope
/// (`monitoring.amazonaws.com` is `cloudwatch` for both IAM and the CLI; S3's resource-policy
/// commands live under `s3api`; OpenSearch Serverless is `aoss` in IAM and
/// `opensearchserverless` in the CLI).
///
/// ```swift
/// let s3 = AWSService(eventSource: "s3.amazonaws.com")
/// s3.iamPrefix    // "s3"
/// s3.cliCommand   // "s3api"
/// ```
public struct AWSService: Sendable, Hashable {
    /// The host part of `eventSource` without `.amazonaws.com` (`s3`, `monitoring`, `aoss`).
    public let endpointName: String
    public let iamPrefix: String
    /// Nil for sources no CLI command serves (`signin`, console-only services).
    public let cliCommand: String?

    /// Endpoint name → (IAM prefix, CLI command) where either differs from the endpoint name.
    static let exceptions: [String: (iam: String, cli: String?)] = [
        "s3": ("s3", "s3api"),
        "monitoring": ("cloudwatch", "cloudwatch"),
        "aoss": ("aoss", "opensearchserverless"),
        "es": ("es", "es"),
        "states": ("states", "stepfunctions"),
        "elasticfilesystem": ("elasticfilesystem", "efs"),
        "elasticloadbalancing": ("elasticloadbalancing", "elbv2"),
        "config": ("config", "configservice"),
        "tagging": ("tag", "resourcegroupstaggingapi"),
        "access-analyzer": ("access-analyzer", "accessanalyzer"),
        "sso": ("sso", "sso-admin"),
        "sso-directory": ("sso-directory", "identitystore"),
        "identitystore": ("identitystore", "identitystore"),
        "signin": ("signin", nil),
        "email": ("ses", "ses"),
        "ses": ("ses", "ses"),
        "execute-api": ("execute-api", nil),
        "apigateway": ("apigateway", "apigateway"),
        "streams.dynamodb": ("dynamodb", "dynamodbstreams"),
        "kinesisanalytics": ("kinesisanalytics", "kinesisanalyticsv2"),
        "cognito-identity": ("cognito-identity", "cognito-identity"),
        "cognito-idp": ("cognito-idp", "cognito-idp"),
        "ecr-public": ("ecr-public", "ecr-public"),
        "eks-auth": ("eks-auth", nil),
        "secretsmanager": ("secretsmanager", "secretsmanager"),
        "iam": ("iam", "iam"),
        "sts": ("sts", "sts"),
        "logs": ("logs", "logs"),
        "events": ("events", "events"),
        "application-autoscaling": ("application-autoscaling", "application-autoscaling"),
        "autoscaling": ("autoscaling", "autoscaling"),
        "bedrock": ("bedrock", "bedrock"),
        "servicecatalog": ("servicecatalog", "servicecatalog"),
        "sagemaker": ("sagemaker", "sagemaker"),
        "codecommit": ("codecommit", "codecommit"),
        "ram": ("ram", "ram"),
        "route53resolver": ("route53resolver", "route53resolver"),
        "health": ("health", "health"),
        "ce": ("ce", "ce"),
        "kafka": ("kafka", "kafka"),
        "rds-data": ("rds-data", "rds-data"),
        "lex": ("lex", "lexv2-models"),
        "iot": ("iot", "iot"),
        "mq": ("mq", "mq"),
        "acm-pca": ("acm-pca", "acm-pca"),
        "inspector2": ("inspector2", "inspector2"),
        "guardduty": ("guardduty", "guardduty"),
        "securityhub": ("securityhub", "securityhub"),
        "organizations": ("organizations", "organizations"),
        "cloudtrail": ("cloudtrail", "cloudtrail"),
        "cloudformation": ("cloudformation", "cloudformation"),
        "cloudfront": ("cloudfront", "cloudfront"),
        "athena": ("athena", "athena"),
        "glue": ("glue", "glue"),
        "lambda": ("lambda", "lambda"),
        "kms": ("kms", "kms"),
        "sqs": ("sqs", "sqs"),
        "sns": ("sns", "sns"),
        "dynamodb": ("dynamodb", "dynamodb"),
        "ec2": ("ec2", "ec2"),
        "ssm": ("ssm", "ssm"),
        "ecr": ("ecr", "ecr"),
        "ecs": ("ecs", "ecs"),
        "eks": ("eks", "eks"),
        "rds": ("rds", "rds"),
    ]

    /// Reads an `eventSource` (`s3.amazonaws.com`, `monitoring.amazonaws.com`,
    /// `lambda.amazonaws.com.cn`) or a bare endpoint name (`s3`). Nil for text that is not one.
    public init?(eventSource: String) {
        var host = eventSource.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in [".amazonaws.com.cn", ".amazonaws.com", ".amazon.com"] where host.hasSuffix(suffix) {
            host = String(host.dropLast(suffix.count))
            break
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else { return nil }
        endpointName = host
        if let known = Self.exceptions[host] {
            iamPrefix = known.iam
            cliCommand = known.cli
        } else {
            iamPrefix = host
            cliCommand = host
        }
    }
}
