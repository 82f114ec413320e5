import WhyDeniedEvidence
import WhyDeniedJSON

/// Works out which resource ARN each action of a denied call acts on.
///
/// Candidates come from the event's `resources` list, from ARNs in `requestParameters`, and
/// from the action's ARN templates filled with the request parameters, region and account.
/// The chosen ARN is the first whose shape fits one of the action's resource types, so S3
/// object actions get the object ARN and bucket actions the bucket ARN whatever order CloudTrail
/// lists them in (Access Undenied takes the last entry and so blames the bucket for GetObject).
struct EventResources {
    let event: CloudTrailEvent
    let partition: String
    let account: String?
    /// The resource ARN AWS named in the error message (`EventDenial.messageResource`).
    var messageResource: String?

    /// The resource an action acts on, its catalog resource type, or why none was found.
    enum Choice: Equatable {
        case resource(arn: String, type: String)
        /// The action has no resource type; only `"Resource": "*"` applies.
        case noResourceType
        case unresolved(String)
    }

    /// - Parameter preferred: AWS's own word on the refused resource (the message's, when the
    ///   message names this action): chosen first when it fits one of the action's types, so an
    ///   action with several (RunInstances: image, instance, …) is about the one AWS refused.
    func choose(for action: CatalogAction?, preferring preferred: String? = nil) -> Choice {
        guard let action else { return .unresolved("the catalog does not know this action") }
        if action.hasNoResourceType { return .noResourceType }
        let candidates = candidateArns(for: action)
        // Required resource types first: they are what the action really acts on.
        let ordered = action.resourceTypes.filter(\.required) + action.resourceTypes.filter { !$0.required }
        if let preferred, let use = ordered.first(where: { $0.arnTemplate.matches(preferred) }) {
            return .resource(arn: preferred, type: use.name)
        }
        for use in ordered {
            if let arn = candidates.first(where: { use.arnTemplate.matches($0) }) {
                return .resource(arn: arn, type: use.name)
            }
        }
        let wanted = action.resourceTypes.map { "\($0.name) (\($0.arnTemplate))" }.joined(separator: ", ")
        return .unresolved("the event names no resource of type \(wanted)")
    }

    func candidateArns(for action: CatalogAction) -> [String] {
        candidates(for: action).map(\.arn)
    }

    /// The ARNs the event offers for the action's resource types, each with where it was found.
    func candidates(for action: CatalogAction) -> [ResourceTypeGrant.Candidate] {
        var found: [ResourceTypeGrant.Candidate] = []
        if let named = messageResource { found.append(.init(arn: named, source: "the error message")) }
        found += event.resources.compactMap(\.arn).map { .init(arn: $0, source: "the event's resources") }
        found += Self.arns(in: event.requestParameters).map { .init(arn: $0, source: "the event's requestParameters") }
        let values = placeholderValues()
        for use in action.resourceTypes {
            if let filled = use.arnTemplate.filled(values) {
                let given = use.arnTemplate.placeholders.filter { !["partition", "region", "account"].contains($0.lowercased()) }
                found.append(.init(arn: filled, source: "the event's requestParameters" + (given.isEmpty ? "" : " (\(given.joined(separator: ", ")))")))
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0.arn).inserted }
    }

    /// Every resource type the action is authorized against with the ARN a fix should grant,
    /// when there are several (`ec2:RunInstances`); empty when one resource says it all.
    func grants(for action: CatalogAction?) -> [ResourceTypeGrant] {
        guard let action, action.resourceTypes.count > 1 else { return [] }
        let grants = ResourceTypeGrant.grants(for: action, candidates: candidates(for: action), values: placeholderValues())
        return grants.count > 1 ? grants : []
    }

    /// Placeholder values from the request parameters: each parameter by its own name, plus the
    /// names the reference uses where the API's differ (S3 `key` → `ObjectName`).
    func placeholderValues() -> [String: String] {
        var values: [String: String] = ["Partition": partition]
        if let region = event.awsRegion { values["Region"] = region }
        if let account { values["Account"] = account }
        guard let parameters = event.requestParameters?.objectValue else { return values }
        for (name, value) in parameters.entries {
            guard let text = value.scalarText, !text.isEmpty else { continue }
            values[name] = text
        }
        // Nested parameters (EC2's `instancesSet.items[0].imageId`), the first of each name,
        // after the top-level ones.
        for (name, text) in Self.nestedScalars(in: event.requestParameters) where values[name] == nil {
            values[name] = text
        }
        let aliases: [(parameter: String, placeholder: String)] = [
            ("keyName", "KeyPairName"), ("groupId", "SecurityGroupId"),
            ("key", "ObjectName"), ("bucketName", "BucketName"), ("roleName", "RoleNameWithPath"),
            ("userName", "UserNameWithPath"), ("groupName", "GroupNameWithPath"), ("functionName", "FunctionName"),
            ("tableName", "TableName"), ("topicArn", "TopicName"), ("logGroupName", "LogGroupName"),
            ("logStreamName", "LogStreamName"), ("name", "ParameterNameWithoutLeadingSlash"),
        ]
        for (parameter, placeholder) in aliases {
            guard values[placeholder] == nil, let text = parameters[parameter]?.scalarText ?? values[parameter], !text.isEmpty else { continue }
            if placeholder == "ParameterNameWithoutLeadingSlash" {
                values[placeholder] = text.hasPrefix("/") ? String(text.dropFirst()) : text
            } else {
                values[placeholder] = text
            }
        }
        // SQS names queues by URL: https://sqs.<region>.amazonaws.com/<account>/<name>.
        if let url = parameters["queueUrl"]?.stringValue, let name = url.split(separator: "/").last {
            values["QueueName"] = String(name)
        }
        return values
    }

    /// Scalar values below the top level, by key, the first of each key in document order.
    static func nestedScalars(in value: JSONValue?) -> [(String, String)] {
        var found: [(String, String)] = []
        func walk(_ value: JSONValue, depth: Int) {
            switch value {
            case .object(let object):
                for (key, item) in object.entries {
                    if depth > 0, let text = item.scalarText, !text.isEmpty { found.append((key, text)) }
                    walk(item, depth: depth + 1)
                }
            case .array(let items):
                for item in items { walk(item, depth: depth + 1) }
            default:
                break
            }
        }
        if let value { walk(value, depth: 0) }
        return found
    }

    /// Every string in the parameters that is an ARN, at any depth.
    static func arns(in value: JSONValue?) -> [String] {
        guard let value else { return [] }
        switch value {
        case .string(let text): return text.hasPrefix("arn:") ? [text] : []
        case .array(let items): return items.flatMap { arns(in: $0) }
        case .object(let object): return object.entries.flatMap { arns(in: $0.value) }
        default: return []
        }
    }
}
