import Foundation
import Testing
import WhyDeniedTestSupport

/// Bad input gets a clear answer from the real binary: what is wrong, where, and a non-zero exit.
@Suite(.enabled(if: WhyDeniedBinary.exists, "the whydenied binary is not built"))
struct BadInputCommandTests {
    /// A folder of inputs made for one test, removed after it.
    final class Inputs {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-bad-\(UUID().uuidString.prefix(8))")
        init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }

        func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
    }

    static let record = #"{"Records":[{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","errorCode":"AccessDenied","errorMessage":"Access Denied","eventID":"e1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012"},"requestParameters":{"bucketName":"reports","key":"q3.csv"}}]}"#

    /// A real gzip of the record, from the system's gzip (the same format S3 trail files use).
    static func gzipped(_ text: String, in inputs: Inputs) throws -> [UInt8] {
        let plain = try inputs.file("plain.json", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-nkf", plain]  // -n: no name in the header, so the data starts at byte 10
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
    }

    /// A WHYDENIED_AWS_DRIVER the binary does not know is refused by every command that runs aws,
    /// naming the choices, before anything runs (the demo stages no sandbox).
    @Test(arguments: [["run", "--non-interactive", "--yes-read-only", "--param", "principal=arn:aws:iam::123456789012:user/a",
                       "--param", "time_frame=1h", "--param", "region=us-east-1"],
                      ["demo", "--non-interactive"]])
    func anUnknownCLIDriverChoiceIsRefused(arguments: [String]) async throws {
        let run = try await WhyDeniedBinary.running(arguments, environment: ["WHYDENIED_AWS_DRIVER": "fast"])
        #expect(run.status == 64, "\(run.output)")
        #expect(run.stderr.contains("WHYDENIED_AWS_DRIVER=fast: expected one of processes, resident"), "\(run.output)")
        #expect(!run.output.contains("Starting a local AWS sandbox"), "\(run.output)")
    }

    @Test func parseSaysWhatIsWrongWithATruncatedCorruptOrNonGzipTrailFile() throws {
        let inputs = try Inputs()
        let gzip = try Self.gzipped(Self.record, in: inputs)
        let truncated = try inputs.file("truncated.json.gz", Array(gzip.prefix(gzip.count / 2)))
        var damaged = gzip
        for i in 10..<min(30, damaged.count) { damaged[i] = 0xFF }
        let corrupt = try inputs.file("corrupt.json.gz", damaged)
        let notGzip = try inputs.file("notgzip.json.gz", "this is not gzip\n")
        for (path, says) in [(truncated, "gzip data ends early (truncated file?)"), (corrupt, "not valid gzip data"),
                             (notGzip, "not valid JSON")] {
            let parse = try WhyDeniedBinary.run(["parse", path])
            #expect(parse.status == 1, "\(path): \(parse)")
            #expect(parse.stderr.contains("Error: \(path): \(says)"), "\(path): \(parse)")
            // The same words as analyze: one reader answers for both.
            let analyze = try WhyDeniedBinary.run(["analyze", "--events-file", path])
            #expect(analyze.status != 0)
            let reason = parse.stderr.components(separatedBy: "Error: ").last?.split(separator: "\n").first.map(String.init) ?? "?"
            #expect(analyze.stderr.contains("--events-file: \(reason)"), "\(analyze)")
        }
    }

    @Test func parseAndAnalyzeOnFilesWithNoEventsSaySoAndFail() throws {
        let inputs = try Inputs()
        let empty = try inputs.file("empty.json", #"{"Records": []}"#)
        let parse = try WhyDeniedBinary.run(["parse", empty])
        #expect(parse.status == 1, "\(parse)")
        #expect(parse.stdout.contains("problem: no CloudTrail events in the input"), "\(parse)")
        let analyze = try WhyDeniedBinary.run(["analyze", "--events-file", empty])
        #expect(analyze.status != 0, "\(analyze)")
        #expect(analyze.stderr.contains("--events-file: \(empty): no CloudTrail events in it"), "\(analyze)")
        // A good file still reads: parse exits 0; analyze analyzes it, and with no account
        // snapshot its verdict is Undecided (exit 3), never the 64 of unreadable input.
        let good = try inputs.file("good.json", Self.record)
        #expect(try WhyDeniedBinary.run(["parse", good]).status == 0)
        let analyzedGood = try WhyDeniedBinary.run(["analyze", "--events-file", good])
        #expect(analyzedGood.status == 3, "\(analyzedGood)")
        #expect(analyzedGood.stdout.contains("Event e1"), "\(analyzedGood)")
    }

    @Test func scanSaysWhichInputIsNotCloudTrailAndFailsWhenNoneIs() throws {
        let inputs = try Inputs()
        let notes = try inputs.file("notes.txt", "meeting notes, not a trail\n")
        let other = try inputs.file("other.json", #"{"foo": 1}"#)
        let none = try WhyDeniedBinary.run(["scan", "--quiet", notes, other])
        #expect(none.status == 1, "\(none)")
        #expect(none.stderr.contains("problem: \(notes): not CloudTrail: no records in it"), "\(none)")
        #expect(none.stderr.contains("problem: \(other): not CloudTrail: its first record is not a CloudTrail record"), "\(none)")
        #expect(none.stderr.contains("Error: no input holds CloudTrail records"), "\(none)")
        // With one trail file among them: the others are still named, and the scan succeeds.
        let good = try inputs.file("good.json", Self.record)
        let some = try WhyDeniedBinary.run(["scan", "--quiet", notes, good])
        #expect(some.status == 0, "\(some)")
        #expect(some.stdout.contains("AccessDenied"))
        #expect(some.stderr.contains("problem: \(notes): not CloudTrail"), "\(some)")
    }

    @Test func evaluateOnADirectorySaysItIsADirectory() throws {
        let inputs = try Inputs()
        let run = try WhyDeniedBinary.run(["evaluate", inputs.folder.path])
        #expect(run.status == 1)
        #expect(run.stderr == "whydenied evaluate: \(inputs.folder.path) is a directory: give the JSON file that holds the request and the policies\n")
        let missing = try WhyDeniedBinary.run(["evaluate", inputs.folder.appendingPathComponent("nope.json").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.json: no such file"))
    }

    @Test func anOverlongARNOrInvalidUTF8InAKeyGivesANote() throws {
        let inputs = try Inputs()
        let long = "arn:aws:s3:::reports/" + String(repeating: "k", count: 5_000)
        let message = try inputs.file("message.txt", "An error occurred (AccessDenied) when calling the GetObject operation: User: "
            + "arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:GetObject on resource: \"\(long)\" "
            + "because no identity-based policy allows the s3:GetObject action\n")
        let parse = try WhyDeniedBinary.run(["parse", message])
        #expect(parse.status == 0, "\(parse)")
        #expect(parse.stdout.contains("note: error message: the resource after \"on resource:\" is 5021 characters long"), "\(parse.stdout)")

        var bytes = Array(Self.record.utf8)
        let key = Array("\"bucketName\"".utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: key) })
        bytes.insert(0xC3, at: at + 7)  // "bucket\xC3Name": not UTF-8
        let trail = try inputs.file("badkey.json", bytes)
        let read = try WhyDeniedBinary.run(["parse", trail])
        #expect(read.stdout.contains("note: \(trail), record 0, line 1: invalid UTF-8 in the key \"bucket\u{FFFD}Name\" of requestParameters"), "\(read.stdout)")
        let analyze = try WhyDeniedBinary.run(["analyze", "--events-file", trail])
        #expect(analyze.stderr.contains("note: \(trail), record 0, line 1: invalid UTF-8 in the key"), "\(analyze)")
    }
}
