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

    /// The resource an action acts on, its catalog resource type, or why none was found.
    enum Choice: Equatable {
        case resource(arn: String, type: String)
        /// The action has no resource type; only `"Resource": "*"` applies.
        case noResourceType
        case unresolved(String)
    }

    func choose(for action: CatalogAction?) -> Choice {
        guard let action else { return .unresolved("the catalog does not know this action") }
        if action.hasNoResourceType { return .noResourceType }
        let candidates = candidateArns(for: action)
        // Required resource types first: they are what the action really acts on.
        let ordered = action.resourceTypes.filter(\.required) + action.resourceTypes.filter { !$0.required }
        for use in ordered {
            if let arn = candidates.first(where: { use.arnTemplate.matches($0) }) {
                return .resource(arn: arn, type: use.name)
            }
        }
        let wanted = action.resourceTypes.map { "\($0.name) (\($0.arnTemplate))" }.joined(separator: ", ")
        return .unresolved("the event names no resource of type \(wanted)")
    }

    func candidateArns(for action: CatalogAction) -> [String] {
        var arns: [String] = []
        if let named = Self.resourceNamed(in: event.errorMessage) { arns.append(named) }
        arns += event.resources.compactMap(\.arn)
        arns += Self.arns(in: event.requestParameters)
        let values = placeholderValues()
        for use in action.resourceTypes {
            if let filled = use.arnTemplate.filled(values) { arns.append(filled) }
        }
        var seen = Set<String>()
        return arns.filter { seen.insert($0).inserted }
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
        let aliases: [(parameter: String, placeholder: String)] = [
            ("key", "ObjectName"), ("bucketName", "BucketName"), ("roleName", "RoleNameWithPath"),
            ("userName", "UserNameWithPath"), ("groupName", "GroupNameWithPath"), ("functionName", "FunctionName"),
            ("tableName", "TableName"), ("topicArn", "TopicName"), ("logGroupName", "LogGroupName"),
            ("logStreamName", "LogStreamName"), ("name", "ParameterNameWithoutLeadingSlash"),
        ]
        for (parameter, placeholder) in aliases {
            guard values[placeholder] == nil, let text = parameters[parameter]?.scalarText, !text.isEmpty else { continue }
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

    /// The ARN after "on resource: " in AWS's denial messages, without S3's quotes.
    static func resourceNamed(in message: String?) -> String? {
        guard let message, let range = message.range(of: "on resource: ") else { return nil }
        var rest = message[range.upperBound...]
        if rest.first == "\"" { rest = rest.dropFirst() }
        let arn = rest.prefix { !$0.isWhitespace && $0 != "\"" }
        guard arn.hasPrefix("arn:") else { return nil }
        return String(arn)
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
