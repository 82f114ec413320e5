import WhyDeniedJSON

/// One row of the table of services whose resources carry a resource-based policy: which ARNs it
/// covers, the read-only commands that fetch the policy, where the policy is in their output,
/// and the kind of policy the findings name. Everything that reads a resource's policy takes it
/// from `ResourcePolicyService.all`: the runbook step that says `commands_from:
/// resource_policy_services` (its commands are rendered from these rows), the named parsers, the
/// captured account the evaluator reads, `snapshot`'s live reads and the findings.
///
/// Adding a service is adding a row here (and its `ResourcePolicyKind` case, which a test asks
/// for); `ResourcePolicyServiceTableTests` fails while a row is incomplete.
///
/// ```swift
/// let row = ResourcePolicyService.row(forArn: "arn:aws:events:us-east-1:111122223333:event-bus/orders")
/// row?.service.label                  // "event bus policy"
/// row?.name.id                        // "orders"
/// row?.service.read.argv.joined(separator: " ")
/// // "aws events describe-event-bus --name {{facts.resource.id}} --region {{params.region}}"
/// ```
public struct ResourcePolicyService: Sendable {
    /// Snake-case row name: the `resource.policy_kind` fact's value; `<name>_policy` is the id of
    /// the command that reads the policy and the name of its parser.
    public var name: String
    /// The evaluator's `ResourcePolicyKind` (raw value), also the snapshot file's `kind`.
    public var kind: String
    /// How the findings name the policy: "<label> of <resource>".
    public var label: String
    /// The CloudTrail `eventSource` of the service's calls.
    public var eventSource: String
    /// The ARN's service field (`s3`, `execute-api`).
    public var arnService: String
    /// The `aws` CLI service that holds the policy: the `resource.service` fact.
    public var cliService: String
    /// Reads the resource's name from the ARN, or nil when the ARN is not one of this row's.
    public var resourceName: @Sendable (ARNFields) -> ResourceName?
    /// Commands run before the policy read, whose captures it uses (a queue's URL).
    public var lookups: [Read]
    /// The command that returns the policy.
    public var read: Read
    /// The capture that holds what the parser returns (an object, or a list with `foreach`).
    public var capture: String
    /// Where the policy document is in `read`'s output.
    public var document: DocumentLocation
    /// Whether whydenied can evaluate the document as an IAM policy.
    public var evaluation: Evaluation
    /// Where the policy lives in Terraform and CloudFormation, for the fix as code; nil when
    /// whydenied renders none for this service (its fix is shown as CLI commands only).
    /// Kept last, with a default, so a row that does not set it reads as before.
    public var asCode: PolicyAsCode? = nil

    /// The parser and the policy read's command id.
    public var parser: String { "\(name)_policy" }

    /// A command: argv elements with `{{placeholders}}` as in the runbook.
    public struct Read: Sendable {
        public var id: String
        public var why: String
        public var argv: [String]
        /// Error codes that mean "this resource has no policy", not a failure.
        public var answeredBy: [String] = []
        /// For a lookup: the capture it fills, the JSON path it selects and whether it is a list.
        public var selects: (capture: String, path: String, list: Bool)?
        /// Runs once per item of this list capture (`{{item}}` in argv).
        public var forEach: String?
        /// The captures that must be present before it runs.
        public var needs: [String] = []
    }

    /// The key path to the document in the output, and whether its absence means "no policy"
    /// (SQS, SNS, EventBridge and API Gateway leave the field out) or is an unreadable answer.
    public struct DocumentLocation: Sendable, Equatable {
        public var path: [String]
        public var absentMeansNoPolicy: Bool
    }

    /// The resource that holds the policy in infrastructure code: the Terraform resource and the
    /// argument naming the resource, the CloudFormation type, the property naming the resource
    /// and the one holding the document.
    ///
    /// ```swift
    /// PolicyAsCode(terraformResource: "aws_s3_bucket_policy", terraformTarget: "bucket",
    ///              cloudFormationType: "AWS::S3::BucketPolicy", cloudFormationTarget: "Bucket") { _, name in name.id }
    /// ```
    public struct PolicyAsCode: Sendable {
        public var terraformResource: String
        public var terraformTarget: String
        public var cloudFormationType: String
        public var cloudFormationTarget: String
        /// CloudFormation takes a list there (`Queues`, `Topics`).
        public var cloudFormationTargetIsList: Bool
        public var cloudFormationDocument: String
        /// The value naming the resource in both, from the ARN and the names the row read from it.
        public var target: @Sendable (ARNFields, ResourceName) -> String

        public init(terraformResource: String, terraformTarget: String, cloudFormationType: String, cloudFormationTarget: String,
                    cloudFormationTargetIsList: Bool = false, cloudFormationDocument: String = "PolicyDocument",
                    target: @escaping @Sendable (ARNFields, ResourceName) -> String) {
            self.terraformResource = terraformResource
            self.terraformTarget = terraformTarget
            self.cloudFormationType = cloudFormationType
            self.cloudFormationTarget = cloudFormationTarget
            self.cloudFormationTargetIsList = cloudFormationTargetIsList
            self.cloudFormationDocument = cloudFormationDocument
            self.target = target
        }
    }

    public enum Evaluation: Sendable, Equatable {
        /// An IAM policy document (Version, Statement): evaluated.
        case iamPolicy
        /// Another language (OpenSearch Serverless data access rules): read and shown, never
        /// evaluated as IAM; the verdict names it as a policy whydenied could not evaluate.
        case notIAMPolicy(why: String)
    }

    /// The parts of an ARN: `arn:partition:service:region:account:resource`.
    public struct ARNFields: Sendable, Equatable {
        public var partition: String
        public var service: String
        public var region: String
        public var account: String
        public var resource: String

        public init?(_ arn: String) {
            let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
            (partition, service, region, account, resource) = (parts[1], parts[2], parts[3], parts[4], parts[5])
        }

        /// The ARN the fields came from.
        public var arn: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
    }

    /// The identifiers the read command takes: `id` (bucket, queue, bus, vault …) and, for a
    /// resource inside another (a CodeArtifact repository in its domain), `parent`.
    public struct ResourceName: Sendable, Equatable {
        public var id: String
        public var parent: String?

        public init(id: String, parent: String? = nil) {
            self.id = id
            self.parent = parent
        }
    }

    /// The row for an ARN and the names its read takes, or nil when no row covers it.
    public static func row(forArn arn: String) -> (service: ResourcePolicyService, name: ResourceName)? {
        guard let fields = ARNFields(arn) else { return nil }
        for service in all where service.arnService == fields.service {
            if let name = service.resourceName(fields), !name.id.isEmpty { return (service, name) }
        }
        return nil
    }

    public static func named(_ name: String) -> ResourcePolicyService? { all.first { $0.name == name } }

    /// The runbook's `commands_from` value whose commands these rows render.
    public static let commandSource = "resource_policy_services"

    /// The text after `prefix`, when the resource part starts with it.
    static func after(_ prefix: String, _ resource: String) -> String? {
        resource.hasPrefix(prefix) ? String(resource.dropFirst(prefix.count)) : nil
    }

    static func firstSegment(_ text: String?, separator: Character = "/") -> String? {
        text.flatMap { $0.split(separator: separator, omittingEmptySubsequences: false).first.map(String.init) }
    }

    static let region = "--region"
    static let regionValue = "{{params.region}}"

    /// Every service whose resource policy whydenied reads, in the order the step runs them.
    public static let all: [ResourcePolicyService] = [
        ResourcePolicyService(
            name: "bucket", kind: "s3BucketPolicy", label: "bucket policy", eventSource: "s3.amazonaws.com",
            arnService: "s3", cliService: "s3api",
            // arn:aws:s3:::bucket/key (no region, no account; an access point ARN has both).
            resourceName: { $0.region.isEmpty && $0.account.isEmpty ? firstSegment($0.resource).map { ResourceName(id: $0) } : nil },
            lookups: [],
            read: Read(id: "bucket_policy", why: "The bucket policy can deny, or allow a principal from another account.",
                       argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["NoSuchBucketPolicy"]),
            capture: "resource_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy,
            asCode: PolicyAsCode(terraformResource: "aws_s3_bucket_policy", terraformTarget: "bucket",
                                 cloudFormationType: "AWS::S3::BucketPolicy", cloudFormationTarget: "Bucket") { _, name in name.id }),
        ResourcePolicyService(
            name: "access_point", kind: "s3AccessPointPolicy", label: "access point policy", eventSource: "s3.amazonaws.com",
            arnService: "s3", cliService: "s3control",
            // arn:aws:s3:us-east-1:111122223333:accesspoint/reports[/object/key]
            resourceName: { fields in
                guard !fields.account.isEmpty else { return nil }
                return firstSegment(after("accesspoint/", fields.resource)).map { ResourceName(id: $0) }
            },
            lookups: [],
            read: Read(id: "access_point_policy",
                       why: "The access point policy must allow a request made through the access point (and the bucket policy must too, or delegate to access points).",
                       argv: ["aws", "s3control", "get-access-point-policy", "--account-id", "{{facts.resource.account_id}}",
                              "--name", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["NoSuchAccessPointPolicy"]),
            capture: "access_point_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "key", kind: "kmsKeyPolicy", label: "key policy", eventSource: "kms.amazonaws.com",
            arnService: "kms", cliService: "kms",
            resourceName: { fields in
                if let id = after("key/", fields.resource) { return ResourceName(id: id) }
                // An alias ARN is accepted by get-key-policy's --key-id as it is.
                return fields.resource.hasPrefix("alias/")
                    ? ResourceName(id: "arn:\(fields.partition):kms:\(fields.region):\(fields.account):\(fields.resource)") : nil
            },
            lookups: [],
            read: Read(id: "key_policy", why: "A KMS key policy must allow the principal (or delegate to IAM) for any key use.",
                       argv: ["aws", "kms", "get-key-policy", "--key-id", "{{facts.resource.id}}", "--policy-name", "default", region, regionValue]),
            capture: "key_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "queue", kind: "sqsQueuePolicy", label: "queue policy", eventSource: "sqs.amazonaws.com",
            arnService: "sqs", cliService: "sqs",
            resourceName: { ResourceName(id: $0.resource) },
            lookups: [Read(id: "queue_url", why: "SQS commands take the queue URL rather than its name.",
                           argv: ["aws", "sqs", "get-queue-url", "--queue-name", "{{facts.resource.id}}", region, regionValue],
                           selects: ("queue_url", "QueueUrl", false))],
            read: Read(id: "queue_policy", why: "The queue policy.",
                       argv: ["aws", "sqs", "get-queue-attributes", "--queue-url", "{{captures.queue_url}}",
                              "--attribute-names", "Policy", region, regionValue],
                       needs: ["queue_url"]),
            capture: "queue_policy", document: DocumentLocation(path: ["Attributes", "Policy"], absentMeansNoPolicy: true), evaluation: .iamPolicy,
            asCode: PolicyAsCode(terraformResource: "aws_sqs_queue_policy", terraformTarget: "queue_url",
                                 cloudFormationType: "AWS::SQS::QueuePolicy", cloudFormationTarget: "Queues",
                                 cloudFormationTargetIsList: true) { fields, name in
                "https://sqs.\(fields.region).amazonaws.com/\(fields.account)/\(name.id)"
            }),
        ResourcePolicyService(
            name: "topic", kind: "snsTopicPolicy", label: "topic policy", eventSource: "sns.amazonaws.com",
            arnService: "sns", cliService: "sns",
            resourceName: { ResourceName(id: "arn:\($0.partition):sns:\($0.region):\($0.account):\($0.resource)") },
            lookups: [],
            read: Read(id: "topic_policy", why: "The topic's Policy attribute.",
                       argv: ["aws", "sns", "get-topic-attributes", "--topic-arn", "{{facts.resource.arn}}", region, regionValue]),
            capture: "topic_policy", document: DocumentLocation(path: ["Attributes", "Policy"], absentMeansNoPolicy: true), evaluation: .iamPolicy,
            asCode: PolicyAsCode(terraformResource: "aws_sns_topic_policy", terraformTarget: "arn",
                                 cloudFormationType: "AWS::SNS::TopicPolicy", cloudFormationTarget: "Topics",
                                 cloudFormationTargetIsList: true) { fields, _ in fields.arn }),
        ResourcePolicyService(
            name: "function", kind: "lambdaFunctionPolicy", label: "function policy", eventSource: "lambda.amazonaws.com",
            arnService: "lambda", cliService: "lambda",
            resourceName: { firstSegment(after("function:", $0.resource), separator: ":").map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "function_policy", why: "The function's resource-based policy (who may invoke it).",
                       argv: ["aws", "lambda", "get-policy", "--function-name", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["ResourceNotFoundException"]),
            capture: "function_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "secret", kind: "secretsManagerSecretPolicy", label: "secret policy", eventSource: "secretsmanager.amazonaws.com",
            arnService: "secretsmanager", cliService: "secretsmanager",
            resourceName: { ResourceName(id: "arn:\($0.partition):secretsmanager:\($0.region):\($0.account):\($0.resource)") },
            lookups: [],
            read: Read(id: "secret_policy", why: "The secret's resource policy.",
                       argv: ["aws", "secretsmanager", "get-resource-policy", "--secret-id", "{{facts.resource.id}}", region, regionValue]),
            capture: "secret_policy", document: DocumentLocation(path: ["ResourcePolicy"], absentMeansNoPolicy: true), evaluation: .iamPolicy,
            asCode: PolicyAsCode(terraformResource: "aws_secretsmanager_secret_policy", terraformTarget: "secret_arn",
                                 cloudFormationType: "AWS::SecretsManager::ResourcePolicy", cloudFormationTarget: "SecretId",
                                 cloudFormationDocument: "ResourcePolicy") { fields, _ in fields.arn }),
        ResourcePolicyService(
            name: "repository", kind: "ecrRepositoryPolicy", label: "repository policy", eventSource: "ecr.amazonaws.com",
            arnService: "ecr", cliService: "ecr",
            resourceName: { after("repository/", $0.resource).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "repository_policy", why: "The ECR repository policy.",
                       argv: ["aws", "ecr", "get-repository-policy", "--repository-name", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["RepositoryPolicyNotFoundException"]),
            capture: "repository_policy", document: DocumentLocation(path: ["policyText"], absentMeansNoPolicy: false), evaluation: .iamPolicy,
            asCode: PolicyAsCode(terraformResource: "aws_ecr_repository_policy", terraformTarget: "repository",
                                 cloudFormationType: "AWS::ECR::Repository", cloudFormationTarget: "RepositoryName",
                                 cloudFormationDocument: "RepositoryPolicyText") { _, name in name.id }),
        ResourcePolicyService(
            name: "role_trust", kind: "roleTrustPolicy", label: "trust policy", eventSource: "sts.amazonaws.com",
            arnService: "iam", cliService: "iam",
            resourceName: { fields in
                guard fields.resource.hasPrefix("role/") else { return nil }
                return fields.resource.split(separator: "/").last.map { ResourceName(id: String($0)) }
            },
            lookups: [],
            read: Read(id: "role_trust_policy", why: "For a denied sts:AssumeRole, the trust policy of the role being assumed.",
                       argv: ["aws", "iam", "get-role", "--role-name", "{{facts.resource.id}}"]),
            capture: "trust_policy", document: DocumentLocation(path: ["Role", "AssumeRolePolicyDocument"], absentMeansNoPolicy: false),
            evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "event_bus", kind: "eventBridgeBusPolicy", label: "event bus policy", eventSource: "events.amazonaws.com",
            arnService: "events", cliService: "events",
            resourceName: { after("event-bus/", $0.resource).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "event_bus_policy",
                       why: "The event bus policy decides who may put events on the bus, from this account or another.",
                       argv: ["aws", "events", "describe-event-bus", "--name", "{{facts.resource.id}}", region, regionValue]),
            capture: "event_bus_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: true), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "file_system", kind: "efsFileSystemPolicy", label: "file system policy", eventSource: "elasticfilesystem.amazonaws.com",
            arnService: "elasticfilesystem", cliService: "efs",
            resourceName: { firstSegment(after("file-system/", $0.resource)).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "file_system_policy", why: "The EFS file system policy (clients mounting with IAM authorization).",
                       argv: ["aws", "efs", "describe-file-system-policy", "--file-system-id", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["PolicyNotFound"]),
            capture: "file_system_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "glue_catalog", kind: "glueCatalogPolicy", label: "Data Catalog policy", eventSource: "glue.amazonaws.com",
            arnService: "glue", cliService: "glue",
            // Catalog, database and table ARNs are all governed by the account's one Data Catalog policy.
            resourceName: { fields in
                let scoped = ["catalog", "database/", "table/", "userDefinedFunction/"].contains {
                    fields.resource == $0 || ($0.hasSuffix("/") && fields.resource.hasPrefix($0))
                }
                return scoped && !fields.account.isEmpty ? ResourceName(id: fields.account) : nil
            },
            lookups: [],
            read: Read(id: "glue_catalog_policy", why: "The Glue Data Catalog resource policy (without --resource-arn, the catalog's).",
                       argv: ["aws", "glue", "get-resource-policy", region, regionValue],
                       answeredBy: ["EntityNotFoundException"]),
            capture: "glue_catalog_policy", document: DocumentLocation(path: ["PolicyInJson"], absentMeansNoPolicy: true), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "rest_api", kind: "apiGatewayRestApiPolicy", label: "API resource policy", eventSource: "execute-api.amazonaws.com",
            arnService: "execute-api", cliService: "apigateway",
            // arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/orders
            resourceName: { firstSegment($0.resource).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "rest_api_policy", why: "The REST API's resource policy decides who may invoke it (execute-api:Invoke).",
                       argv: ["aws", "apigateway", "get-rest-api", "--rest-api-id", "{{facts.resource.id}}", region, regionValue]),
            capture: "rest_api_policy", document: DocumentLocation(path: ["policy"], absentMeansNoPolicy: true), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "backup_vault", kind: "backupVaultPolicy", label: "backup vault access policy", eventSource: "backup.amazonaws.com",
            arnService: "backup", cliService: "backup",
            resourceName: { after("backup-vault:", $0.resource).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "backup_vault_policy", why: "The backup vault's access policy (often a Deny on deleting recovery points).",
                       argv: ["aws", "backup", "get-backup-vault-access-policy", "--backup-vault-name", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["ResourceNotFoundException"]),
            capture: "backup_vault_policy", document: DocumentLocation(path: ["Policy"], absentMeansNoPolicy: false), evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "codeartifact_repository", kind: "codeArtifactRepositoryPolicy", label: "repository permissions policy",
            eventSource: "codeartifact.amazonaws.com", arnService: "codeartifact", cliService: "codeartifact",
            // repository/DOMAIN/REPO, and a package's ARN package/DOMAIN/REPO/FORMAT/… is governed by its repository.
            resourceName: { fields in
                guard let rest = after("repository/", fields.resource) ?? after("package/", fields.resource) else { return nil }
                let parts = rest.split(separator: "/").map(String.init)
                return parts.count >= 2 ? ResourceName(id: parts[1], parent: parts[0]) : nil
            },
            lookups: [],
            read: Read(id: "codeartifact_repository_policy", why: "The CodeArtifact repository's permissions policy.",
                       argv: ["aws", "codeartifact", "get-repository-permissions-policy", "--domain", "{{facts.resource.parent_id}}",
                              "--domain-owner", "{{facts.resource.account_id}}", "--repository", "{{facts.resource.id}}", region, regionValue],
                       answeredBy: ["ResourceNotFoundException"]),
            capture: "codeartifact_repository_policy", document: DocumentLocation(path: ["policy", "document"], absentMeansNoPolicy: false),
            evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "codeartifact_domain", kind: "codeArtifactDomainPolicy", label: "domain permissions policy",
            eventSource: "codeartifact.amazonaws.com", arnService: "codeartifact", cliService: "codeartifact",
            resourceName: { firstSegment(after("domain/", $0.resource)).map { ResourceName(id: $0) } },
            lookups: [],
            read: Read(id: "codeartifact_domain_policy", why: "The CodeArtifact domain's permissions policy.",
                       argv: ["aws", "codeartifact", "get-domain-permissions-policy", "--domain", "{{facts.resource.id}}",
                              "--domain-owner", "{{facts.resource.account_id}}", region, regionValue],
                       answeredBy: ["ResourceNotFoundException"]),
            capture: "codeartifact_domain_policy", document: DocumentLocation(path: ["policy", "document"], absentMeansNoPolicy: false),
            evaluation: .iamPolicy),
        ResourcePolicyService(
            name: "collection_access", kind: "openSearchServerlessDataAccessPolicy", label: "data access policy",
            eventSource: "aoss.amazonaws.com", arnService: "aoss", cliService: "opensearchserverless",
            resourceName: { firstSegment(after("collection/", $0.resource)).map { ResourceName(id: $0) } },
            // The ARN names the collection by id; data access policies name it by name.
            lookups: [
                Read(id: "collection_name", why: "Data access policies name collections by name; the ARN gives the collection's id.",
                     argv: ["aws", "opensearchserverless", "batch-get-collection", "--ids", "{{facts.resource.id}}", region, regionValue],
                     selects: ("collection_name", "collectionDetails[0].name", false)),
                Read(id: "collection_access_policies", why: "OpenSearch Serverless data access policies that name the collection.",
                     argv: ["aws", "opensearchserverless", "list-access-policies", "--type", "data",
                            "--resource", "collection/{{captures.collection_name}}", region, regionValue],
                     selects: ("access_policy_names", "accessPolicySummaries[*].name", true), needs: ["collection_name"]),
            ],
            read: Read(id: "collection_access_policy", why: "Each data access policy document.",
                       argv: ["aws", "opensearchserverless", "get-access-policy", "--type", "data", "--name", "{{item}}", region, regionValue],
                       forEach: "access_policy_names"),
            capture: "access_policies", document: DocumentLocation(path: ["accessPolicyDetail", "policy"], absentMeansNoPolicy: false),
            evaluation: .notIAMPolicy(why: "an OpenSearch Serverless data access policy is a list of rules (Rules, Principal), not an IAM policy document; whydenied shows it but does not evaluate it")),
    ]
}

extension ResourcePolicyService {
    /// The rows as runbook commands, in the runbook's own format (JSON is YAML), so the loader
    /// decodes and checks them as it does commands written by hand: placeholders, captures,
    /// `foreach`, and the classifier's read-only check. Each row's commands run only for its
    /// resources (`resource.policy_kind`).
    public static func runbookCommands() -> String {
        var commands: [JSONValue] = []
        for service in all {
            for read in service.lookups + [service.read] {
                var draft = RunbookCommandDraft(id: read.id, why: read.why,
                                                when: [.equals(fact: "resource.policy_kind", value: service.name)]
                                                    + read.needs.map { .capturePresent($0) },
                                                argv: read.argv)
                draft.forEach = read.forEach.map { RunbookCommandDraft.ForEach(capture: $0, maxItems: 20) }
                draft.answeredBy = read.answeredBy
                if read.id == service.read.id {
                    draft.parser = service.parser
                    draft.captures = [.parser(service.capture, type: read.forEach == nil ? "object" : "list")]
                } else if let selects = read.selects {
                    draft.captures = [.select(selects.capture, selects.path, type: selects.list ? "list" : "string")]
                }
                commands.append(draft.json)
            }
        }
        return JSONValue.array(commands).serialized(pretty: true)
    }
}
