import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunner
@testable import WhyDeniedSession

/// The runner's `poll:` loop and nested paging, against recorded outputs in the real formats of
/// `athena get-query-execution`, `athena get-query-results` and `cloudtrail describe-query`.
@Suite struct PollingTests {
    func runner(_ launcher: ScriptedLauncher, sleeps: SleepLog) -> AWSCommandRunner {
        AWSCommandRunner(connection: AWSConnection(region: "us-east-1"), launcher: launcher,
                         retry: RetryPolicy(maxAttempts: 3, base: .seconds(1)), needsExecutable: false,
                         inheritedEnvironment: ["PATH": "/usr/bin"], sleep: { sleeps.record($0) }, unitRandom: { 1.0 })
    }

    static func execution(_ state: String, reason: String? = nil) -> String {
        let reasonField = reason.map { #", "StateChangeReason": \#(JSONValue.string($0).serialized())"# } ?? ""
        return """
        {
            "QueryExecution": {
                "QueryExecutionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
                "Query": "SELECT eventid FROM default.whydenied_cloudtrail_0f3a WHERE ...",
                "StatementType": "DML",
                "ResultConfiguration": {"OutputLocation": "s3://org-trail-logs/athena-results/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111.csv"},
                "QueryExecutionContext": {"Database": "default"},
                "Status": {"State": "\(state)"\(reasonField), "SubmissionDateTime": "2024-07-31T09:12:01.512000+00:00"},
                "Statistics": {"EngineExecutionTimeInMillis": 1840, "DataScannedInBytes": 5242880, "TotalExecutionTimeInMillis": 2011},
                "WorkGroup": "primary"
            }
        }
        """
    }

    let athenaPoll = PollRequest(select: try! JSONPath("QueryExecution.Status.State"), until: ["SUCCEEDED", "FAILED", "CANCELLED"],
                                 failOn: ["FAILED", "CANCELLED"], reason: try! JSONPath("QueryExecution.Status.StateChangeReason"),
                                 maxAttempts: 10, firstInterval: .seconds(1), longestInterval: .seconds(3))

    func pollRequest(_ poll: PollRequest, argv: [String] = ["aws", "athena", "get-query-execution", "--query-execution-id",
                                                             "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"]) -> CommandRequest {
        var request = CommandRequest(argv: argv)
        request.polling = poll
        return request
    }

    @Test func pollsWithDoublingPausesUntilTheQuerySucceeds() async {
        let launcher = ScriptedLauncher([ok(Self.execution("QUEUED")), ok(Self.execution("RUNNING")), ok(Self.execution("RUNNING")),
                                         ok(Self.execution("RUNNING")), ok(Self.execution("SUCCEEDED"))])
        let sleeps = SleepLog()
        let outcome = await runner(launcher, sleeps: sleeps).run(pollRequest(athenaPoll))
        #expect(outcome.succeeded)
        #expect(outcome.attempts == 5)
        #expect(sleeps.all == [.seconds(1), .seconds(2), .seconds(3), .seconds(3)])
        #expect(Set(launcher.recordedCalls).count == 1, "every poll runs the same argv")
        let answer = try? JSONValue.parse(outcome.stdout)
        #expect(answer?["QueryExecution"]?["Status"]?["State"]?.stringValue == "SUCCEEDED")
    }

    @Test func aFailedQueryIsAFailureWithAthenasReason() async {
        let reason = "TABLE_NOT_FOUND: line 10:6: Table 'awsdatacatalog.default.whydenied_cloudtrail_0f3a' does not exist"
        let launcher = ScriptedLauncher([ok(Self.execution("RUNNING")), ok(Self.execution("FAILED", reason: reason))])
        let outcome = await runner(launcher, sleeps: SleepLog()).run(pollRequest(athenaPoll))
        #expect(outcome.failure == .failed(code: "FAILED", message: "ended FAILED: \(reason)"))
        #expect(outcome.failure?.operatorMessage.contains("does not exist") == true)
        // The session reports it to the engine as a failed command although the CLI exited 0.
        #expect(GuidedSession.exitStatus(outcome) == 1)
    }

    @Test func aCancelledQueryWithoutReasonSaysSo() async {
        let launcher = ScriptedLauncher([ok(Self.execution("CANCELLED"))])
        let outcome = await runner(launcher, sleeps: SleepLog()).run(pollRequest(athenaPoll))
        #expect(outcome.failure == .failed(code: "CANCELLED", message: "ended CANCELLED: no reason given"))
    }

    @Test func runningOutOfAttemptsSaysWhereItStood() async {
        var poll = athenaPoll
        poll.maxAttempts = 3
        let launcher = ScriptedLauncher(Array(repeating: ok(Self.execution("RUNNING")), count: 3))
        let sleeps = SleepLog()
        let outcome = await runner(launcher, sleeps: sleeps).run(pollRequest(poll))
        #expect(launcher.recordedCalls.count == 3)
        #expect(sleeps.all == [.seconds(1), .seconds(2)])
        #expect(outcome.failure?.operatorMessage.hasPrefix("still RUNNING after 3 checks over 3 s") == true)
    }

    @Test func eachPollKeepsTheRunnersRetryOnThrottling() async {
        let throttled = "An error occurred (ThrottlingException) when calling the GetQueryExecution operation (reached max retries: 4): Rate exceeded"
        let launcher = ScriptedLauncher([failing(throttled), ok(Self.execution("SUCCEEDED"))])
        let outcome = await runner(launcher, sleeps: SleepLog()).run(pollRequest(athenaPoll))
        #expect(outcome.succeeded)
        #expect(outcome.attempts == 2)
    }

    @Test func aCLIErrorStopsThePolling() async {
        let error = "An error occurred (InvalidRequestException) when calling the GetQueryExecution operation: QueryExecution a1b2 was not found"
        let launcher = ScriptedLauncher([ok(Self.execution("RUNNING")), failing(error, exit: 254), ok(Self.execution("SUCCEEDED"))])
        let outcome = await runner(launcher, sleeps: SleepLog()).run(pollRequest(athenaPoll))
        #expect(!outcome.succeeded)
        #expect(launcher.recordedCalls.count == 2)
        #expect(outcome.stderr.contains("InvalidRequestException"))
    }

    @Test func anAnswerWithoutTheStateIsAFailure() async {
        let launcher = ScriptedLauncher([ok(#"{"QueryExecution": {}}"#)])
        let outcome = await runner(launcher, sleeps: SleepLog()).run(pollRequest(athenaPoll))
        #expect(outcome.failure == .failed(code: nil, message: "the answer has no QueryExecution.Status.State to poll on"))
    }

    @Test func lakeDescribeQueryIsPolledOnQueryStatus() async {
        let poll = PollRequest(select: try! JSONPath("QueryStatus"), until: ["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"],
                               failOn: ["FAILED", "CANCELLED", "TIMED_OUT"], reason: try! JSONPath("ErrorMessage"),
                               maxAttempts: 5, firstInterval: .milliseconds(500), longestInterval: .seconds(10))
        func describe(_ status: String, _ extra: String = "") -> ProcessExit {
            ok("""
            {"QueryId": "EXAMPLEd-17a7-47c3-a9a1-eccf7EXAMPLE", "QueryString": "SELECT eventid FROM EXAMPLE-f852 WHERE ...",
             "QueryStatus": "\(status)", "QueryStatistics": {"EventsMatched": 2, "EventsScanned": 1261, "BytesScanned": 2183000,
             "ExecutionTimeInMillis": 1304, "CreationTime": "2024-07-31T09:12:01.512000+00:00"}\(extra)}
            """)
        }
        let sleeps = SleepLog()
        let launcher = ScriptedLauncher([describe("QUEUED"), describe("RUNNING"), describe("FINISHED")])
        let outcome = await runner(launcher, sleeps: sleeps).run(
            pollRequest(poll, argv: ["aws", "cloudtrail", "describe-query", "--query-id", "EXAMPLEd-17a7-47c3-a9a1-eccf7EXAMPLE"]))
        #expect(outcome.succeeded)
        #expect(sleeps.all == [.milliseconds(500), .seconds(1)])
        let failed = ScriptedLauncher([describe("FAILED", #", "ErrorMessage": "Query failed: the event data store does not exist""#)])
        let failure = await runner(failed, sleeps: SleepLog()).run(
            pollRequest(poll, argv: ["aws", "cloudtrail", "describe-query", "--query-id", "x"]))
        #expect(failure.failure == .failed(code: "FAILED", message: "ended FAILED: Query failed: the event data store does not exist"))
    }

    @Test func athenaResultPagesAreMergedOnTheirNestedRows() async throws {
        func page(_ rows: [String], next: String?) -> ProcessExit {
            let data = rows.map { #"{"Data": [{"VarCharValue": "\#($0)"}]}"# }.joined(separator: ", ")
            let token = next.map { #", "NextToken": "\#($0)""# } ?? ""
            return ok(#"{"ResultSet": {"Rows": [\#(data)], "ResultSetMetadata": {"ColumnInfo": [{"Name": "eventid", "Type": "varchar"}]}}, "UpdateCount": 0\#(token)}"#)
        }
        let launcher = ScriptedLauncher([page(["eventid", "e-1"], next: "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="),
                                         page(["e-2", "e-3"], next: nil)])
        var request = CommandRequest(argv: ["aws", "athena", "get-query-results", "--query-execution-id", "q-1", "--max-items", "2"],
                                     paging: PageRequest(tokenArgument: "--starting-token", tokenField: "NextToken", maxPages: 5))
        request.paging?.itemsPath = try JSONPath("ResultSet.Rows")
        let outcome = await runner(launcher, sleeps: SleepLog()).run(request)
        #expect(outcome.pagesRead == 2)
        #expect(launcher.recordedCalls.last?.contains("--starting-token") == true)
        let merged = try JSONValue.parse(outcome.stdout)
        let ids = merged["ResultSet"]?["Rows"]?.arrayValue?.compactMap { $0["Data"]?[0]?["VarCharValue"]?.stringValue }
        #expect(ids == ["eventid", "e-1", "e-2", "e-3"])
        #expect(merged["ResultSet"]?["ResultSetMetadata"]?["ColumnInfo"]?.arrayValue?.count == 1)
        #expect(merged["NextToken"] == nil)
    }

    @Test func pausesDoubleUpToTheLongest() {
        let poll = PollRequest(select: try! JSONPath("State"), until: ["DONE"], firstInterval: .seconds(1), longestInterval: .seconds(10))
        #expect((2...7).map { poll.pause(beforeAttempt: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }
}
