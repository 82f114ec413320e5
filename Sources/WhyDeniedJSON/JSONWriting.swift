import Foundation

extension JSONValue {
    /// Serialises the value. `pretty` indents with two spaces, one key per line, as the pager and
    /// reports show JSON; keys keep their order either way.
    public func serialized(pretty: Bool = false, sortedKeys: Bool = false) -> String {
        var output = ""
        write(into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: 0)
        return output
    }

    /// `{"<key>": [item, …]}` pretty-printed, from items each already `serialized(pretty: true)`:
    /// the text `serialized(pretty: true)` gives for that object, without walking the items again
    /// (a batch's results are serialized once, on every core, for both its outputs). A pretty
    /// item's lines are the nested item's lines, four spaces in: JSON text has no raw newline in a string.
    public static func prettyObject(key: String, arrayOfPretty items: [String]) -> String {
        var head = "{\n  "
        writeString(key, into: &head)
        guard !items.isEmpty else { return head + ": []\n}" }
        head += ": ["
        let newline = UInt8(ascii: "\n")
        let nested = Array("\n    ".utf8)
        var bytes = Array(head.utf8)
        bytes.reserveCapacity(bytes.count + items.reduce(0) { $0 + $1.utf8.count * 5 / 4 + 8 } + 8)
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += nested
            var text = item
            text.withUTF8 { utf8 in
                var lineStart = 0
                for position in utf8.indices where utf8[position] == newline {
                    bytes += utf8[lineStart..<position]
                    bytes += nested
                    lineStart = position + 1
                }
                bytes += utf8[lineStart...]
            }
        }
        bytes += Array("\n  ]\n}".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func write(into output: inout String, pretty: Bool, sortedKeys: Bool, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += JSONValue.format(number)
        case .string(let text): JSONValue.writeString(text, into: &output)
        case .array(let items):
            if items.isEmpty { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                if pretty { JSONValue.newLine(into: &output, indent: indent + 1) }
                item.write(into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: indent + 1)
            }
            if pretty { JSONValue.newLine(into: &output, indent: indent) }
            output += "]"
        case .object(let object):
            if object.isEmpty { output += "{}"; return }
            output += "{"
            let entries = sortedKeys ? object.entries.sorted { $0.key < $1.key } : object.entries
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                if pretty { JSONValue.newLine(into: &output, indent: indent + 1) }
                JSONValue.writeString(entry.key, into: &output)
                output += pretty ? ": " : ":"
                entry.value.write(into: &output, pretty: pretty, sortedKeys: sortedKeys, indent: indent + 1)
            }
            if pretty { JSONValue.newLine(into: &output, indent: indent) }
            output += "}"
        }
    }

    /// A line break and `indent` levels of two spaces, appended in place.
    private static func newLine(into output: inout String, indent: Int) {
        output += "\n"
        for _ in 0..<indent { output += "  " }
    }

    /// Copies each run of bytes that needs no escape at once: every byte JSON escapes is ASCII,
    /// so the runs between them are whole characters (a scalar at a time was a quarter of a batch's output time).
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                utf8.formIndex(after: &index)
                continue
            }
            output += text[runStart..<index]
            switch byte {
            case UInt8(ascii: "\""): output += "\\\""
            case UInt8(ascii: "\\"): output += "\\\\"
            case UInt8(ascii: "\n"): output += "\\n"
            case UInt8(ascii: "\r"): output += "\\r"
            case UInt8(ascii: "\t"): output += "\\t"
            default: output += String(format: "\\u%04x", UInt32(byte))
            }
            utf8.formIndex(after: &index)
            runStart = index
        }
        output += text[runStart..<index]
        output += "\""
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
        if let number = try? container.decode(Double.self) { self = .number(number); return }
        if let text = try? container.decode(String.self) { self = .string(text); return }
        if let items = try? container.decode([JSONValue].self) { self = .array(items); return }
        if let object = try? container.decode([String: JSONValue].self) {
            self = .object(JSONObject(object.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            return
        }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let object): try container.encode(object.dictionary)
        }
    }
}
