import WhyDeniedJSON

/// `describe-trails` → where each trail delivers: CloudWatch Logs group names (from
/// `arn:aws:logs:R:A:log-group:NAME:*`) and `{bucket, prefix, trail}` for the S3 bucket.
enum TrailDestinationsParser {
    static func parse(_ output: JSONValue) -> OutputParsers.Parsed {
        var groups: [JSONValue] = []
        var buckets: [JSONValue] = []
        for trail in output["trailList"]?.arrayValue ?? [] {
            if let arn = trail["CloudWatchLogsLogGroupArn"]?.stringValue, let name = logGroupName(fromArn: arn),
               !groups.contains(.string(name)) {
                groups.append(.string(name))
            }
            if let bucket = trail["S3BucketName"]?.stringValue {
                buckets.append(.object(JSONObject([
                    ("bucket", .string(bucket)),
                    ("prefix", trail["S3KeyPrefix"]?.stringValue.map(JSONValue.string) ?? .null),
                    ("trail", .string(trail["TrailARN"]?.stringValue ?? trail["Name"]?.stringValue ?? "")),
                ])))
            }
        }
        var named: [String: JSONValue] = [:]
        if !groups.isEmpty { named["trail_log_groups"] = .array(groups) }
        if !buckets.isEmpty { named["trail_buckets"] = .array(buckets) }
        return OutputParsers.Parsed(named: named)
    }

    static func logGroupName(fromArn arn: String) -> String? {
        guard let range = arn.range(of: ":log-group:") else { return nil }
        let rest = arn[range.upperBound...]
        let name = rest.hasSuffix(":*") ? rest.dropLast(2) : rest
        return name.isEmpty ? nil : String(name)
    }
}
