import Testing
@testable import WhyDeniedJSON

@Suite struct JSONValueTests {
    @Test func parsesNestedDocumentsKeepingKeyOrder() throws {
        let value = try JSONValue.parse(#"{"b": 1, "a": [true, null, "x\u00e9\n"], "c": {"d": -2.5e1}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["a"]?[2]?.stringValue == "xé\n")
        #expect(value["c"]?["d"]?.doubleValue == -25)
        #expect(value["b"]?.intValue == 1)
        #expect(value["a"]?[1]?.isNull == true)
    }

    @Test func reportsLineAndColumnOfTheProblem() {
        let text = "{\n  \"a\": 1,\n  \"b\": tru\n}"
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do {
            _ = try JSONValue.parse(text)
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test func rejectsTruncatedAndTrailingText() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": "unterminated"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": 1} x"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("") }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#).stringValue == "😀")
    }

    @Test func parsesConcatenatedDocumentsByPrefix() throws {
        let bytes = Array("{\"a\":1}\n{\"a\":2}".utf8)
        let (first, end) = try JSONValue.parsePrefix(bytes, from: 0)
        let (second, _) = try JSONValue.parsePrefix(bytes, from: end)
        #expect(first["a"]?.intValue == 1)
        #expect(second["a"]?.intValue == 2)
    }

    @Test func serialisesRoundTrip() throws {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"N":3}]}"#
        let value = try JSONValue.parse(text)
        #expect(value.serialized() == text)
        #expect(try JSONValue.parse(value.serialized(pretty: true)) == value)
    }

    /// Every byte JSON must escape (the control characters, quote, backslash) between multi-byte
    /// and combining characters: written escaped, read back the same (the writer copies the runs between escapes whole).
    /// A batch's output file is built from its results serialized once: the same text as
    /// serializing the whole object, for no item, one, several, nested and with escapes.
    @Test func aPrettyObjectOfSerializedItemsIsTheWholeValueSerialized() throws {
        let items: [JSONValue] = [
            .object(JSONObject([("EventId", .string("a\nb \"quoted\"")), ("Nested", .object(JSONObject([("list", .array([.number(1), .array([]), .object(JSONObject())]))])))])),
            .array([.string("x"), .null, .bool(true)]),
            .string("plain"),
            .object(JSONObject([("Deep", .array([.object(JSONObject([("k", .array([.string("v")]))]))]))])),
        ]
        for count in [0, 1, 2, items.count] {
            let chosen = Array(items.prefix(count))
            let whole = JSONValue.object(JSONObject([("Results", .array(chosen))])).serialized(pretty: true)
            let built = JSONValue.prettyObject(key: "Results", arrayOfPretty: chosen.map { $0.serialized(pretty: true) })
            #expect(built == whole, "\(count) item(s):\n\(built)\n---\n\(whole)")
            #expect(try JSONValue.parse(built) == .object(JSONObject([("Results", .array(chosen))])))
        }
    }

    @Test func escapesWhatJSONMustAndKeepsEverythingElse() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let samples = ["", "plain", "\"quoted\"", "back\\slash", controls, "é e\u{301} 日本 🙂\u{7f}",
                       "\u{1}🙂\"\n" + controls + "tail", String(repeating: "ab\"", count: 100)]
        for sample in samples {
            let written = JSONValue.string(sample).serialized()
            #expect(written.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "\(written.debugDescription)")
            let read = try JSONValue.parse(written)
            #expect(read == .string(sample), "\(written.debugDescription)")
        }
        #expect(JSONValue.string("a\"b\\c\n\u{1}é").serialized() == #""a\"b\\c\n\u0001é""#)
    }

    @Test func selectsPathsWithFanOut() throws {
        let output = try JSONValue.parse(#"{"AttachedPolicies":[{"PolicyArn":"arn:1"},{"PolicyArn":"arn:2"},{"Other":1}],"Arn":"x"}"#)
        #expect(try JSONPath("Arn").select(in: output) == .string("x"))
        #expect(try JSONPath("AttachedPolicies[*].PolicyArn").select(in: output) == .array([.string("arn:1"), .string("arn:2")]))
        #expect(try JSONPath("AttachedPolicies[1].PolicyArn").select(in: output) == .string("arn:2"))
        #expect(try JSONPath("Missing.Key").select(in: output) == nil)
        #expect(throws: JSONPath.SyntaxError.self) { try JSONPath("a[x]") }
    }
}
