import Foundation
import Testing
@testable import WhyDeniedEvidence

/// Issue 16 §2, "load a local event file": a file's bytes become the same prefill a pasted event
/// gives (one reader, one prefill), and every way a file can fail says what and where.
@Suite struct EventFileTests {
    static let now = CloudTrailFixtures.epoch("2024-08-05T12:00:00Z")

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: CloudTrailFixtures.path(name))))
    }

    func prefill(_ bytes: [UInt8], path: String = "trail.json") -> Result<Prefill, EventFileError> {
        EventFile.prefill(bytes: bytes, path: path, now: Self.now)
    }

    /// The denied record of the real organizations-leave capture, alone and in a Records object.
    func leaveOrganizationRecord() throws -> Any {
        let list = try JSONSerialization.jsonObject(with: Data(try bytes("aws.defense-evasion.organizations-leave.json"))) as? [[String: Any]]
        return try #require(list?.first { $0["errorCode"] as? String == "AccessDenied" })
    }

    // MARK: formats

    @Test func aSingleEventFillsWhatAPasteOfItFills() throws {
        let record = try JSONSerialization.data(withJSONObject: try leaveOrganizationRecord(), options: [.prettyPrinted])
        let fromFile = try prefill([UInt8](record), path: "event.json").get()
        #expect(fromFile["principal"]?.value == "arn:aws:iam::307578594326:role/stratus-red-team-leave-org-role")
        #expect(fromFile["action"]?.value == "organizations:LeaveOrganization")
        #expect(fromFile["region"]?.value == "euiso-south-3r")
        // One mechanism: exactly the fields a paste of the same text gives; the origins name the file.
        let pasted = Prefill.from(text: String(decoding: record, as: UTF8.self), now: Self.now)
        #expect(fromFile.parameters.map(\.name) == pasted.parameters.map(\.name))
        #expect(fromFile.parameters.map(\.value) == pasted.parameters.map(\.value))
        #expect(fromFile.parameters.map(\.source) == pasted.parameters.map(\.source))
        #expect(fromFile.parameters.map(\.origin) == pasted.parameters.map { "event.json, " + $0.origin })
    }

    @Test func aRecordsObjectGivesItsDeniedRecord() throws {
        let object = ["Records": [try leaveOrganizationRecord()]]
        let result = try prefill([UInt8](try JSONSerialization.data(withJSONObject: object))).get()
        #expect(result["action"]?.value == "organizations:LeaveOrganization")
        guard case .cloudTrail(_, let formats) = result.evidence else { Issue.record("not read as CloudTrail"); return }
        #expect(formats == [.recordsObject])
    }

    @Test func aGzippedTrailFileIsInflatedAndItsLatestDenialUsed() throws {
        let result = try prefill(try bytes("DERIVED_stratus-red-team_all-events_Records.json.gz"), path: "trail.json.gz").get()
        #expect(result["principal"] != nil)
        #expect(result["action"] != nil)
        // 5 AccessDenied + 46 Client.UnauthorizedOperation: the paste path's rule, the latest, noted.
        #expect(result.notes.contains { $0.hasPrefix("51 denied events found; using the latest") }, "\(result.notes)")
    }

    @Test func severalDeniedEventsTakeTheLatestAsAPasteDoes() throws {
        let result = try prefill(try bytes("aws.discovery.ec2-download-user-data.json")).get()
        #expect(result["principal"]?.value == "arn:aws:iam::321848314756:role/stratus-red-team-get-usr-data-role")
        #expect(result["action"]?.value == "ec2:DescribeInstanceAttribute")
        #expect(result["account_id"]?.value == "321848314756")
        #expect(result.notes.contains { $0.hasPrefix("17 denied events found; using the latest") }, "\(result.notes)")
    }

    // MARK: what a bad file says

    func problem(_ result: Result<Prefill, EventFileError>) -> String {
        guard case .failure(let error) = result else { return "no failure" }
        return error.description
    }

    @Test func notJSONNamesThePathAndTheLineAndColumn() {
        let text = "{\n  \"eventVersion\": \"1.08\",\n  \"eventName\": ,\n  \"errorCode\": \"AccessDenied\"\n}\n"
        let message = problem(prefill(Array(text.utf8), path: "logs/broken.json"))
        #expect(message.hasPrefix("logs/broken.json: "), "\(message)")
        #expect(message.contains("line 3, column 16"), "\(message)")
    }

    @Test func plainTextIsNotCloudTrail() {
        let message = problem(prefill(Array("hello, this is a note\nnot an event\n".utf8), path: "notes.txt"))
        #expect(message.hasPrefix("notes.txt: not valid JSON"), "\(message)")
    }

    @Test func jsonThatIsNotCloudTrailSaysWhatWasExpected() {
        let message = problem(prefill(Array(#"{"name": "x", "values": [1, 2]}"#.utf8), path: "other.json"))
        #expect(message.contains("JSON, but not CloudTrail"), "\(message)")
    }

    @Test func aFileWithoutADeniedEventIsRefused() throws {
        let message = problem(prefill(try bytes("cloudtrail-log-file-examples__01.json"), path: "ok.json"))
        #expect(message.hasPrefix("ok.json: "), "\(message)")
        #expect(message.contains("none denied"), "\(message)")
    }

    @Test func emptyAndBinaryFilesAreRefused() {
        #expect(problem(prefill([], path: "empty.json")).contains("the input is empty"))
        #expect(problem(prefill([0x00, 0x01, 0x02, 0x7B], path: "blob.bin")).contains("binary data"))
    }

    @Test func gzipThatInflatesTooFarIsRefusedPointingToScan() throws {
        let message = problem(EventFile.prefill(bytes: try bytes("DERIVED_stratus-red-team_all-events_Records.json.gz"),
                                                path: "big.json.gz", now: Self.now, inflatedLimit: 200_000))
        #expect(message.contains("inflates to more than the 0.2 MB read here"), "\(message)")
        #expect(message.contains("whydenied scan"), "\(message)")
    }

    @Test func corruptGzipSaysSo() throws {
        var corrupt = try bytes("SerializerTestFileCompact.json.gz")
        corrupt[20] ^= 0xFF
        corrupt[40] ^= 0xFF
        let message = problem(prefill(corrupt, path: "bad.json.gz"))
        #expect(message.hasPrefix("bad.json.gz: gzip data that cannot be inflated: "), "\(message)")
    }

    // MARK: the file system

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-eventfile-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func pathsAreResolvedFromTheWorkingDirectoryAndHome() {
        #expect(EventFile.resolve("trail.json", workingDirectory: "/work", home: "/home/ana") == "/work/trail.json")
        #expect(EventFile.resolve("../x/trail.json", workingDirectory: "/work/a", home: nil) == "/work/x/trail.json")
        #expect(EventFile.resolve("~/Downloads/t.json", workingDirectory: "/work", home: "/home/ana") == "/home/ana/Downloads/t.json")
        #expect(EventFile.resolve("~", workingDirectory: "/work", home: "/home/ana") == "/home/ana")
        #expect(EventFile.resolve("/tmp/t.json", workingDirectory: "/work", home: "/home/ana") == "/tmp/t.json")
    }

    @Test func aFileOnDiskIsReadRelativeToTheWorkingDirectory() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: CloudTrailFixtures.path("DERIVED_stratus-red-team_all-events_Records.json.gz"),
                                         toPath: folder.appendingPathComponent("trail.json.gz").path)
        let result = EventFile.read(typed: "trail.json.gz", workingDirectory: folder.path, home: nil, now: Self.now)
        #expect(try result.get()["action"] != nil)
    }

    @Test func missingFolderAndTooLargeFilesSayWhatAndWhere() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = EventFile.read(typed: "~/nope.json", workingDirectory: "/", home: folder.path, now: Self.now)
        #expect(problem(missing) == "~/nope.json (\(folder.path)/nope.json): no such file")

        let asFolder = EventFile.read(typed: folder.path, workingDirectory: "/", home: nil, now: Self.now)
        #expect(problem(asFolder).contains("a folder, not a file"), "\(problem(asFolder))")

        // A sparse file just over the limit: refused before it is read.
        let big = folder.appendingPathComponent("big.json")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(EventFile.largestFileBytes + 1))
        try handle.close()
        let tooBig = problem(EventFile.read(typed: "big.json", workingDirectory: folder.path, home: nil, now: Self.now))
        #expect(tooBig.contains("is more than the 16.0 MB read here"), "\(tooBig)")
        #expect(tooBig.contains("whydenied scan"), "\(tooBig)")

        #expect(problem(EventFile.read(typed: "  ", workingDirectory: folder.path, home: nil, now: Self.now)).contains("no path given"))

        // A device would be read forever (/dev/zero) or read as empty: refused before reading.
        #expect(problem(EventFile.read(typed: "/dev/zero", workingDirectory: "/", home: nil, now: Self.now))
            == "/dev/zero: not a regular file (a device, pipe or socket)")
    }

    @Test func aLinkIsReadAsTheFileItPointsTo() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("latest.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: CloudTrailFixtures.path("aws.discovery.ec2-download-user-data.json"))
        let result = EventFile.read(typed: "latest.json", workingDirectory: folder.path, home: nil, now: Self.now)
        #expect(try result.get()["action"]?.value == "ec2:DescribeInstanceAttribute")
    }
}
