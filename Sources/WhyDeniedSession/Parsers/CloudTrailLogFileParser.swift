import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON

/// `s3api get-object` of a trail log file → `file_events`: the denied records of the principal in
/// the downloaded `.json.gz` (read with the evidence library's CloudTrail reader), inside the
/// time frame when the facts give one.
enum CloudTrailLogFileParser {
    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        let path = input.item?["download_path"]?.stringValue ?? "the downloaded file"
        guard let bytes = input.downloadedFile else {
            throw OutputParsers.ParseError(parser: "cloudtrail_log_file", reason: "\(path) was not written (a replayed session downloads nothing)")
        }
        let result: CloudTrailReadResult
        do {
            result = try CloudTrailReader.read(bytes: bytes, source: path)
        } catch {
            throw OutputParsers.ParseError(parser: "cloudtrail_log_file", reason: error.message)
        }
        let start = input.facts["time.start"]?.stringValue.flatMap(TrailLogTime.date)
        let end = input.facts["time.end"]?.stringValue.flatMap(TrailLogTime.date)
        let records = result.deniedEvents.filter { event in
            guard CloudTrailEventsParser.matches(event, input.principalNames) else { return false }
            guard let time = event.eventTime else { return true }
            if let start, time < start { return false }
            if let end, time > end { return false }
            return true
        }.map(\.raw)
        return OutputParsers.Parsed(named: ["file_events": .array(records)])
    }
}
