import Foundation
import WhyDeniedJSON

/// `describe-trails` → where each trail delivers: CloudWatch Logs group names (from
/// `arn:aws:logs:R:A:log-group:NAME:*`), `{bucket, prefix, trail}` for the S3 bucket, and the
/// S3 folders holding the time frame's log files (`trail_log_folders`: `{bucket, prefix}` with
/// prefix `[S3KeyPrefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`, one per day), and
/// each trail's scope (`trail_scopes`: `{trail, home_region, multi_region, organization}`).
enum TrailDestinationsParser {
    /// Days of log folders listed at most (the most recent ones of a long time frame).
    static let maximumDays = 14

    static func parse(_ input: ParserInput) -> OutputParsers.Parsed {
        var groups: [JSONValue] = []
        var buckets: [JSONValue] = []
        var folders: [JSONValue] = []
        let days = Self.days(from: input.facts["time.start"]?.stringValue, to: input.facts["time.end"]?.stringValue)
        let region = input.parameters["region"].flatMap { $0.isEmpty ? nil : $0 }
        var scopes: [JSONValue] = []
        for trail in input.output["trailList"]?.arrayValue ?? [] {
            scopes.append(.object(JSONObject([
                ("trail", trail["TrailARN"] ?? trail["Name"] ?? .null),
                ("home_region", trail["HomeRegion"] ?? .null),
                ("multi_region", .bool(trail["IsMultiRegionTrail"]?.boolValue ?? false)),
                ("organization", .bool(trail["IsOrganizationTrail"]?.boolValue ?? false)),
            ])))
            if let arn = trail["CloudWatchLogsLogGroupArn"]?.stringValue, let name = logGroupName(fromArn: arn),
               !groups.contains(.string(name)) {
                groups.append(.string(name))
            }
            guard let bucket = trail["S3BucketName"]?.stringValue else { continue }
            let keyPrefix = trail["S3KeyPrefix"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let trailARN = trail["TrailARN"]?.stringValue
            buckets.append(.object(JSONObject([
                ("bucket", .string(bucket)),
                ("prefix", keyPrefix.map(JSONValue.string) ?? .null),
                ("trail", .string(trailARN ?? trail["Name"]?.stringValue ?? "")),
            ])))
            // An organization trail's folders start with the organization id, which describe-trails
            // does not give; those logs are left to Athena or a local copy.
            guard trail["IsOrganizationTrail"]?.boolValue != true, let region, let trailARN,
                  let account = ARNParts.account(of: trailARN) else { continue }
            let base = (keyPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + "AWSLogs/\(account)/CloudTrail/\(region)/"
            for day in days {
                let folder = JSONValue.object(JSONObject([("bucket", .string(bucket)), ("prefix", .string(base + day + "/"))]))
                if !folders.contains(folder) { folders.append(folder) }
            }
        }
        var named: [String: JSONValue] = [:]
        if !groups.isEmpty { named["trail_log_groups"] = .array(groups) }
        if !buckets.isEmpty { named["trail_buckets"] = .array(buckets) }
        if !folders.isEmpty { named["trail_log_folders"] = .array(folders) }
        if !scopes.isEmpty { named["trail_scopes"] = .array(scopes) }
        return OutputParsers.Parsed(named: named)
    }

    static func logGroupName(fromArn arn: String) -> String? {
        guard let range = arn.range(of: ":log-group:") else { return nil }
        let rest = arn[range.upperBound...]
        let name = rest.hasSuffix(":*") ? rest.dropLast(2) : rest
        return name.isEmpty ? nil : String(name)
    }

    /// `YYYY/MM/DD` for each UTC day from start to end, at most `maximumDays` (the latest).
    static func days(from start: String?, to end: String?) -> [String] {
        guard let start = start.flatMap(TrailLogTime.date), let end = end.flatMap(TrailLogTime.date), start <= end else {
            return []
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var days: [String] = []
        var day = calendar.startOfDay(for: end)
        let first = calendar.startOfDay(for: start)
        while day >= first && days.count < maximumDays {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            days.append(String(format: "%04d/%02d/%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
            guard let previous = calendar.date(byAdding: .day, value: -1, to: day) else { break }
            day = previous
        }
        return days.reversed()
    }
}

/// The account field of an ARN (`arn:aws:cloudtrail:us-east-1:111122223333:trail/x` → `111122223333`).
enum ARNParts {
    static func account(of arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}

/// Times as the runbook's facts and trail file names write them.
enum TrailLogTime {
    /// `2026-11-23T10:44:21Z` (the `time.start` / `time.end` facts).
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// The delivery stamp in a trail file name: `…_CloudTrail_us-east-1_20261123T1139Z_abc.json.gz`.
    static func fileStamp(_ name: String) -> Date? {
        for part in name.split(separator: "_") where part.count == 14 && part.hasSuffix("Z") && part.dropFirst(8).first == "T" {
            let digits = part.filter(\.isNumber)
            guard digits.count == 12 else { continue }
            let text = "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.dropFirst(6).prefix(2))T\(digits.dropFirst(8).prefix(2)):\(digits.dropFirst(10).prefix(2)):00Z"
            if let date = date(text) { return date }
        }
        return nil
    }
}
