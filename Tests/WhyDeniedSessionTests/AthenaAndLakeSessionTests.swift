import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// The session side of the Athena and CloudTrail Lake paths without a process: the
/// plan_trail_queries facts, the three parsers, the runner request a `poll:` command becomes, and
/// the Lake path of the real runbook driven with recorded CLI outputs.
@Suite struct AthenaAndLakeSessionTests {
    static let roleARN = "arn:aws:iam::111122223333:role/DataAnalystRole"
    let facts: [String: JSONValue] = [
        "time.start": .string("2024-07-30T00:00:00Z"), "time.end": .string("2024-07-30T23:59:59Z"),
        "principal.arn": .string(roleARN), "principal.account_id": .string("111122223333"),
    ]

    func bucket(_ name: String, prefix: String? = nil) -> JSONValue {
        .array([.object(JSONObject([("bucket", .string(name)), ("prefix", prefix.map(JSONValue.string) ?? .null),
                                    ("trail", .string("arn:aws:cloudtrail:us-east-1:111122223333:trail/org"))]))])
    }

    @Test func planTrailQueriesGivesTheAthenaAndLakeFacts() throws {
        let plan = TrailQueryFacts.derive(captures: ["trail_buckets": bucket("org-trail-logs", prefix: "audit/"),
                                                     "caller_account": .string("444455556666")],
                                          facts: facts, parameters: ["region": "eu-west-1", "principal": "DataAnalystRole"])
        #expect(plan.notes == [])
        let ddl = try #require(plan.facts["athena.create_table"]?.stringValue)
        #expect(ddl.contains("LOCATION 's3://org-trail-logs/audit/AWSLogs/'"))
        #expect(ddl.contains("'projection.account.values'='111122223333,444455556666'"))
        #expect(ddl.contains("'projection.region.values'='eu-west-1'"))
        #expect(plan.facts["athena.output_location"] == .string("s3://org-trail-logs/audit/athena-results/"))
        #expect(plan.facts["athena.work_group"] == .string("primary"))
        let sql = try #require(plan.facts["athena.denied_events_query"]?.stringValue)
        #expect(sql.contains("\"timestamp\" IN ('2024/07/30')"))
        #expect(sql.contains("useridentity.arn = '\(Self.roleARN)'"))
        #expect(plan.facts["lake.query_select"]?.stringValue?.hasPrefix("SELECT eventID AS eventid") == true)
        #expect(plan.facts["lake.query_conditions"]?.stringValue?.contains("eventTime >= '2024-07-30 00:00:00'") == true)
        // The same trail gives the same table name every time: CREATE ... IF NOT EXISTS reuses it.
        let again = TrailQueryFacts.derive(captures: ["trail_buckets": bucket("org-trail-logs", prefix: "audit/"),
                                                      "caller_account": .string("444455556666")],
                                           facts: facts.merging(["time.start": .string("2024-06-01T00:00:00Z")]) { _, new in new },
                                           parameters: ["region": "eu-west-1"])
        let name = { (text: String?) in text?.split(separator: " ").dropFirst(5).first }
        #expect(name(again.facts["athena.create_table"]?.stringValue) == name(ddl))
    }

    @Test func withoutABucketOnlyLakeIsOfferedAndABadBucketIsANote() {
        let none = TrailQueryFacts.derive(captures: [:], facts: facts, parameters: ["region": "us-east-1"])
        #expect(none.facts["athena.create_table"] == nil)
        #expect(none.facts["lake.query_select"] != nil)
        let bad = TrailQueryFacts.derive(captures: ["trail_buckets": bucket("Bad_Bucket'; DROP TABLE x")], facts: facts,
                                         parameters: ["region": "us-east-1"])
        #expect(bad.facts["athena.create_table"] == nil)
        #expect(bad.notes.count == 1 && bad.notes[0].contains("is not an S3 bucket name"))
        let noTime = TrailQueryFacts.derive(captures: ["trail_buckets": bucket("org-trail-logs")], facts: [:], parameters: ["region": "us-east-1"])
        #expect(noTime.facts.isEmpty)
        #expect(noTime.notes == ["Athena and CloudTrail Lake are not offered: the time frame is not known."])
    }

    @Test func athenaRowsBecomeEventsAndTheHeaderIsDropped() throws {
        let output = try JSONValue.parse("""
            {"ResultSet": {"Rows": [
              {"Data": [{"VarCharValue": "eventid"}, {"VarCharValue": "eventtime"}, {"VarCharValue": "eventname"}, {"VarCharValue": "principal_arn"}]},
              {"Data": [{"VarCharValue": "e-1"}, {"VarCharValue": "2024-07-30T14:03:11Z"}, {"VarCharValue": "GetObject"}, {"VarCharValue": "arn:aws:iam::111122223333:user/ana"}]}
             ], "ResultSetMetadata": {"ColumnInfo": [{"Name": "eventid"}, {"Name": "eventtime"}, {"Name": "eventname"}, {"Name": "principal_arn"}]}},
             "UpdateCount": 0}
            """)
        let parsed = try OutputParsers.parse("athena_events", input: ParserInput(output: output))
        let events = try #require(parsed.value?.arrayValue)
        #expect(events.count == 1)
        #expect(events[0]["eventID"] == .string("e-1"))
        #expect(events[0]["userIdentity"]?["arn"] == .string("arn:aws:iam::111122223333:user/ana"))
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("athena_events", input: ParserInput(output: .object(JSONObject())))
        }
    }

    @Test func lakeRowsBecomeEventsWithISOTimes() throws {
        let output = try JSONValue.parse("""
            {"QueryStatus": "FINISHED", "QueryStatistics": {"ResultsCount": 1, "TotalResultsCount": 1, "BytesScanned": 2183000},
             "QueryResultRows": [[{"eventid": "lake-1"}, {"eventtime": "2024-07-30 14:03:11.000"}, {"eventsource": "s3.amazonaws.com"},
                                  {"eventname": "GetObject"}, {"errorcode": "AccessDenied"}, {"principal_arn": "arn:aws:iam::111122223333:user/ana"}]]}
            """)
        let parsed = try OutputParsers.parse("cloudtrail_lake_events", input: ParserInput(output: output))
        let events = try #require(parsed.value?.arrayValue)
        #expect(events.map { $0["eventTime"] } == [.string("2024-07-30T14:03:11Z")])
        #expect(events[0]["errorCode"] == .string("AccessDenied"))
    }

    @Test func theFirstQueryableEventDataStoreIsChosen() throws {
        let output = try JSONValue.parse("""
            {"EventDataStores": [
              {"EventDataStoreArn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/OLD-0000", "Name": "old", "Status": "PENDING_DELETION"},
              {"EventDataStoreArn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE",
               "Name": "management-events", "Status": "ENABLED", "MultiRegionEnabled": true, "OrganizationEnabled": false}
            ]}
            """)
        let parsed = try OutputParsers.parse("cloudtrail_lake_event_data_stores", input: ParserInput(output: output))
        #expect(parsed.value == .string("EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE"))
        let none = try OutputParsers.parse("cloudtrail_lake_event_data_stores", input: ParserInput(output: try JSONValue.parse(#"{"EventDataStores": []}"#)))
        #expect(none.value == nil && none.named.isEmpty)
    }

    @Test func aPollCommandBecomesAPollingRequest() throws {
        let runbook = try RunbookLoader.load(contentsOf: AthenaLookupAgainstMotoTests.runbookPath)
        let step = try #require(runbook.step("look_up_events"))
        let wait = try #require(step.commands.first { $0.id == "athena_query_done" })
        let polling = try #require(wait.polling)
        let request = PollRequest(polling)
        #expect(request.select.description == "QueryExecution.Status.State")
        #expect(request.failOn == ["FAILED", "CANCELLED"])
        #expect(request.firstInterval == .seconds(1) && request.longestInterval == .seconds(10))
        #expect(request.maxAttempts == 40)
    }

    /// The Lake path of the real runbook, with the outputs CloudTrail gives (moto has no Lake).
    /// Starting a query is a change (the catalog's Write: billed, and Athena writes its results
    /// to S3), so it runs only in a session with changes enabled; read-only, both are refused.
    @Test(arguments: [false, true])
    func lakePathRunsWhenAthenaIsNotAvailable(readOnly: Bool) throws {
        let runbook = try RunbookLoader.load(contentsOf: AthenaLookupAgainstMotoTests.runbookPath)
        var session = GuidedSession(runbook: runbook,
                                    parameters: ["principal": Self.roleARN, "region": "us-east-1",
                                                 "time_frame": "2024-07-30T00:00:00Z,2024-07-31T00:00:00Z"],
                                    now: Date(), readOnly: readOnly)
        let answers: [String: (Int32, String, String)] = [
            "verify_dependencies.caller_identity": (0, #"{"UserId": "AIDA", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/ops"}"#, ""),
            "check_trails.describe_trails": (0, #"{"trailList": [{"Name": "org", "S3BucketName": "org-trail-logs", "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org"}]}"#, ""),
            "check_trails.trail_status#1": (0, #"{"IsLogging": true}"#, ""),
            "check_trails.event_selectors#1": (0, #"{"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}]}"#, ""),
            "look_up_events.lookup_events_in_window": (254, "", "An error occurred (OperationNotPermittedException) when calling the LookupEvents operation: not allowed"),
            "look_up_events.athena_create_table": (254, "", "An error occurred (UnrecognizedClientException) when calling the StartQueryExecution operation: The security token included in the request is invalid."),
            "look_up_events.athena_start_query": (254, "", "An error occurred (UnrecognizedClientException) when calling the StartQueryExecution operation: The security token included in the request is invalid."),
            "look_up_events.lake_event_data_stores": (0, #"{"EventDataStores": [{"EventDataStoreArn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852", "Name": "mgmt", "Status": "ENABLED"}]}"#, ""),
            "look_up_events.lake_start_query": (0, #"{"QueryId": "EXAMPLEd-17a7-47c3-a9a1-eccf7EXAMPLE"}"#, ""),
            "look_up_events.lake_query_done": (0, #"{"QueryId": "EXAMPLEd-17a7-47c3-a9a1-eccf7EXAMPLE", "QueryStatus": "FINISHED"}"#, ""),
            "look_up_events.lake_query_results": (0, """
                {"QueryStatus": "FINISHED", "QueryResultRows": [[{"eventid": "lake-1"}, {"eventtime": "2024-07-30 14:03:11.000"},
                 {"eventsource": "s3.amazonaws.com"}, {"eventname": "GetObject"}, {"errorcode": "AccessDenied"},
                 {"errormessage": "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s is not authorized to perform: s3:GetObject on resource: \\"arn:aws:s3:::example-bucket/report.csv\\" because no identity-based policy allows the s3:GetObject action"},
                 {"identity_type": "AssumedRole"}, {"principal_arn": "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s"},
                 {"issuer_arn": "\(Self.roleARN)"}, {"requestparameters": "{\\"bucketName\\":\\"example-bucket\\",\\"key\\":\\"report.csv\\"}"}]]}
                """, ""),
        ]
        var ran: [String: CommandRequest] = [:]
        var refused: [String] = []
        drive: while session.engine.state(of: "parse_events") == .pending || session.engine.currentStepID == "parse_events" {
            switch session.nextStep() {
            case .checkTools(let request): session.recordTools(step: request.stepID, missing: [])
            case .run(let command, let request):
                // Read-only, the look-up ends without a query; what comes after is not this test's.
                if readOnly && command.stepID != "look_up_events" && !answers.keys.contains(command.id) { break drive }
                ran[command.id] = request
                guard let (code, stdout, stderr) = answers[command.id] else {
                    Issue.record("no recorded answer for \(command.id)")
                    break drive
                }
                let failure: CommandFailure? = code == 0 ? nil : CommandFailure.classify(stderr: stderr, exitCode: code, argv: command.argv)
                session.record(CommandOutcome(argv: command.argv, stdout: stdout, stderr: stderr, ending: .exited(code), failure: failure),
                               for: command)
            case .refuseMutation(let command):
                refused.append(command.id)
                session.refuse(command)
            case .analyse(let request): session.runAnalysis(request)
            case .blocked(let blocked): session.skip(blocked)
            case .halted(let halt):
                Issue.record("halted at \(halt.at): \(halt.reason)")
                break drive
            case .finished: break drive
            }
        }
        if readOnly {
            #expect(refused == ["look_up_events.athena_create_table", "look_up_events.athena_start_query",
                                "look_up_events.lake_start_query"])
            #expect(ran["look_up_events.lake_start_query"] == nil)
            return
        }
        // Athena is unavailable (the table's DDL fails), so the Lake query runs.
        #expect(refused.isEmpty)
        #expect(ran["look_up_events.athena_create_table"]?.mutates == true)
        let start = try #require(ran["look_up_events.lake_start_query"]?.argv)
        let statement = try #require(start.firstIndex(of: "--query-statement").map { start[$0 + 1] })
        #expect(statement.hasPrefix("SELECT eventID AS eventid"))
        #expect(statement.contains(" AS recipientaccountid FROM EXAMPLE-f852 WHERE eventTime >= '2024-07-30 00:00:00'"))
        #expect(ran["look_up_events.lake_query_done"]?.polling?.select.description == "QueryStatus")
        #expect(ran["look_up_events.lake_query_results"]?.paging?.tokenArgument == "--next-token")
        #expect(session.engine.captures["lake_events"]?.arrayValue?.count == 1)
        #expect(session.denials?.chosen?.eventID == "lake-1")
        #expect(session.engine.facts["denial.action"] == .string("s3:GetObject"))
    }
}
