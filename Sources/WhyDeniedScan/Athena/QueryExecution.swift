import Foundation
import WhyDeniedJSON

/// Runs a denied-events query where the trail lives — Athena over the S3 bucket, or CloudTrail
/// Lake — through the `aws` CLI: start, poll with back-off until done, read every page up to a
/// bound the operator sees, and return CloudTrail records.
///
/// The CLI call and the sleep are handed in, so the loop is the same in tests (moto) and for real.
///
/// ```swift
/// var execution = QueryExecution(run: { argv in try await cli.json(argv) },
///                                sleep: { try? await Task.sleep(for: .seconds($0)) })
/// let rows = try await execution.athenaRows(sql: query.athenaSQL(table: table))
/// ```
public struct QueryExecution {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case queryFailed(state: String, reason: String)
        case timedOut(queryId: String, waited: Double)
        case unexpectedOutput(String)

        public var description: String {
            switch self {
            case .queryFailed(let state, let reason): return "the query ended \(state): \(reason)"
            case .timedOut(let id, let waited):
                return "query \(id) was still running after \(Int(waited)) s; stop it with `aws athena stop-query-execution --query-execution-id \(id)` or wait and read its results later"
            case .unexpectedOutput(let text): return "unexpected output: \(text)"
            }
        }
    }

    /// Delays between polls: 0.5 s doubling to at most 8 s, for at most `maximumWait` seconds in all.
    public struct PollingPolicy: Sendable, Equatable {
        public var firstDelay = 0.5
        public var longestDelay = 8.0
        public var maximumWait = 300.0
        public init() {}

        public func delays() -> [Double] {
            var delays: [Double] = []
            var delay = firstDelay
            var total = 0.0
            while total + delay <= maximumWait {
                delays.append(delay)
                total += delay
                delay = min(delay * 2, longestDelay)
            }
            return delays
        }
    }

    public let run: @Sendable ([String]) async throws -> JSONValue
    public let sleep: @Sendable (Double) async -> Void
    public var polling = PollingPolicy()
    /// Pages read at most; the operator sees this bound (and that more rows exist) in the summary.
    public var maximumPages = 20
    public var pageSize = 500
    /// Commands issued, in order, for the transcript.
    public private(set) var issued: [[String]] = []
    public private(set) var truncated = false

    public init(run: @escaping @Sendable ([String]) async throws -> JSONValue,
                sleep: @escaping @Sendable (Double) async -> Void) {
        self.run = run
        self.sleep = sleep
    }

    private mutating func call(_ argv: [String]) async throws -> JSONValue {
        issued.append(argv)
        return try await run(argv)
    }

    public static func athenaStartCommand(sql: String, database: String, workGroup: String, outputLocation: String?) -> [String] {
        var argv = ["aws", "athena", "start-query-execution", "--query-string", sql,
                    "--query-execution-context", "Database=\(database)", "--work-group", workGroup]
        if let outputLocation { argv += ["--result-configuration", "OutputLocation=\(outputLocation)"] }
        return argv
    }

    /// Runs SQL on Athena and returns the rows of every page read.
    public mutating func athenaRows(sql: String, database: String = "default", workGroup: String = "primary",
                                    outputLocation: String? = nil) async throws -> [[String: String?]] {
        let started = try await call(Self.athenaStartCommand(sql: sql, database: database, workGroup: workGroup, outputLocation: outputLocation))
        guard let id = started["QueryExecutionId"]?.stringValue else {
            throw Failure.unexpectedOutput("start-query-execution returned no QueryExecutionId")
        }
        try await waitForAthena(id)
        var rows: [[String: String?]] = []
        var token: String?
        for page in 0..<maximumPages {
            var argv = ["aws", "athena", "get-query-results", "--query-execution-id", id, "--max-items", String(pageSize)]
            if let token { argv += ["--starting-token", token] }
            let output = try await call(argv)
            rows += try QueryRows.athenaRows(output, isFirstPage: page == 0)
            token = output["NextToken"]?.stringValue
            if token == nil { return rows }
        }
        truncated = true
        return rows
    }

    private mutating func waitForAthena(_ id: String) async throws {
        var waited = 0.0
        var delays = polling.delays()[...]
        while true {
            let output = try await call(["aws", "athena", "get-query-execution", "--query-execution-id", id])
            let status = output["QueryExecution"]?["Status"]
            switch status?["State"]?.stringValue ?? "" {
            case "SUCCEEDED": return
            case "FAILED", "CANCELLED":
                throw Failure.queryFailed(state: status?["State"]?.stringValue ?? "?",
                                          reason: status?["StateChangeReason"]?.stringValue ?? "no reason given")
            case "QUEUED", "RUNNING":
                guard let delay = delays.popFirst() else { throw Failure.timedOut(queryId: id, waited: waited) }
                await sleep(delay)
                waited += delay
            default:
                throw Failure.unexpectedOutput("get-query-execution returned no known Status.State")
            }
        }
    }

    /// Runs SQL on CloudTrail Lake (`cloudtrail start-query`) and returns the rows.
    public mutating func lakeRows(sql: String) async throws -> [[String: String?]] {
        let started = try await call(["aws", "cloudtrail", "start-query", "--query-statement", sql])
        guard let id = started["QueryId"]?.stringValue else {
            throw Failure.unexpectedOutput("start-query returned no QueryId")
        }
        var waited = 0.0
        var delays = polling.delays()[...]
        var rows: [[String: String?]] = []
        var token: String?
        var pages = 0
        while true {
            var argv = ["aws", "cloudtrail", "get-query-results", "--query-id", id]
            if let token { argv += ["--next-token", token] }
            let output = try await call(argv)
            switch output["QueryStatus"]?.stringValue ?? "" {
            case "QUEUED", "RUNNING":
                guard let delay = delays.popFirst() else { throw Failure.timedOut(queryId: id, waited: waited) }
                await sleep(delay)
                waited += delay
                continue
            case "FINISHED":
                rows += try QueryRows.lakeRows(output)
                pages += 1
                token = output["NextToken"]?.stringValue
                if token == nil { return rows }
                if pages >= maximumPages { truncated = true; return rows }
            case let state:
                throw Failure.queryFailed(state: state.isEmpty ? "unknown" : state,
                                          reason: output["ErrorMessage"]?.stringValue ?? "no reason given")
            }
        }
    }
}
