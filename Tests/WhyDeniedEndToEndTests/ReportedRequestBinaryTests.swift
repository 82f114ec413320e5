import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedTestSupport

/// `analyze --message`: a pasted message has no event, and the built binary says so: each result
/// is a reported request naming the message (its block number and first line), in text and in
/// JSON, never "Event (no eventID)" or a made-up event id. Against docs/examples/snapshot-seed.
@Suite struct ReportedRequestBinaryTests {
    static let seedMessage = "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized "
        + "to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/q3.csv\" with an explicit deny "
        + "in a resource-based policy"
    static let pasted = "hello, this is not an error\n\n\n" + seedMessage + "\n"

    @Test(.enabled(if: WhyDeniedBinary.exists, "the binary is not built"))
    func aPastedMessageIsAReportedRequestNamedByItsPlace() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let snapshot = ["--account-snapshot", root.appendingPathComponent("docs/examples/snapshot-seed").path]
        let text = try await WhyDeniedBinary.running(["analyze", "--message", "-"] + snapshot, stdin: Self.pasted)
        #expect(text.stdout.contains("Reported request (no event; from the pasted message at standard input, message 2, line 4)"), "\(text.stdout)")
        #expect(!text.stdout.contains("no eventID"))
        #expect(text.stdout.contains("Pasted message at standard input, message 1, line 1: not analysed"))
        #expect(!text.stdout.contains("message-"))
        #expect(text.stderr.contains("analyzed 1 reported request(s) from pasted messages (no event)"), "\(text.stderr)")
        // No source IP without an event: the bucket policy's condition leaves it Undecided (exit 3).
        #expect(text.status == 3, "\(text.stderr)")

        let json = try await WhyDeniedBinary.running(["analyze", "--message", "-", "--json"] + snapshot, stdin: Self.pasted)
        // --json prints one pretty object per result, the messages' first.
        let results = try JSONValue.parse("[" + json.stdout.replacingOccurrences(of: "}\n{", with: "},\n{") + "]")
        let first = try #require(results[0])
        #expect(first["EventId"]?.isNull == true)
        #expect(first["ReportedRequest"]?["From"]?.stringValue == "the pasted message at standard input, message 2, line 4")
        #expect(first["ReportedRequest"]?["Facts"]?["action"]?.stringValue?.contains("perform: s3:GetObject") == true)
        #expect(first["ApiCall"]?["principal"]?.stringValue == "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session")
    }
}
