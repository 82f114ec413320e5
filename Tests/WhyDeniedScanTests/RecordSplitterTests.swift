import Foundation
import Testing
@testable import WhyDeniedScan

@Suite struct RecordSplitterTests {
    func split(_ text: String, chunkSize: Int) throws -> [String] {
        var splitter = RecordSplitter()
        var records: [String] = []
        let bytes = Array(text.utf8)
        var offset = 0
        let collect: (UnsafeBufferPointer<UInt8>) -> Void = { records.append(String(decoding: $0, as: UTF8.self)) }
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            splitter.feed(bytes[offset..<end], onRecord: collect)
            offset = end
        }
        try splitter.finish(onRecord: collect)
        return records
    }

    static let tricky = #"{"eventID":"a","requestParameters":{"key":"}{][\"\\"},"list":[{"x":1}]}"#

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func splitsRecordsWrapperAtAnyChunkSize(chunkSize: Int) throws {
        let text = " {\"Records\" : [\(Self.tricky), {\"eventID\":\"b\"}\n]}\n"
        #expect(try split(text, chunkSize: chunkSize) == [Self.tricky, #"{"eventID":"b"}"#])
    }

    @Test(arguments: [1, 5, 1 << 20])
    func splitsTopLevelArrays(chunkSize: Int) throws {
        #expect(try split("[\(Self.tricky),{\"eventID\":\"b\"}]", chunkSize: chunkSize) == [Self.tricky, #"{"eventID":"b"}"#])
    }

    @Test(arguments: [1, 4, 1 << 20])
    func splitsNewlineDelimitedObjects(chunkSize: Int) throws {
        #expect(try split("\(Self.tricky)\n{\"eventID\":\"b\"}\n", chunkSize: chunkSize) == [Self.tricky, #"{"eventID":"b"}"#])
    }

    @Test func anObjectThatIsNotAWrapperIsOneRecord() throws {
        #expect(try split(#"{"eventID":"only","Records2":[]}"#, chunkSize: 3) == [#"{"eventID":"only","Records2":[]}"#])
    }

    @Test func tinyRecordsStillCount() throws {
        #expect(try split("{}", chunkSize: 1) == ["{}"])
    }

    @Test func truncatedTextIsAnError() {
        #expect(throws: RecordSplitter.SplitError.self) {
            try split(#"{"Records":[{"eventID":"a"},{"eventID":"#, chunkSize: 8)
        }
    }
}
