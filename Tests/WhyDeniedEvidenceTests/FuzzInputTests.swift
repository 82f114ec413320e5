import Foundation
import Testing
@testable import WhyDeniedEvidence
import WhyDeniedTestSupport

/// Garbage in: random bytes, truncated and mutated real JSON, wrong types, 10 MB of text. Every
/// input must give a result or a clear error, never a crash, within a bounded time.
@Suite("Fuzz: reader, time frames and prefill on bad input")
struct FuzzInputTests {
    /// A fixed number of rounds from a fixed seed: the same inputs on every run, however loaded
    /// the machine (a time budget made the count, and so the test, depend on the load).
    static let randomRounds = 400
    static let mutantRounds = 200

    /// Reads `bytes`; either succeeds or fails with a non-empty message naming the source.
    func readIsClean(_ bytes: [UInt8], _ label: String) {
        do {
            let result = try CloudTrailReader.read(bytes: bytes, source: label)
            for problem in result.problems {
                #expect(!problem.message.isEmpty)
                #expect(problem.position.source == label)
            }
        } catch {
            #expect(error.source == label)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func randomBytes() {
        var random = SplitMix64(seed: 0xC0FFEE)
        for round in 0..<Self.randomRounds {
            let length = Int.random(in: 0...2048, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            readIsClean(bytes, "random \(round)")
            _ = Prefill.from(text: String(decoding: bytes, as: UTF8.self), now: Date(timeIntervalSince1970: 1_700_000_000))
        }
    }

    @Test func truncatedAndMutatedRealFiles() throws {
        var random = SplitMix64(seed: 42)
        let sources = ["lookup-events_real_cli-v2_max-results-5.json", "aws.execution.ec2-launch-unusual-instances.json",
                       "CONSTRUCTED_filter-log-events_from-stratus.json", "cloudtrail-log-file-examples__07.json",
                       "SerializerTestFileCompact.json.gz"]
        let files = try sources.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: CloudTrailFixtures.path($0)))) }
        let structural: [UInt8] = Array("{}[]\",:\\ \n0-tfn".utf8)
        for round in 0..<Self.mutantRounds {
            var bytes = files[round % files.count]
            switch round % 3 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = structural.randomElement(using: &random)!
                }
            default:
                for _ in 0..<Int.random(in: 1...4, using: &random) where bytes.count > 2 {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
                }
            }
            readIsClean(bytes, "mutant \(round)")
        }
    }

    @Test func wrongTypesEverywhere() throws {
        let values = ["1", "true", "null", "[]", "{}", "\"x\"", "[1,2]", "{\"a\":{}}"]
        let keys = ["eventTime", "eventName", "userIdentity", "resources", "readOnly", "tlsDetails", "Records", "Events", "events", "CloudTrailEvent", "message"]
        for key in keys {
            for value in values {
                for shape in ["{\"\(key)\": \(value), \"eventName\": \"X\"}", "{\"Records\": [{\"\(key)\": \(value)}]}",
                              "{\"Events\": [{\"\(key)\": \(value)}]}", "[{\"userIdentity\": {\"\(key)\": \(value)}, \"eventID\": \"1\"}]",
                              "{\"events\": [{\"message\": \(value)}]}"] {
                    readIsClean(Array(shape.utf8), "\(key)=\(value)")
                }
            }
        }
    }

    @Test func tenMegabytesOfText() {
        let line = "2024-05-01 12:00:00 INFO request handled in 12ms, nothing to see here {not json}\n"
        let text = String(repeating: line, count: (10 << 20) / line.utf8.count)
        let started = Date()
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: text) }
        let prefill = Prefill.from(text: text, now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(prefill.parameters.isEmpty)
        #expect(!prefill.problems.isEmpty)
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func tenMegabytesInsideOneJSONString() {
        let text = "{\"Records\": [{\"eventName\": \"" + String(repeating: "a", count: 10 << 20)
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: text) }
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: CloudTrailInputError.self) { _ = try CloudTrailReader.read(text: deep) }
    }

    @Test func randomTimeFrames() {
        var random = SplitMix64(seed: 7)
        let pieces = ["last", "ago", "1", "2h", "30m", ",", "..", " to ", "yesterday", "2023-06-15T14:00:00Z", "-", "a", "day", "9999999999999", "ms", " "]
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            do {
                let frame = try TimeFrame.parse(text, now: now)
                #expect(frame.start < frame.end)
            } catch {
                #expect(error.description.contains("Accepted:"))
            }
        }
    }
}
