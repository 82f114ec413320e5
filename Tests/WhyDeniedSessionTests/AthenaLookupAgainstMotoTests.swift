import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WhyDeniedTestSupport
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
@testable import WhyDeniedSession

/// The look_up_events step's Athena path through `GuidedSession` and `AWSCommandRunner`, with the
/// real `aws` CLI against moto: the trail found by check_trails delivers to S3, event history is
/// unavailable (moto answers lookup-events with HTTP 500), so the session creates the table,
/// starts the denied-events query, polls both executions through moto's held QUEUED/RUNNING
/// states, pages through the results (seeded through moto's documented
/// `/moto-api/static/athena/query-results`) and hands the rows to the parse step as events.
@Suite struct AthenaLookupAgainstMotoTests {
    static let roleARN = "arn:aws:iam::\(MotoSandbox.accountID):role/DataAnalystRole"

    static func post(_ url: String, _ body: String) async throws {
        let status = try await MotoAPI.post(url, body)
        #expect((200..<300).contains(status), "moto answered \(status) to \(url)")
    }

    static let columns = ["eventid", "eventtime", "eventsource", "eventname", "awsregion", "errorcode", "errormessage",
                          "identity_type", "principal_arn", "issuer_arn", "issuer_name", "user_name", "account_id",
                          "sourceipaddress", "useragent", "vpcendpointid", "requestparameters", "recipientaccountid"]

    /// One result row as Athena returns it for the denied-events query.
    static func row(id: String, time: String, source: String, name: String, message: String, parameters: String) -> String {
        let values: [String?] = [
            id, time, source, name, "us-east-1", "AccessDenied", message, "AssumedRole",
            "arn:aws:sts::\(MotoSandbox.accountID):assumed-role/DataAnalystRole/analyst-session", roleARN,
            "DataAnalystRole", nil, MotoSandbox.accountID, "198.51.100.7", "aws-cli/2.15.0", nil, parameters, MotoSandbox.accountID,
        ]
        let cells = values.map { value in value.map { #"{"VarCharValue": \#(JSONValue.string($0).serialized())}"# } ?? "{}" }
        return "{\"Data\": [" + cells.joined(separator: ",") + "]}"
    }

    @Test func athenaPathFindsTheDeniedEventThroughTheSession() async throws {
        guard MotoSandbox.locateMoto() != nil else {
            Issue.record("moto_server is not installed: pip install 'moto[server]' (Scripts/setup.sh does)")
            return
        }
        try await MotoTestSandbox.with { sandbox in
            let pauses = PauseLog()
            let runner = AWSCommandRunner(connection: sandbox.connection, launcher: sandbox.sessionLauncher, sleep: { pauses.record($0) })

            // Seed: a trail delivering to S3 (no CloudWatch Logs group), held Athena states, the query's rows.
            for argv in [["aws", "s3api", "create-bucket", "--bucket", "org-trail-logs"],
                         ["aws", "cloudtrail", "create-trail", "--name", "org-trail", "--s3-bucket-name", "org-trail-logs"]] {
                let outcome = await runner.run(CommandRequest(argv: argv, mutates: true))
                #expect(outcome.succeeded, "\(argv.joined(separator: " ")): \(outcome.stderr)")
            }
            try await Self.post("\(sandbox.endpointURL)/moto-api/state-manager/set-transition",
                                #"{"model_name": "athena::execution", "transition": {"progression": "manual", "times": 2}}"#)
            let header = "{\"Data\": [" + Self.columns.map { #"{"VarCharValue": "\#($0)"}"# }.joined(separator: ",") + "]}"
            // More rows than one `--max-items 500` page: the runner must follow NextToken.
            var rows = (1...520).map { index in
                Self.row(id: String(format: "older-%04d", index), time: "2024-07-30T09:\(String(format: "%02d", index % 60)):00Z",
                         source: "sqs.amazonaws.com", name: "SendMessage",
                         message: "User: arn:aws:sts::\(MotoSandbox.accountID):assumed-role/DataAnalystRole/analyst-session is not authorized to perform: sqs:SendMessage",
                         parameters: #"{"queueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/jobs"}"#)
            }
            rows.append(Self.row(id: "3e7d5d5c-athena-target", time: "2024-07-30T14:03:11Z", source: "s3.amazonaws.com", name: "GetObject",
                                 message: "User: arn:aws:sts::\(MotoSandbox.accountID):assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::example-bucket/report.csv\" because no identity-based policy allows the s3:GetObject action",
                                 parameters: #"{"bucketName":"example-bucket","key":"report.csv"}"#))
            // moto hands queued results to executions as they start: the CREATE TABLE first (no rows, as
            // on AWS), then the denied-events query.
            let columnInfo = Self.columns.map { #"{"Name": "\#($0)", "Type": "varchar"}"# }.joined(separator: ",")
            try await Self.post("\(sandbox.endpointURL)/moto-api/static/athena/query-results", """
                {"account_id": "\(MotoSandbox.accountID)", "region": "\(MotoSandbox.region)",
                 "results": [{"rows": [], "column_info": []},
                             {"rows": [\(([header] + rows).joined(separator: ","))], "column_info": [\(columnInfo)]}]}
                """)

            // Drive the session from the start until the parse step has summarized the denials.
            let runbook = try RunbookLoader.load(contentsOf: Self.runbookPath)
            var session = GuidedSession(runbook: runbook,
                                        parameters: ["principal": Self.roleARN, "region": MotoSandbox.region,
                                                     "time_frame": "2024-07-30T00:00:00Z,2024-07-31T00:00:00Z"],
                                        now: Date(), readOnly: false)
            var requests: [String: CommandRequest] = [:]
            var outcomes: [String: CommandOutcome] = [:]
            drive: while session.engine.state(of: "parse_events") != .completed {
                switch session.nextStep() {
                case .checkTools(let request): session.recordTools(step: request.stepID, missing: [])
                case .run(let command, let request):
                    let outcome = await runner.run(request)
                    requests[command.id] = request
                    outcomes[command.id] = outcome
                    session.record(outcome, for: command)
                case .refuseMutation(let command): session.refuse(command)
                case .analyse(let request): session.runAnalysis(request)
                case .blocked(let blocked): session.skip(blocked)
                case .halted(let halt):
                    Issue.record("halted at \(halt.at): \(halt.reason); notes: \(session.notes)")
                    break drive
                case .finished: break drive
                }
            }

            // The facts check_trails' analysis worked out from the trail and the parameters.
            let ddl = try #require(requests["look_up_events.athena_create_table"]?.argv)
            let createTable = try #require(ddl.firstIndex(of: "--query-string").map { ddl[$0 + 1] })
            #expect(createTable.hasPrefix("CREATE EXTERNAL TABLE IF NOT EXISTS default.whydenied_cloudtrail_"))
            #expect(createTable.contains("LOCATION 's3://org-trail-logs/AWSLogs/'"))
            #expect(createTable.contains("'projection.account.values'='\(MotoSandbox.accountID)'"))
            #expect(ddl.contains("OutputLocation=s3://org-trail-logs/athena-results/"))
            let query = try #require(requests["look_up_events.athena_start_query"]?.argv)
            let sql = try #require(query.firstIndex(of: "--query-string").map { query[$0 + 1] })
            #expect(sql.contains("\"timestamp\" IN ('2024/07/30', '2024/07/31')"))
            #expect(sql.contains("useridentity.sessioncontext.sessionissuer.arn = '\(Self.roleARN)'"))

            // Event history was unavailable; Athena answered after polling and paging.
            #expect(session.engine.history.first { $0.id == "look_up_events.lookup_events_in_window" }?.result == .fellBack("500"))
            #expect(requests["look_up_events.athena_query_done"]?.polling != nil)
            #expect((outcomes["look_up_events.athena_table_ready"]?.attempts ?? 0) >= 3, "moto held QUEUED and RUNNING")
            #expect((outcomes["look_up_events.athena_query_done"]?.attempts ?? 0) >= 3, "moto held QUEUED and RUNNING")
            #expect(pauses.all.contains(.seconds(1)) && pauses.all.contains(.seconds(2)), "pauses double: \(pauses.all)")
            #expect(outcomes["look_up_events.athena_query_results"]?.pagesRead == 2)
            #expect(outcomes["look_up_events.lake_event_data_stores"] == nil, "Lake is not tried once Athena answered")
            #expect(session.engine.state(of: "look_up_events") == .completed)
            #expect(session.engine.captures["athena_events"]?.arrayValue?.count == 521)

            // The parse step read Athena's rows as events and picked the most recent denial.
            let denials = try #require(session.denials)
            #expect(denials.chosen?.eventID == "3e7d5d5c-athena-target")
            #expect(session.engine.facts["denial.action"] == .string("s3:GetObject"))
            #expect(session.engine.facts["denial.deny_type"] == .string("implicit"))
        }
    }

    static var runbookPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Runbooks/access-denied.yaml").path
    }
}

/// The pauses the runner asked for, instead of sleeping through them.
final class PauseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var pauses: [Duration] = []
    func record(_ pause: Duration) { lock.withLock { pauses.append(pause) } }
    var all: [Duration] { lock.withLock { pauses } }
}
