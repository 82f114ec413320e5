import Foundation
import Testing
@testable import WhyDeniedEvidence

/// A field the evidence holds but that cannot be read as it is (an ARN longer than is read,
/// invalid UTF-8) gives a note naming the field; it is never dropped or cut without a word.
@Suite struct UnreadFieldNoteTests {
    static func message(principal: String = "arn:aws:iam::123456789012:user/alice", resource: String) -> String {
        "An error occurred (AccessDenied) when calling the GetObject operation: User: \(principal) is not authorized "
            + "to perform: s3:GetObject on resource: \"\(resource)\" because no identity-based policy allows the s3:GetObject action"
    }

    @Test func aResourceLongerThanIsReadIsANoteNotASilentDrop() throws {
        let long = "arn:aws:s3:::reports/" + String(repeating: "k", count: 5_000)
        let denied = try AuthorizationErrorParser.parse(Self.message(resource: long)).get()
        #expect(denied.resource == nil)
        #expect(denied.action == "s3:GetObject")
        #expect(denied.notes == ["the resource after \"on resource:\" is 5021 characters long, more than the 4096 that are read, so it was not read (an IAM ARN is at most 2048 characters)"])
        // A long one that is still read gives no note.
        let fine = "arn:aws:s3:::reports/" + String(repeating: "k", count: 1_500)
        #expect(try AuthorizationErrorParser.parse(Self.message(resource: fine)).get().resource == fine)
        #expect(try AuthorizationErrorParser.parse(Self.message(resource: fine)).get().notes.isEmpty)
    }

    @Test func aPrincipalLongerThanIsReadIsNotCutToAWrongOne() throws {
        let long = "arn:aws:iam::123456789012:user/" + String(repeating: "u", count: 5_000)
        let denied = try AuthorizationErrorParser.parse(Self.message(principal: long, resource: "arn:aws:s3:::reports/q3.csv")).get()
        #expect(denied.principal == nil)
        #expect(denied.principalText == nil)
        #expect(denied.resource == "arn:aws:s3:::reports/q3.csv")
        #expect(denied.notes.first?.hasPrefix("the principal before \"is not authorized\" is 5031 characters long") == true)
        // The note reaches the operator through the prefill (parse, the paste dialog).
        let prefill = Prefill.from(text: Self.message(principal: long, resource: "arn:aws:s3:::reports/q3.csv"), now: Date())
        #expect(prefill.notes.contains { $0.hasPrefix("error message: the principal before") })
        #expect(prefill[RunbookParameterName.principal] == nil)
    }

    @Test func invalidUTF8InAKeyOrValueOfARecordIsANote() throws {
        var bytes = Array(#"{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDenied","requestParameters":{"bucketName":"reports","key":"q3.csv"}}]}"#.utf8)
        let key = Array("bucketName".utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: key) })
        bytes.insert(0xC3, at: at + 6)
        let value = Array("q3.csv".utf8)
        let valueAt = try #require(bytes.indices.first { bytes[$0...].starts(with: value) })
        bytes.insert(contentsOf: [0xFF, 0xFE], at: valueAt + 2)
        let result = try CloudTrailReader.read(bytes: bytes, source: "trail.json")
        #expect(result.events.count == 1)
        #expect(result.notes == [
            "trail.json, record 0, line 1: invalid UTF-8 in the key \"bucket\u{FFFD}Name\" of requestParameters (replaced by U+FFFD): the field is not read under its name",
            "trail.json, record 0, line 1: invalid UTF-8 in the value of requestParameters.key (replaced by U+FFFD): it is not the value that was sent",
        ])
        #expect(EvidenceSummary.read(result, now: Date()).prefill.notes.contains(result.notes[0]))
        // Valid UTF-8 (even non-ASCII) gives no note.
        let clean = try CloudTrailReader.read(text: String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "é"), source: "t")
        #expect(clean.notes.isEmpty)
    }

    @Test func aTrailFileThatCannotBeReadIsAnErrorWithTheReadersWords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-notes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gzip = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CloudTrailFixtures.path("SerializerTestFileCompact.json.gz"))))
        let cases: [(String, [UInt8])] = [("truncated.json.gz", Array(gzip.prefix(gzip.count / 2))),
                                          ("plain.json.gz", Array("not gzip at all".utf8)),
                                          ("empty-records.json", Array(#"{"Records": []}"#.utf8))]
        for (name, bytes) in cases {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            switch name {
            case "empty-records.json":
                let summary = try EvidenceSummary.read(path: path, now: Date())
                #expect(summary.kind == .unreadable)
                #expect(summary.problems == ["no CloudTrail events in the input"])
            default:
                // The same error `analyze` gets from the reader.
                let expected = #expect(throws: CloudTrailInputError.self) { try CloudTrailReader.read(path: path) }
                let got = #expect(throws: CloudTrailInputError.self) { try EvidenceSummary.read(path: path, now: Date()) }
                #expect(got == expected)
                #expect(got?.source == path)
            }
        }
    }
}
