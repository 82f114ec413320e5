import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WhyDeniedTestSupport
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
@testable import WhyDeniedScan

/// The Athena path through the real `aws` CLI against moto's Athena, whose query results are
/// seeded through moto's documented `/moto-api/static/athena/query-results` endpoint and whose
/// query states are held for several polls through its state manager.
@Suite struct AthenaMotoTests {
    static func post(_ url: String, _ body: String) async throws {
        let status = try await MotoAPI.post(url, body)
        #expect((200..<300).contains(status), "moto answered \(status) to \(url)")
    }

    static func cell(_ value: String?) -> String { value.map { #"{"VarCharValue": \#(JSONValue.string($0).serialized())}"# } ?? "{}" }

    @Test func pollsPagesAndConvertsRowsThroughTheRealCLI() async throws {
        guard MotoSandbox.locateMoto() != nil else {
            Issue.record("moto_server is not installed: pip install 'moto[server]' (Scripts/setup.sh does)")
            return
        }
        try await MotoTestSandbox.with { sandbox in
            // Each query state lasts two polls, so the loop really waits through QUEUED and RUNNING.
            try await Self.post("\(sandbox.endpointURL)/moto-api/state-manager/set-transition",
                                #"{"model_name": "athena::execution", "transition": {"progression": "manual", "times": 2}}"#)
            let columns = DeniedEventsQuery.columns
            let header = "{\"Data\": [" + columns.map { Self.cell($0) }.joined(separator: ",") + "]}"
            let rows = (1...3).map { index in
                "{\"Data\": [" + AthenaQueryTests.row("moto-event-\(index)").map { Self.cell($0) }.joined(separator: ",") + "]}"
            }
            let columnInfo = columns.map { #"{"Name": "\#($0)", "Type": "varchar"}"# }.joined(separator: ",")
            try await Self.post("\(sandbox.endpointURL)/moto-api/static/athena/query-results", """
                {"account_id": "\(MotoSandbox.accountID)", "region": "\(MotoSandbox.region)",
                 "results": [{"rows": [\(([header] + rows).joined(separator: ","))], "column_info": [\(columnInfo)]}]}
                """)

            let runner = sandbox.runner()
            let formatter = ISO8601DateFormatter()
            let query = try DeniedEventsQuery(start: formatter.date(from: "2024-07-30T00:00:00Z")!,
                                              end: formatter.date(from: "2024-07-31T00:00:00Z")!,
                                              principal: "arn:aws:iam::111122223333:role/DataAnalystRole")
            let table = try CloudTrailAthenaTable(bucket: "org-trail-logs", prefix: "", accounts: ["111122223333"],
                                                  regions: ["us-east-1"], firstDay: "2024/01/01")
            var execution = QueryExecution(run: { argv in
                let outcome = await runner.run(CommandRequest(argv: argv))
                if let failure = outcome.failure { throw QueryExecution.Failure.unexpectedOutput("\(argv[1]) \(argv[2]): \(failure)") }
                return try JSONValue.parse(outcome.stdout)
            }, sleep: { _ in })
            execution.pageSize = 2
            let found = try await execution.athenaRows(sql: query.athenaSQL(table: table), outputLocation: "s3://athena-results/whydenied/")

            let polls = execution.issued.filter { $0[2] == "get-query-execution" }.count
            #expect(polls >= 3, "moto held QUEUED and RUNNING for two polls each")
            let pages = execution.issued.filter { $0[2] == "get-query-results" }
            #expect(pages.count == 2, "four rows (header + 3) in pages of two")
            #expect(pages.last?.contains("--starting-token") == true)
            #expect(found.count == 3)
            let records = found.map(QueryRows.record(from:))
            #expect(records.map { $0["eventID"]?.stringValue } == ["moto-event-1", "moto-event-2", "moto-event-3"])
            #expect(records[0]["errorCode"]?.stringValue == "AccessDenied")
            #expect(records[0]["sourceIPAddress"]?.stringValue == "198.51.100.7")
        }
    }
}
