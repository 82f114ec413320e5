import Foundation
import WhyDeniedJSON

/// A resource a least-privilege statement must name for one denied event: its ARN, the IAM
/// action it is needed for, and which event fields it was built from.
///
/// ```swift
/// ResolvedResource(arn: "arn:aws:s3:::reports/2024/q1.csv", action: "s3:GetObject",
///                  origin: "requestParameters.bucketName + requestParameters.key")
/// ```
public struct ResolvedResource: Sendable, Hashable, Codable {
    public var arn: String
    public var action: String?
    public var origin: String
    /// A caveat the operator should read (an alias that is not the key, a secret ARN suffix).
    public var note: String?

    public init(arn: String, action: String?, origin: String, note: String? = nil) {
        self.arn = arn
        self.action = action
        self.origin = origin
        self.note = note
    }
}

/// Works out, for a CloudTrail event, the resource ARNs a least-privilege statement must name,
/// chosen by action: an S3 object action names `arn:aws:s3:::bucket/key`, a bucket action the
/// bucket; KMS keys, SQS queue URLs, SNS topics, Lambda functions, Secrets Manager secrets,
/// DynamoDB tables, CloudWatch Logs groups, IAM entities and EC2 ids become ARNs built from the
/// event's region and account. Falls back to the event's own `resources` list.
///
/// ```swift
/// ResourceResolver.resolve(event).first?.arn   // "arn:aws:sqs:us-east-1:111122223333:orders"
/// ```
public enum ResourceResolver {
    public static func resolve(_ event: CloudTrailEvent) -> [ResolvedResource] {
        guard let source = event.eventSource, let eventName = event.eventName,
              let service = AWSService(eventSource: source) else { return listed(event, action: nil) }
        let actions = IAMActionName.actions(eventSource: source, eventName: eventName)
        let context = Context(event: event, action: actions.first)
        let resolved: [ResolvedResource]
        switch service.iamPrefix {
        case "s3": resolved = s3(context, actions: actions)
        case "kms": resolved = kms(context)
        case "sqs": resolved = sqs(context)
        case "sns": resolved = sns(context)
        case "lambda": resolved = lambda(context)
        case "secretsmanager": resolved = secretsManager(context)
        case "dynamodb": resolved = dynamoDB(context)
        case "ec2": resolved = ec2(context)
        case "iam": resolved = iam(context)
        case "sts": resolved = sts(context)
        case "logs": resolved = logs(context)
        default: resolved = []
        }
        if !resolved.isEmpty { return resolved }
        let fromList = listed(event, action: actions.first)
        if !fromList.isEmpty { return fromList }
        return arnsInRequest(context)
    }

    /// `aws`, `aws-cn`, `aws-us-gov`: from the caller's ARN, else from the region name.
    public static func partition(region: String?, callerArn: String?) -> String {
        if let callerArn, let arn = ARN(callerArn) { return arn.partition }
        guard let region else { return "aws" }
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        if region.hasPrefix("us-isob-") { return "aws-iso-b" }
        if region.hasPrefix("us-iso-") { return "aws-iso" }
        return "aws"
    }

    struct Context {
        let event: CloudTrailEvent
        let action: String?
        var parameters: JSONValue { event.requestParameters ?? .null }
        var region: String { event.awsRegion ?? "" }
        var account: String { event.resourceAccountId ?? "" }
        var partition: String { ResourceResolver.partition(region: event.awsRegion, callerArn: event.userIdentity?.arn) }

        func string(_ key: String) -> String? {
            guard let value = parameters.objectValue?[key] ?? parameters.objectValue?.value(forCaseInsensitiveKey: key),
                  let text = value.stringValue, !text.isEmpty else { return nil }
            return text
        }

        func arn(_ service: String, _ resource: String, regional: Bool = true, withAccount: Bool = true) -> String {
            "arn:\(partition):\(service):\(regional ? region : ""):\(withAccount ? account : ""):\(resource)"
        }

        func resource(_ arn: String, origin: String, note: String? = nil, action: String? = nil) -> ResolvedResource {
            ResolvedResource(arn: arn, action: action ?? self.action, origin: origin, note: note)
        }
    }

    // MARK: - Per service

    static func s3(_ context: Context, actions: [String]) -> [ResolvedResource] {
        guard let action = actions.first else { return [] }
        let name = String(action.dropFirst("s3:".count))
        if name == "ListAllMyBuckets" || name == "ListAllMyDirectoryBuckets" {
            return [context.resource("*", origin: "\(action) has no resource type", note: "this action cannot be limited to a resource")]
        }
        let bucket = context.string("bucketName") ?? context.string("Bucket")
        let key = context.string("key") ?? context.string("Key")
        let partition = context.partition
        var results: [ResolvedResource] = []
        if isS3ObjectAction(name) {
            guard let bucket else { return [] }
            if let key {
                results.append(context.resource("arn:\(partition):s3:::\(bucket)/\(key)", origin: "requestParameters.bucketName + requestParameters.key"))
            } else {
                results.append(context.resource("arn:\(partition):s3:::\(bucket)/*", origin: "requestParameters.bucketName (no object key in the event)",
                                                 note: "the object keys are not in the event; narrow the prefix if you can"))
            }
        } else if let bucket {
            results.append(context.resource("arn:\(partition):s3:::\(bucket)", origin: "requestParameters.bucketName"))
        }
        // CopyObject / UploadPartCopy also read the source object.
        if actions.contains("s3:GetObject"), action != "s3:GetObject",
           let copySource = context.string("x-amz-copy-source") ?? context.string("CopySource") {
            let trimmed = copySource.hasPrefix("/") ? String(copySource.dropFirst()) : copySource
            let withoutVersion = trimmed.components(separatedBy: "?versionId=").first ?? trimmed
            let decoded = withoutVersion.removingPercentEncoding ?? withoutVersion
            results.append(context.resource("arn:\(partition):s3:::\(decoded)", origin: "requestParameters.x-amz-copy-source", action: "s3:GetObject"))
        }
        return results
    }

    /// Object-level S3 actions name objects (`bucket/key`); the rest name the bucket.
    public static func isS3ObjectAction(_ name: String) -> Bool {
        for prefix in ["GetBucket", "PutBucket", "DeleteBucket", "ListBucket", "CreateBucket"] where name.hasPrefix(prefix) { return false }
        return name.contains("Object") || name == "AbortMultipartUpload" || name == "ListMultipartUploadParts"
    }

    static func kms(_ context: Context) -> [ResolvedResource] {
        let listedKeys = context.event.resources.compactMap { resource -> ResolvedResource? in
            guard let arn = resource.arn, arn.contains(":kms:"), arn.contains(":key/") else { return nil }
            return context.resource(arn, origin: "resources[].ARN")
        }
        if !listedKeys.isEmpty { return listedKeys }
        guard let keyId = context.string("keyId") ?? context.string("KeyId") ?? context.string("targetKeyId") else { return [] }
        if keyId.hasPrefix("arn:") {
            if keyId.contains(":alias/") {
                return [context.resource(keyId, origin: "requestParameters.keyId", note: aliasNote)]
            }
            return [context.resource(keyId, origin: "requestParameters.keyId")]
        }
        if keyId.hasPrefix("alias/") {
            return [context.resource(context.arn("kms", keyId), origin: "requestParameters.keyId (an alias)", note: aliasNote)]
        }
        return [context.resource(context.arn("kms", "key/\(keyId)"), origin: "requestParameters.keyId")]
    }

    static let aliasNote = "KMS authorizes against the key, not the alias: find the key ARN with `aws kms describe-key --key-id <alias>`"

    static func sqs(_ context: Context) -> [ResolvedResource] {
        if let url = context.string("queueUrl") ?? context.string("QueueUrl"), let arn = queueArn(fromURL: url, partition: context.partition) {
            return [context.resource(arn, origin: "requestParameters.queueUrl")]
        }
        if let name = context.string("queueName") ?? context.string("QueueName") {
            return [context.resource(context.arn("sqs", name), origin: "requestParameters.queueName")]
        }
        return []
    }

    /// `https://sqs.us-east-1.amazonaws.com/111122223333/orders` (also the legacy
    /// `https://us-east-1.queue.amazonaws.com/...` and `https://queue.amazonaws.com/...` forms)
    /// → `arn:aws:sqs:us-east-1:111122223333:orders`.
    public static func queueArn(fromURL url: String, partition: String = "aws") -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let path = components.path.split(separator: "/")
        guard path.count == 2, path[0].count == 12, path[0].allSatisfy(\.isNumber) else { return nil }
        let hostParts = host.split(separator: ".")
        let region: String
        if hostParts.first == "sqs", hostParts.count > 2 {
            region = String(hostParts[1])
        } else if hostParts.count > 2, hostParts[1] == "queue" {
            region = String(hostParts[0])
        } else if hostParts.first == "queue" {
            region = "us-east-1"
        } else if hostParts.first == "localhost" || host == "127.0.0.1" {
            return nil
        } else {
            return nil
        }
        let resolvedPartition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : partition
        return "arn:\(resolvedPartition):sqs:\(region):\(path[0]):\(path[1])"
    }

    static func sns(_ context: Context) -> [ResolvedResource] {
        for key in ["topicArn", "TopicArn", "targetArn", "TargetArn", "resourceArn"] {
            if let arn = context.string(key), arn.hasPrefix("arn:") {
                return [context.resource(arn, origin: "requestParameters.\(key)")]
            }
        }
        if let name = context.string("name"), context.event.eventName == "CreateTopic" {
            return [context.resource(context.arn("sns", name), origin: "requestParameters.name")]
        }
        return []
    }

    static func lambda(_ context: Context) -> [ResolvedResource] {
        guard let function = context.string("functionName") ?? context.string("FunctionName") else { return [] }
        if function.hasPrefix("arn:") { return [context.resource(function, origin: "requestParameters.functionName")] }
        // Partial ARN `111122223333:function:name`, or `name` / `name:qualifier`.
        let parts = function.split(separator: ":")
        if parts.count >= 3, parts[1] == "function" {
            return [context.resource("arn:\(context.partition):lambda:\(context.region):\(function)", origin: "requestParameters.functionName")]
        }
        var resource = "function:\(function)"
        if let qualifier = context.string("qualifier"), !function.contains(":") { resource += ":\(qualifier)" }
        return [context.resource(context.arn("lambda", resource), origin: "requestParameters.functionName")]
    }

    static func secretsManager(_ context: Context) -> [ResolvedResource] {
        guard let secret = context.string("secretId") ?? context.string("SecretId") ?? context.string("name") else { return [] }
        if secret.hasPrefix("arn:") { return [context.resource(secret, origin: "requestParameters.secretId")] }
        return [context.resource(context.arn("secretsmanager", "secret:\(secret)-??????"), origin: "requestParameters.secretId (a name)",
                                 note: "secret ARNs end in a random 6-character suffix; `-??????` matches it")]
    }

    static func dynamoDB(_ context: Context) -> [ResolvedResource] {
        if let table = context.string("tableName") ?? context.string("TableName") {
            if table.hasPrefix("arn:") { return [context.resource(table, origin: "requestParameters.tableName")] }
            var results = [context.resource(context.arn("dynamodb", "table/\(table)"), origin: "requestParameters.tableName")]
            if let index = context.string("indexName") {
                results.append(context.resource(context.arn("dynamodb", "table/\(table)/index/\(index)"), origin: "requestParameters.tableName + indexName"))
            }
            return results
        }
        // BatchGetItem / BatchWriteItem: one entry per table.
        if let tables = context.parameters["requestItems"]?.objectValue?.keys, !tables.isEmpty {
            return tables.map { context.resource(context.arn("dynamodb", "table/\($0)"), origin: "requestParameters.requestItems") }
        }
        return []
    }

    /// EC2 id prefixes and the resource type their ARN uses. Images and snapshots are named
    /// without an account, as the Service Authorization Reference writes them.
    static let ec2Kinds: [(prefix: String, type: String, withAccount: Bool)] = [
        ("i-", "instance", true), ("vol-", "volume", true), ("snap-", "snapshot", false), ("ami-", "image", false),
        ("sg-", "security-group", true), ("vpc-", "vpc", true), ("subnet-", "subnet", true), ("eni-", "network-interface", true),
        ("lt-", "launch-template", true), ("igw-", "internet-gateway", true), ("rtb-", "route-table", true),
        ("eipalloc-", "elastic-ip", true), ("key-", "key-pair", true), ("vpce-", "vpc-endpoint", true),
    ]

    static func ec2(_ context: Context) -> [ResolvedResource] {
        var ids: [(String, String)] = []
        func collect(_ value: JSONValue, path: String, depth: Int) {
            guard depth < 6, ids.count < 50 else { return }
            switch value {
            case .object(let object):
                for entry in object.entries where entry.key != "userData" {
                    collect(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", depth: depth + 1)
                }
            case .array(let items):
                for item in items { collect(item, path: "\(path)[]", depth: depth + 1) }
            case .string(let text):
                let key = path.split(separator: ".").last.map(String.init) ?? path
                if key.lowercased().hasSuffix("id") || key.lowercased().hasSuffix("ids[]"), ec2Kinds.contains(where: { text.hasPrefix($0.prefix) }) {
                    ids.append((text, path))
                }
            default: break
            }
        }
        collect(context.parameters, path: "", depth: 0)
        var seen = Set<String>()
        return ids.compactMap { id, path in
            guard seen.insert(id).inserted, let kind = ec2Kinds.first(where: { id.hasPrefix($0.prefix) }) else { return nil }
            return context.resource(context.arn("ec2", "\(kind.type)/\(id)", withAccount: kind.withAccount), origin: "requestParameters.\(path)")
        }
    }

    static func iam(_ context: Context) -> [ResolvedResource] {
        if let arn = context.string("policyArn"), arn.hasPrefix("arn:") {
            return [context.resource(arn, origin: "requestParameters.policyArn")]
        }
        let pairs: [(key: String, type: String)] = [("roleName", "role"), ("userName", "user"), ("groupName", "group"),
                                                     ("instanceProfileName", "instance-profile")]
        for pair in pairs {
            if let name = context.string(pair.key) {
                return [context.resource(context.arn("iam", "\(pair.type)/\(name)", regional: false), origin: "requestParameters.\(pair.key)",
                                         note: "if the \(pair.type) has a path, its ARN includes it (see `aws iam get-\(pair.type) --\(pair.type)-name \(name)`)")]
            }
        }
        return []
    }

    static func sts(_ context: Context) -> [ResolvedResource] {
        if let role = context.string("roleArn") ?? context.string("RoleArn") {
            return [context.resource(role, origin: "requestParameters.roleArn")]
        }
        return []
    }

    static func logs(_ context: Context) -> [ResolvedResource] {
        guard let group = context.string("logGroupName") else { return [] }
        var resource = "log-group:\(group)"
        if let stream = context.string("logStreamName") { resource += ":log-stream:\(stream)" }
        return [context.resource(context.arn("logs", resource), origin: "requestParameters.logGroupName")]
    }

    // MARK: - Fallbacks

    /// The ARNs CloudTrail itself listed in `resources`.
    static func listed(_ event: CloudTrailEvent, action: String?) -> [ResolvedResource] {
        event.resources.compactMap { resource in
            guard let arn = resource.arn, ARN(arn) != nil else { return nil }
            return ResolvedResource(arn: arn, action: action, origin: "resources[].ARN")
        }
    }

    /// Any top-level request parameter that already is an ARN.
    static func arnsInRequest(_ context: Context) -> [ResolvedResource] {
        guard let object = context.parameters.objectValue else { return [] }
        return object.entries.compactMap { entry in
            guard let text = entry.value.stringValue, ARN(text) != nil else { return nil }
            return context.resource(text, origin: "requestParameters.\(entry.key)")
        }
    }
}
