import Foundation
import Testing
@testable import WhyDeniedEvidence

@Suite("Gzip inflater")
struct CloudTrailGzipTests {
    func fixtureBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: CloudTrailFixtures.path(name))))
    }

    @Test func inflatesARealTrailFileWhole() throws {
        let bytes = try GzipInflater.decompress(fixtureBytes("SerializerTestFileCompact.json.gz"))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("{"))
        #expect(bytes.count > 904)
    }

    @Test func feedingOneByteAtATimeGivesTheSameOutput() throws {
        let compressed = try fixtureBytes("SerializerTestFileCompact.json.gz")
        let whole = try GzipInflater.decompress(compressed)
        let inflater = try GzipInflater(outputChunkSize: 1024)
        var output: [UInt8] = []
        for byte in compressed { try inflater.feed([byte]) { output.append(contentsOf: $0) } }
        try inflater.finish()
        #expect(output == whole)
        #expect(inflater.totalOut == whole.count)
    }

    @Test func fileReaderStreamsChunks() throws {
        let reader = try GzipFileReader(path: CloudTrailFixtures.path("DERIVED_stratus-red-team_all-events_Records.json.gz"), inputChunkSize: 4096)
        var total = 0
        var chunks = 0
        while let chunk = try reader.nextChunk() { total += chunk.count; chunks += 1 }
        let whole = try GzipInflater.decompress(fixtureBytes("DERIVED_stratus-red-team_all-events_Records.json.gz"))
        #expect(total == whole.count)
        #expect(chunks > 1)
    }

    @Test func concatenatedMembersAreReadOneAfterAnother() throws {
        let member = try fixtureBytes("SerializerTestFileCompact.json.gz")
        let single = try GzipInflater.decompress(member)
        #expect(try GzipInflater.decompress(member + member) == single + single)
    }

    @Test func truncatedCorruptAndOversizedDataFailClearly() throws {
        let member = try fixtureBytes("SerializerTestFileCompact.json.gz")
        #expect { _ = try GzipInflater.decompress(Array(member.prefix(200))) } throws: { "\($0)".contains("ends early") }
        var corrupt = member
        corrupt[20] ^= 0xFF
        corrupt[40] ^= 0xFF
        #expect(throws: GzipError.self) { _ = try GzipInflater.decompress(corrupt) }
        #expect { _ = try GzipInflater.decompress(member, limit: 100) } throws: { "\($0)".contains("exceeds 100 bytes") }
        #expect(GzipInflater.isGzip(member))
        #expect(!GzipInflater.isGzip([UInt8]("{}".utf8)))
    }
}
