import Foundation
import Testing
import WhyDeniedEvidence
@testable import WhyDeniedScan

@Suite struct WholeGzipInflaterTests {
    static let gzipFixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path
        + "/DERIVED_stratus-red-team_all-events_Records.json.gz"

    func fixture() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.gzipFixture))) }

    func inflate(_ compressed: [UInt8], limit: Int = 64 << 20) throws(WholeGzipInflater.Failure) -> [UInt8] {
        let inflater = WholeGzipInflater(limit: limit)!
        return try compressed.withUnsafeBufferPointer { (buffer) throws(WholeGzipInflater.Failure) in Array(try inflater.inflate(buffer)) }
    }

    @Test func inflatesASingleMemberAsZlibDoes() throws {
        let member = try fixture()
        let text = try inflate(member)
        #expect(text.count > 100_000)
        #expect(text == (try GzipInflater.decompress(member)))
    }

    @Test func inflatesEveryMemberOfAConcatenation() throws {
        let member = try fixture()
        let single = try inflate(member)
        #expect(try inflate(member + member + member) == single + single + single)
    }

    @Test func aLastMemberWhoseSizeIsAPoorGuessStillInflatesFully() throws {
        // The trailer's ISIZE (2) sizes the first try; the first member needs far more room.
        let member = try fixture()
        let single = try inflate(member)
        let tiny = StoredGzip.member("{}")
        #expect(tiny.withUnsafeBufferPointer { WholeGzipInflater.trailerSize($0) } == 2)
        #expect(try inflate(member + tiny) == single + Array("{}".utf8))
    }

    @Test func zeroPaddingAfterTheLastMemberIsIgnored() throws {
        #expect(try inflate(StoredGzip.member("{\"a\":1}") + [0, 0, 0, 0]) == Array("{\"a\":1}".utf8))
    }

    @Test func aWrongSizeInTheTrailerIsRefusedNamingTheMember() throws {
        let text = Array(String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 500).utf8)
        #expect(try inflate(StoredGzip.member(text)) == text)
        #expect(throws: WholeGzipInflater.Failure.corrupt(member: 1, inflatedBefore: 0)) {
            _ = try inflate(StoredGzip.member(text, isize: UInt32(text.count - 1)))
        }
        let first = try fixture()
        let single = try inflate(first)
        #expect(throws: WholeGzipInflater.Failure.corrupt(member: 2, inflatedBefore: single.count)) {
            _ = try inflate(first + StoredGzip.member(text, isize: 7))
        }
    }

    @Test func corruptDataAndAWrongChecksumAreRefused() throws {
        var member = try fixture()
        for index in stride(from: 200, to: 400, by: 7) { member[index] ^= 0x5A }
        #expect(throws: WholeGzipInflater.Failure.self) { _ = try inflate(member) }
        let text = Array("{\"Records\":[]}".utf8)
        #expect(throws: WholeGzipInflater.Failure.corrupt(member: 1, inflatedBefore: 0)) {
            _ = try inflate(StoredGzip.member(text, crc: StoredGzip.crc32(text) ^ 1))
        }
        #expect(throws: WholeGzipInflater.Failure.corrupt(member: 1, inflatedBefore: 0)) { _ = try inflate([]) }
        #expect(throws: WholeGzipInflater.Failure.self) { _ = try inflate(Array(try fixture().prefix(500))) }
    }

    @Test func textLongerThanTheLimitIsRefused() throws {
        let member = try fixture()
        let single = try inflate(member)
        #expect(throws: WholeGzipInflater.Failure.tooLarge(limit: 1000)) { _ = try inflate(member, limit: 1000) }
        // The first member fits exactly; the second would pass the limit while growing.
        let twoMembers = member + StoredGzip.member("{}")
        #expect(throws: WholeGzipInflater.Failure.tooLarge(limit: single.count + 1)) {
            _ = try inflate(twoMembers, limit: single.count + 1)
        }
        #expect(try inflate(twoMembers, limit: single.count + 2).count == single.count + 2)
    }

    @Test func oneInflaterServesManyFiles() throws {
        let inflater = WholeGzipInflater(limit: 64 << 20)!
        let big = try fixture()
        let expected = try GzipInflater.decompress(big)
        for compressed in [big, StoredGzip.member("{}"), big] {
            let text = try compressed.withUnsafeBufferPointer { Array(try inflater.inflate($0)) }
            #expect(text == (compressed == big ? expected : Array("{}".utf8)))
        }
    }
}
