import WhyDeniedJSON
import WhyDeniedScan

/// `cloudtrail list-event-data-stores` → the id of the first event data store that can be queried
/// (not pending deletion), checked so it can stand after FROM in the Lake SQL. No store: nothing.
enum CloudTrailLakeEventDataStoresParser {
    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        guard let stores = input.output["EventDataStores"]?.arrayValue else {
            throw OutputParsers.ParseError(parser: "cloudtrail_lake_event_data_stores", reason: "the output has no EventDataStores list")
        }
        for store in stores where store["Status"]?.stringValue != "PENDING_DELETION" {
            guard let arn = store["EventDataStoreArn"]?.stringValue else { continue }
            do {
                return .init(value: .string(try DeniedEventsQuery.lakeTable(arn)))
            } catch {
                throw OutputParsers.ParseError(parser: "cloudtrail_lake_event_data_stores", reason: error.description)
            }
        }
        return .init()
    }
}
