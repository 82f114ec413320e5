import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedScan

@Suite struct AthenaQueryTests {
    let formatter = ISO8601DateFormatter()

    func table() throws -> CloudTrailAthenaTable {
        try CloudTrailAthenaTable(bucket: "org-trail-logs", prefix: "trails/", accounts: ["111122223333"],
                                  regions: ["us-east-1", "eu-west-1"], firstDay: "2024/01/01")
    }

    @Test func tableProjectsAccountRegionAndDayOverTheTrailPrefix() throws {
        let ddl = try table().createStatement
        #expect(ddl.contains("PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)"))
        #expect(ddl.contains("'projection.account.values'='111122223333'"))
        #expect(ddl.contains("'projection.region.values'='us-east-1,eu-west-1'"))
        #expect(ddl.contains("'storage.location.template'='s3://org-trail-logs/trails/AWSLogs/${account}/CloudTrail/${region}/${timestamp}'"))
        #expect(ddl.contains("'projection.timestamp.range'='2024/01/01,NOW'"))
    }

    @Test func tableRejectsValuesThatWouldBreakTheSQL() {
        #expect(throws: CloudTrailAthenaTable.InvalidTable.self) {
            try CloudTrailAthenaTable(bucket: "bad'; DROP TABLE x; --", prefix: "", accounts: ["111122223333"], regions: ["us-east-1"], firstDay: "2024/01/01")
        }
        #expect(throws: CloudTrailAthenaTable.InvalidTable.self) {
            try CloudTrailAthenaTable(bucket: "ok-bucket", prefix: "", accounts: ["1234"], regions: ["us-east-1"], firstDay: "2024/01/01")
        }
    }

    @Test func queryPrunesDaysAndFiltersPrincipalAndCodes() throws {
        let query = try DeniedEventsQuery(start: formatter.date(from: "2024-07-30T22:00:00Z")!,
                                          end: formatter.date(from: "2024-08-01T01:00:00Z")!,
                                          principal: "arn:aws:iam::111122223333:role/DataAnalystRole")
        let sql = query.athenaSQL(table: try table())
        #expect(sql.contains(#""timestamp" IN ('2024/07/30', '2024/07/31', '2024/08/01')"#))
        #expect(sql.contains("eventtime BETWEEN '2024-07-30T22:00:00Z' AND '2024-08-01T01:00:00Z'"))
        #expect(sql.contains("lower(errorcode) LIKE '%accessdenied%' OR lower(errorcode) LIKE '%unauthorized%'"))
        #expect(sql.contains("useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::111122223333:role/DataAnalystRole'"))
        let lake = try query.lakeSQL(eventDataStore: "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE")
        #expect(lake.contains("FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"))
        #expect(lake.contains("eventTime >= '2024-07-30 22:00:00'"))
    }

    @Test func principalTextThatIsNotAnArnOrNameIsRefused() {
        #expect(throws: DeniedEventsQuery.InvalidQuery.self) {
            try DeniedEventsQuery(start: Date(), end: Date(), principal: "x' OR '1'='1")
        }
    }

    static func page(_ rows: [[String?]], header: Bool, next: String?) -> JSONValue {
        let names = DeniedEventsQuery.columns
        var all = rows
        if header { all.insert(names, at: 0) }
        var object = JSONObject([("ResultSet", .object(JSONObject([
            ("Rows", .array(all.map { row in .object(JSONObject([("Data", .array(row.map { value in
                value.map { .object(JSONObject([("VarCharValue", .string($0))])) } ?? .object(JSONObject())
            }))])) })),
            ("ResultSetMetadata", .object(JSONObject([("ColumnInfo", .array(names.map { .object(JSONObject([("Name", .string($0))])) }))]))),
        ])))])
        if let next { object["NextToken"] = .string(next) }
        return .object(object)
    }

    static func row(_ id: String) -> [String?] {
        [id, "2024-07-30T21:31:21Z", "s3.amazonaws.com", "GetObject", "us-east-1", "AccessDenied", "Access Denied",
         "AssumedRole", "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/ana",
         "arn:aws:iam::111122223333:role/DataAnalystRole", "DataAnalystRole", nil, "111122223333",
         "198.51.100.7", "aws-cli/2.15.0", nil, #"{"bucketName":"analytics-data-bucket","key":"q3.csv"}"#, "111122223333"]
    }

    @Test func pollsWithBackOffThenReadsEveryPage() async throws {
        let states = Box(["QUEUED", "RUNNING", "RUNNING", "SUCCEEDED"])
        let slept = Box([Double]())
        var execution = QueryExecution(run: { argv in
            switch argv[2] {
            case "start-query-execution": return .object(JSONObject([("QueryExecutionId", .string("q-1"))]))
            case "get-query-execution":
                let state = states.update { $0.removeFirst() }
                return .object(JSONObject([("QueryExecution", .object(JSONObject([("Status", .object(JSONObject([("State", .string(state))])))])))]))
            default:
                if argv.contains("--starting-token") { return Self.page([Self.row("e-3")], header: false, next: nil) }
                return Self.page([Self.row("e-1"), Self.row("e-2")], header: true, next: "tok-2")
            }
        }, sleep: { delay in slept.update { $0.append(delay) } })
        let rows = try await execution.athenaRows(sql: "SELECT 1")
        #expect(slept.value == [0.5, 1.0, 2.0])
        #expect(rows.count == 3)
        #expect(execution.issued.last == ["aws", "athena", "get-query-results", "--query-execution-id", "q-1", "--max-items", "500", "--starting-token", "tok-2"])
        let record = QueryRows.record(from: rows[0])
        #expect(record["eventID"]?.stringValue == "e-1")
        #expect(record["userIdentity"]?["sessionContext"]?["sessionIssuer"]?["arn"]?.stringValue == "arn:aws:iam::111122223333:role/DataAnalystRole")
        #expect(record["requestParameters"]?["key"]?.stringValue == "q3.csv")
        #expect(record["userIdentity"]?["userName"] == nil)
    }

    @Test func aFailedQuerySaysWhy() async {
        var execution = QueryExecution(run: { argv in
            if argv[2] == "start-query-execution" { return .object(JSONObject([("QueryExecutionId", .string("q-2"))])) }
            return try JSONValue.parse(#"{"QueryExecution":{"Status":{"State":"FAILED","StateChangeReason":"Table not found"}}}"#)
        }, sleep: { _ in })
        await #expect(throws: QueryExecution.Failure.queryFailed(state: "FAILED", reason: "Table not found")) {
            try await execution.athenaRows(sql: "SELECT 1")
        }
    }

    @Test func aQueryThatNeverEndsTimesOutWithTheStopCommand() async {
        var policy = QueryExecution.PollingPolicy()
        policy.maximumWait = 4
        var execution = QueryExecution(run: { argv in
            if argv[2] == "start-query-execution" { return .object(JSONObject([("QueryExecutionId", .string("q-3"))])) }
            return try JSONValue.parse(#"{"QueryExecution":{"Status":{"State":"RUNNING"}}}"#)
        }, sleep: { _ in })
        execution.polling = policy
        do {
            _ = try await execution.athenaRows(sql: "SELECT 1")
            Issue.record("expected a time-out")
        } catch {
            #expect("\(error)".contains("stop-query-execution --query-execution-id q-3"))
        }
    }

    @Test func pagingStopsAtTheVisibleBound() async throws {
        var execution = QueryExecution(run: { argv in
            switch argv[2] {
            case "start-query-execution": return .object(JSONObject([("QueryExecutionId", .string("q-4"))]))
            case "get-query-execution": return try JSONValue.parse(#"{"QueryExecution":{"Status":{"State":"SUCCEEDED"}}}"#)
            default: return Self.page([Self.row(UUID().uuidString)], header: !argv.contains("--starting-token"), next: "more")
            }
        }, sleep: { _ in })
        execution.maximumPages = 3
        let rows = try await execution.athenaRows(sql: "SELECT 1")
        #expect(rows.count == 3)
        #expect(execution.truncated)
    }

    @Test func lakeRowsBecomeRecords() async throws {
        let calls = Box(0)
        var execution = QueryExecution(run: { argv in
            if argv[2] == "start-query" { return .object(JSONObject([("QueryId", .string("lake-1"))])) }
            if calls.update({ $0 += 1; return $0 }) == 1 { return try JSONValue.parse(#"{"QueryStatus":"RUNNING"}"#) }
            return try JSONValue.parse(#"{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventid":"l-1"},{"errorcode":"AccessDenied"},{"principal_arn":"arn:aws:iam::111122223333:user/bob"}]]}"#)
        }, sleep: { _ in })
        let rows = try await execution.lakeRows(sql: "SELECT 1")
        let record = QueryRows.record(from: rows[0])
        #expect(record["eventID"]?.stringValue == "l-1")
        #expect(record["userIdentity"]?["arn"]?.stringValue == "arn:aws:iam::111122223333:user/bob")
    }
}

/// A value shared with the `@Sendable` closures of a scripted CLI.
final class Box<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    @discardableResult
    func update<Result>(_ change: (inout Value) -> Result) -> Result { lock.withLock { change(&stored) } }
}
