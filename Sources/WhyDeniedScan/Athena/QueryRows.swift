import Foundation
import WhyDeniedJSON

/// Turns the rows Athena (`get-query-results`) or CloudTrail Lake returns for a
/// `DeniedEventsQuery` back into CloudTrail records, so the rest of whydenied reads them like
/// events from any other source.
public enum QueryRows {
    public struct UnexpectedShape: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Rows of one Athena `get-query-results` page as column name → value (nil for SQL NULL).
    /// Athena repeats the column names as the first row of the first page; that row is dropped.
    public static func athenaRows(_ page: JSONValue, isFirstPage: Bool) throws(UnexpectedShape) -> [[String: String?]] {
        guard let rows = page["ResultSet"]?["Rows"]?.arrayValue else {
            throw UnexpectedShape(description: "get-query-results output has no ResultSet.Rows")
        }
        let names: [String]
        if let info = page["ResultSet"]?["ResultSetMetadata"]?["ColumnInfo"]?.arrayValue, !info.isEmpty {
            names = info.map { ($0["Name"]?.stringValue ?? "").lowercased() }
        } else {
            names = DeniedEventsQuery.columns
        }
        var result: [[String: String?]] = []
        for (index, row) in rows.enumerated() {
            guard let cells = row["Data"]?.arrayValue else {
                throw UnexpectedShape(description: "row \(index + 1) has no Data list")
            }
            let values: [String?] = cells.map { $0["VarCharValue"]?.stringValue }
            if isFirstPage, index == 0, values.map({ $0?.lowercased() }) == names.map({ Optional($0) }) { continue }
            var record: [String: String?] = [:]
            for (name, value) in zip(names, values) { record[name] = value }
            result.append(record)
        }
        return result
    }

    /// Rows of a CloudTrail Lake `get-query-results` answer: each row is a list of one-key objects.
    public static func lakeRows(_ page: JSONValue) throws(UnexpectedShape) -> [[String: String?]] {
        guard let rows = page["QueryResultRows"]?.arrayValue else {
            if page["QueryResultRows"] == nil, page["QueryStatus"] != nil { return [] }
            throw UnexpectedShape(description: "CloudTrail Lake output has no QueryResultRows")
        }
        return rows.map { row in
            var record: [String: String?] = [:]
            for cell in row.arrayValue ?? [] {
                for entry in cell.objectValue?.entries ?? [] {
                    record[entry.key.lowercased()] = entry.value.isNull ? nil : (entry.value.scalarText ?? entry.value.serialized())
                }
            }
            return record
        }
    }

    /// Lake answers `2024-07-30 14:03:11.000`; CloudTrail records say `2024-07-30T14:03:11Z`.
    static func isoTime(_ text: String) -> String {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$"#, options: .regularExpression) != nil else { return text }
        return text.prefix(10) + "T" + text.dropFirst(11).prefix(8) + "Z"
    }

    /// One row as a CloudTrail record with the fields the analysis reads.
    public static func record(from row: [String: String?]) -> JSONValue {
        func text(_ key: String) -> JSONValue? { (row[key] ?? nil).map(JSONValue.string) }
        var identity = JSONObject()
        identity["type"] = text("identity_type")
        identity["arn"] = text("principal_arn")
        identity["accountId"] = text("account_id")
        identity["userName"] = text("user_name")
        if row["issuer_arn"] != nil || row["issuer_name"] != nil {
            var issuer = JSONObject()
            issuer["type"] = .string("Role")
            issuer["arn"] = text("issuer_arn")
            issuer["userName"] = text("issuer_name")
            identity["sessionContext"] = .object(JSONObject([("sessionIssuer", .object(issuer))]))
        }
        var record = JSONObject()
        record["eventID"] = text("eventid")
        record["eventTime"] = (row["eventtime"] ?? nil).map { .string(isoTime($0)) }
        record["eventSource"] = text("eventsource")
        record["eventName"] = text("eventname")
        record["awsRegion"] = text("awsregion")
        record["errorCode"] = text("errorcode")
        record["errorMessage"] = text("errormessage")
        record["userIdentity"] = .object(identity)
        record["sourceIPAddress"] = text("sourceipaddress")
        record["userAgent"] = text("useragent")
        record["vpcEndpointId"] = text("vpcendpointid")
        if let parameters = row["requestparameters"] ?? nil {
            // The table keeps requestParameters as JSON text; keep the text if it does not parse.
            record["requestParameters"] = (try? JSONValue.parse(parameters)) ?? .string(parameters)
        }
        record["recipientAccountId"] = text("recipientaccountid")
        return .object(record)
    }
}
