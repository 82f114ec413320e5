import WhyDeniedJSON
import WhyDeniedScan

/// `cloudtrail get-query-results` of the denied-events Lake query (pages merged on
/// `QueryResultRows`) → CloudTrail records, as `cloudtrail_events` gives them.
enum CloudTrailLakeEventsParser {
    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        let rows: [[String: String?]]
        do {
            rows = try QueryRows.lakeRows(input.output)
        } catch {
            throw OutputParsers.ParseError(parser: "cloudtrail_lake_events", reason: error.description)
        }
        return .init(value: .array(try AthenaEventsParser.records(rows, parser: "cloudtrail_lake_events")))
    }
}
