import Foundation
import WhyDeniedJSON

/// `s3api list-objects-v2` of a trail log folder → `trail_log_files`: `{bucket, key, download_path}`
/// for each `.json.gz` log file delivered in the time frame (digest files skipped). CloudTrail
/// delivers a file up to about 15 minutes after its events, so files stamped up to an hour after
/// the frame's end are kept. `download_path` is a file in the session's download folder.
enum TrailLogObjectsParser {
    static let deliveryLeeway: TimeInterval = 3600
    static let earlyLeeway: TimeInterval = 900

    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        guard let bucket = input.item?["bucket"]?.stringValue else {
            throw OutputParsers.ParseError(parser: "trail_log_objects", reason: "the command ran without a {bucket, prefix} folder item")
        }
        guard let directory = input.downloadDirectory, !directory.isEmpty else {
            throw OutputParsers.ParseError(parser: "trail_log_objects", reason: "the session has no download folder for log files")
        }
        let start = input.facts["time.start"]?.stringValue.flatMap(TrailLogTime.date)
        let end = input.facts["time.end"]?.stringValue.flatMap(TrailLogTime.date)
        var files: [JSONValue] = []
        for object in input.output["Contents"]?.arrayValue ?? [] {
            guard let key = object["Key"]?.stringValue, key.hasSuffix(".json.gz"), !key.contains("CloudTrail-Digest") else { continue }
            let name = String(key.split(separator: "/").last ?? "")
            if let stamp = TrailLogTime.fileStamp(name) {
                if let start, stamp < start.addingTimeInterval(-earlyLeeway) { continue }
                if let end, stamp > end.addingTimeInterval(deliveryLeeway) { continue }
            }
            files.append(.object(JSONObject([
                ("bucket", .string(bucket)),
                ("key", .string(key)),
                ("download_path", .string((directory.hasSuffix("/") ? directory : directory + "/") + safeFileName(name))),
            ])))
        }
        return OutputParsers.Parsed(named: ["trail_log_files": .array(files)])
    }

    /// A key's last component with anything but letters, digits, `.`, `-`, `_` replaced, so
    /// an odd key can never point outside the download folder.
    static func safeFileName(_ name: String) -> String {
        let cleaned = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        let trimmed = cleaned.drop { $0 == "." }
        return trimmed.isEmpty ? "log.json.gz" : String(trimmed)
    }
}
