import Foundation
import Testing
import WhyDeniedEvidence
@testable import WhyDeniedScan

@Suite struct WholeFileReaderTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path
    static let gzipFixture = fixtures + "/DERIVED_stratus-red-team_all-events_Records.json.gz"

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func text(_ contents: WholeFileReader.Contents) -> [UInt8]? {
        if case .text(let bytes) = contents { return Array(bytes) }
        return nil
    }

    @Test func readsPlainFilesAsTheyAreAndGzipInflated() throws {
        let reader = WholeFileReader()
        let plain = Self.fixtures + "/cloudtrail-log-file-examples__01.json"
        #expect(text(try reader.read(plain)) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain))))
        let compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.gzipFixture)))
        #expect(text(try reader.read(Self.gzipFixture)) == (try GzipInflater.decompress(compressed)))
    }

    @Test func leavesLargeFilesAndRefusedGzipToTheStream() throws {
        #expect(text(try WholeFileReader(largestFile: 1000).read(Self.gzipFixture)) == nil)
        #expect(text(try WholeFileReader(largestText: 1000).read(Self.gzipFixture)) == nil)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corrupt = folder.appendingPathComponent("corrupt.json.gz")
        try Data(StoredGzip.member(Array("{\"Records\":[]}".utf8), isize: 3)).write(to: corrupt)
        #expect(text(try WholeFileReader().read(corrupt.path)) == nil)
        #expect(throws: WholeFileReader.ReadError.self) { try WholeFileReader().read(folder.path + "/missing.json") }
    }

    @Test func theStreamAndTheWholeFileFindTheSameEvents() throws {
        let file = TrailFile(path: Self.gzipFixture)
        let whole = TrailScanner.scanFile(file, criteria: ScanCriteria(), reader: WholeFileReader())
        let streamed = TrailScanner.scanFile(file, criteria: ScanCriteria(), reader: WholeFileReader(largestFile: 0))
        #expect(whole.problems.isEmpty)
        #expect(whole.events == 310)
        #expect(whole.denials.map(\.eventID) == streamed.denials.map(\.eventID))
        #expect(whole.events == streamed.events)
        #expect(whole.bytes == streamed.bytes)
    }

    @Test func aGzipWithAWrongSizeIsAProblemNamingTheFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = Array(#"{"Records":[{"eventVersion":"1.08","eventTime":"2024-07-30T21:31:21Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","eventID":"e1","errorCode":"AccessDenied"}]}"#.utf8)
        let path = folder.appendingPathComponent("wrong-size.json.gz").path
        try Data(StoredGzip.member(records, isize: UInt32(records.count + 5))).write(to: URL(fileURLWithPath: path))
        let result = TrailScanner.scanFile(TrailFile(path: path), criteria: ScanCriteria(), reader: WholeFileReader())
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.hasPrefix(path + ": ") == true)
        #expect(result.problems.first?.contains("gzip") == true)
    }
}
