import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedScan

/// `athena get-query-results` of the denied-events query (pages merged on `ResultSet.Rows`) →
/// CloudTrail records, as `cloudtrail_events` gives them, so the parse step reads them alike.
/// The header row Athena puts first is dropped; a row that is not a CloudTrail record is refused.
enum AthenaEventsParser {
    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        let rows: [[String: String?]]
        do {
            rows = try QueryRows.athenaRows(input.output, isFirstPage: true)
        } catch {
            throw OutputParsers.ParseError(parser: "athena_events", reason: error.description)
        }
        return .init(value: .array(try records(rows, parser: "athena_events")))
    }

    /// Rows → records that read as CloudTrail events (eventID, time, identity).
    static func records(_ rows: [[String: String?]], parser: String) throws(OutputParsers.ParseError) -> [JSONValue] {
        var records: [JSONValue] = []
        for (index, row) in rows.enumerated() {
            let record = QueryRows.record(from: row)
            do {
                _ = try CloudTrailEvent(record: record)
            } catch {
                throw OutputParsers.ParseError(parser: parser, reason: "row \(index + 1): \(error)")
            }
            records.append(record)
        }
        return records
    }
}
