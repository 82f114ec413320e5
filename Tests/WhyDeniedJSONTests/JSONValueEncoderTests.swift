import Foundation
import Testing
import WhyDeniedJSON

/// `JSONValueEncoder` gives what `JSONEncoder` (`.sortedKeys`) and `JSONValue.parse` give, for
/// every shape synthesized `Codable` produces.
struct JSONValueEncoderTests {
    enum Mode: String, Codable { case fast, careful }
    enum Outcome: Codable, Equatable {
        case allowed
        case denied(by: String, statements: [Int])
        case unknown(String)
    }
    struct Inner: Codable { var name: String; var weight: Double; var flags: [Bool] }
    struct Everything: Codable {
        var text: String
        var count: Int
        var big: UInt64
        var small: Int8
        var ratio: Double
        var single: Float
        var missing: String?
        var present: String?
        var mode: Mode
        var outcomes: [Outcome]
        var inner: Inner
        var inners: [Inner?]
        var table: [String: Int]
        var grid: [[Int]]
        var raw: JSONValue
        var blob: Data
        var link: URL
        var when: Date
        var Zebra: Int
        var _under: Int
    }

    static func viaText<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONValue.parse(try encoder.encode(value))
    }

    @Test func givesWhatTheTextRoundTripGives() throws {
        let value = Everything(
            text: "quote \" backslash \\ newline \n é 😀", count: -42, big: 9_007_199_254_740_993, small: -8, ratio: 0.1,
            single: 0.1, missing: nil, present: "here", mode: .careful,
            outcomes: [.allowed, .denied(by: "SCP", statements: [1, 2]), .unknown("x")],
            inner: Inner(name: "a", weight: 1e-7, flags: [true, false]), inners: [nil, Inner(name: "b", weight: 2.5, flags: [])],
            table: ["b": 2, "a": 1, "B": 3, "ä": 4], grid: [[], [1], [2, 3]],
            raw: .object(JSONObject([("z", .null), ("a", .array([.number(1), .string("s")]))])),
            blob: Data([0, 1, 2, 250]), link: URL(string: "https://example.com/a?b=c")!, when: Date(timeIntervalSinceReferenceDate: 12.5),
            Zebra: 1, _under: 2)
        let direct = try JSONValueEncoder().encode(value)
        let expected = try Self.viaText(value)
        #expect(direct == expected)
        #expect(direct.serialized(pretty: true) == expected.serialized(pretty: true))
        for top in [try JSONValueEncoder().encode([1, 2]), try JSONValueEncoder().encode("plain"), try JSONValueEncoder().encode(Mode.fast)] {
            #expect(top.serialized().isEmpty == false)
        }
        #expect(try JSONValueEncoder().encode([Mode.fast]) == (try Self.viaText([Mode.fast])))
        #expect(try JSONValueEncoder().encode(["k": [Outcome.allowed]]) == (try Self.viaText(["k": [Outcome.allowed]])))
    }

    @Test func aNumberJSONCannotHoldIsAnError() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["ratio": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.infinity]) }
    }
}
