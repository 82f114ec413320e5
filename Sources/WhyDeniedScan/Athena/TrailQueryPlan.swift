import Foundation

/// The text the runbook's Athena and CloudTrail Lake commands send, worked out once from where
/// the trail delivers and what the operator is looking for: the table DDL, the denied-events
/// SQL for Athena, the result location, and the two halves of the Lake query (the event data
/// store id goes between them, read from `list-event-data-stores`).
///
/// The table name carries a digest of its location, accounts and regions, so
/// `CREATE EXTERNAL TABLE IF NOT EXISTS` never reuses a table that points somewhere else.
///
/// ```swift
/// let plan = try TrailQueryPlan(bucket: "org-trail", prefix: "", accounts: ["111122223333"],
///                               region: "us-east-1", start: start, end: end, principal: "arn:aws:iam::111122223333:role/App")
/// plan.createTable        // CREATE EXTERNAL TABLE IF NOT EXISTS default.whydenied_cloudtrail_3f1c… (…)
/// plan.outputLocation     // s3://org-trail/athena-results/
/// ```
public struct TrailQueryPlan: Sendable, Equatable {
    /// CloudTrail began in November 2013: the projection covers every day a trail can hold, and
    /// each query names its own days, so one table serves every time frame.
    public static let firstDay = "2013/11/01"
    public static let workGroup = "primary"

    public let table: CloudTrailAthenaTable
    public let query: DeniedEventsQuery
    public let outputLocation: String

    public init(bucket: String, prefix: String?, accounts: [String], region: String, start: Date, end: Date,
                principal: String?) throws(InvalidPlan) {
        var unique: [String] = []
        for account in accounts where !unique.contains(account) { unique.append(account) }
        let cleanPrefix = (prefix ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let name = "whydenied_cloudtrail_" + Self.digest([bucket, cleanPrefix, unique.joined(separator: ","), region, Self.firstDay])
        do {
            table = try CloudTrailAthenaTable(name: name, bucket: bucket, prefix: cleanPrefix, accounts: unique,
                                              regions: [region], firstDay: Self.firstDay)
        } catch {
            throw InvalidPlan(description: "no Athena table for this trail: \(error.description)")
        }
        do {
            query = try DeniedEventsQuery(start: start, end: end, principal: principal)
        } catch {
            throw InvalidPlan(description: "no denied-events query: \(error.description)")
        }
        // Beside AWSLogs/, never inside the table's location.
        outputLocation = cleanPrefix.isEmpty ? "s3://\(bucket)/athena-results/" : "s3://\(bucket)/\(cleanPrefix)/athena-results/"
    }

    public struct InvalidPlan: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public var createTable: String { table.createStatement }
    public var athenaQuery: String { query.athenaSQL(table: table) }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and platforms (unlike `hashValue`).
    static func digest(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
