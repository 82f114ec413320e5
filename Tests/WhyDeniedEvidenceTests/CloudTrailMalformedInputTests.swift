import Foundation
import Testing
@testable import WhyDeniedEvidence

/// Malformed records are reported with their position and skipped; the rest is read.
@Suite("CloudTrail reader: malformed input")
struct CloudTrailMalformedInputTests {
    @Test func awsLibraryBadJsonFileKeepsTheRecordsAfterTheBrokenOne() throws {
        let result = try CloudTrailFixtures.read("SerializerTestFileBadJsonFormat.json")
        #expect(result.formats == [.recordsObject])
        #expect(result.problems.count == 1)
        let problem = try #require(result.problems.first)
        #expect(problem.position.recordIndex == 0)
        #expect(problem.position.line == 3)
        #expect(problem.position.source.hasSuffix("SerializerTestFileBadJsonFormat.json"))
        #expect(problem.message.contains("malformed JSON"))
        #expect(result.events.map(\.eventName) == ["eventName2"])
        #expect(result.positions.first?.recordIndex == 1)
    }

    @Test func truncatedLogMessageIsReportedAndTheOthersRead() throws {
        let result = try CloudTrailFixtures.read("CONSTRUCTED_filter-log-events_truncated-message.json")
        #expect(result.events.count == 5)
        #expect(result.problems.count == 1)
        let problem = try #require(result.problems.first)
        #expect(problem.position.recordIndex == 2)
        #expect(problem.position.line != nil)
        #expect(problem.message.hasPrefix("events[2].message is not valid JSON"))
    }

    @Test func wrongTypeInOneRecordOfAList() throws {
        let text = """
        [
          {"eventName": "GetObject", "eventSource": "s3.amazonaws.com"},
          {"eventName": 12, "eventSource": "s3.amazonaws.com"},
          {"eventName": "PutObject", "eventSource": "s3.amazonaws.com"}
        ]
        """
        let result = try CloudTrailReader.read(text: text, source: "paste")
        #expect(result.events.map(\.eventName) == ["GetObject", "PutObject"])
        #expect(result.problems.map(\.description) == ["paste, record 1, line 3: eventName is a number, a string was expected"])
    }

    @Test func badLinesInNDJSONAreSkippedWithLineNumbers() throws {
        let text = """
        {"eventName": "A", "eventTime": "2024-01-01T00:00:00Z"}
        {"eventName": "B", "eventTime": "2024-01-01T00:0
        not json at all

        {"eventName": "C", "eventTime": "2024-01-01T00:02:00Z"}
        """
        let result = try CloudTrailReader.read(text: text)
        #expect(result.events.map(\.eventName) == ["A", "C"])
        #expect(result.problems.map(\.position.line) == [2, 3])
        #expect(result.problems.map(\.position.recordIndex) == [1, 2])
        #expect(result.positions.map(\.line) == [1, 5])
    }

    @Test func lookupEventsWithABrokenEmbeddedRecord() throws {
        let text = #"{"Events": [{"EventId": "a", "CloudTrailEvent": "{\"eventName\":\"GetObject\"}"}, {"EventId": "b", "CloudTrailEvent": "{\"eventName\":"}, {"EventId": "c"}]}"#
        let result = try CloudTrailReader.read(text: text)
        #expect(result.events.count == 1)
        #expect(result.problems.count == 2)
        #expect(result.problems[0].message.hasPrefix("Events[1].CloudTrailEvent is not valid JSON"))
        #expect(result.problems[1].message == "Events[2].CloudTrailEvent is missing or not a string")
    }

    @Test func theGuideExampleThatIsNotJSONGivesAClearError() throws {
        #expect {
            _ = try CloudTrailFixtures.read("lookup-events_cloudtrail-user-guide-example_NOT-VALID-JSON.txt")
        } throws: { error in
            let message = "\(error)"
            return message.contains("NOT-VALID-JSON.txt") && message.contains("line ")
        }
    }

    @Test func csvIsNotCloudTrail() throws {
        #expect {
            _ = try CloudTrailFixtures.read("aws_s3_honeybucketlogs_first-20-lines.csv")
        } throws: { error in
            (error as? CloudTrailInputError)?.message.contains("expected CloudTrail JSON") == true
        }
    }

    @Test func otherJSONIsNamedNotCloudTrail() throws {
        #expect {
            _ = try CloudTrailReader.read(text: #"{"DecodedMessage": "{}"}"#)
        } throws: { error in
            (error as? CloudTrailInputError)?.message.contains("not CloudTrail") == true
        }
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: #"{"Records": "none"}"#) }
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: "42") }
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: "   \n") }
    }

    @Test func missingAndBrokenFiles() throws {
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(path: "/nonexistent/trail.json") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wd-ct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(path: directory.path) }
        // One good file and one corrupt gzip: the good one is read, the bad one reported.
        try Data(contentsOf: URL(fileURLWithPath: CloudTrailFixtures.path("SerializerTestFileCompact.json.gz")))
            .write(to: directory.appendingPathComponent("a.json.gz"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03]).write(to: directory.appendingPathComponent("b.json.gz"))
        let result = try CloudTrailReader.read(path: directory.path)
        #expect(result.events.count == 6)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.position.source.hasSuffix("b.json.gz") == true)
    }

    @Test func problemsBeyondTheCapAreCounted() throws {
        var lines = [#"{"eventName": "ok"}"#]
        lines += Array(repeating: "{broken", count: CloudTrailReader.maximumProblemsKept + 7)
        let result = try CloudTrailReader.read(text: lines.joined(separator: "\n"))
        #expect(result.events.count == 1)
        #expect(result.problems.count == CloudTrailReader.maximumProblemsKept)
        #expect(result.totalProblemCount == CloudTrailReader.maximumProblemsKept + 7)
    }
}
