import Foundation
import Testing

/// Undecided is never the "allowed" exit 0: `analyze` and `evaluate`, the built binary, on the
/// examples of docs/.
@Suite struct VerdictExitStatusTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func status(_ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = root.appendingPathComponent(".build/debug/whydenied")
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func analyzeExitsThreeWhenAVerdictIsUndecided() throws {
        let decided = try Self.status(["analyze", "--events-file", "docs/examples/seed-denied-event.json",
                                       "--account-snapshot", "docs/examples/snapshot-seed"])
        #expect(decided.0 == 0, "\(decided.1)")
        let undecided = try Self.status(["analyze", "--events-file", "docs/examples/seed-event-without-source-ip.json",
                                         "--account-snapshot", "docs/examples/snapshot-seed"])
        #expect(undecided.0 == 3, "\(undecided.1)")
    }

    @Test func evaluateExitsThreeForAnUnreadBucketPolicy() throws {
        let input = #"""
        {"request": {"principal": "arn:aws:iam::111122223333:user/ana", "action": "s3:GetObject",
                     "resource": {"arn": "arn:aws:s3:::reports/q3.csv", "account": "111122223333"}},
         "policies": {"identity": [{"name": "Read", "document": {"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}],
                      "resourcePolicy": {"name": "bucket policy of reports", "unread": {
                        "read": "aws s3api get-bucket-policy --bucket reports", "reason": "no connection"}}}}
        """#
        let (status, output) = try Self.status(["evaluate", "-"], input: input)
        #expect(status == 3, "\(output)")
        #expect(output.contains("bucket policy of reports\" could not be read (aws s3api get-bucket-policy --bucket reports failed: no connection)"))
    }

    // The caller's side: a boundary whose read failed makes the identity Allow undecided.
    @Test func evaluateExitsThreeForAnUnreadBoundary() throws {
        let input = #"""
        {"request": {"principal": "arn:aws:sts::111122223333:assumed-role/OrderProcessorRole/w", "action": "sqs:SendMessage",
                     "resource": {"arn": "arn:aws:sqs:us-east-1:111122223333:orders", "account": "111122223333"}},
         "policies": {"identity": [{"name": "OrdersQueueWriter", "document": {"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}}],
                      "permissionsBoundary": {"name": "OrderProcessorBoundary", "unread": {
                        "read": "aws iam get-policy-version --policy-arn arn:aws:iam::111122223333:policy/OrderProcessorBoundary --version-id v1",
                        "reason": "AccessDenied"}}}}
        """#
        let (status, output) = try Self.status(["evaluate", "-"], input: input)
        #expect(status == 3, "\(output)")
        #expect(output.contains("permissions boundary \"OrderProcessorBoundary\" could not be read (aws iam get-policy-version"), "\(output)")
    }
}
