import Foundation

/// Why a text is not JSON, with the line and column where reading stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int
    /// Byte offset from the start of the text.
    public let offset: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
    /// Parses JSON text. Errors name the line and column, so an operator can find the bad spot in
    /// what they pasted.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        return try reader.readDocument()
    }

    /// Parses one value at the start of `bytes[from...]`, returning it and the offset just past it.
    /// Used to read several concatenated or newline-delimited documents from one text.
    public static func parsePrefix(_ bytes: [UInt8], from start: Int) throws(JSONParseError) -> (JSONValue, Int) {
        var reader = JSONReader(bytes: bytes, position: start)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        return (value, reader.position)
    }
}

/// A small recursive-descent JSON reader that tracks positions for error messages.
struct JSONReader {
    let bytes: [UInt8]
    var position: Int
    static let maximumDepth = 512

    init(bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func readDocument() throws(JSONParseError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated; some editors add one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        skipWhitespace()
        let value = try readValue(depth: 0)
        skipWhitespace()
        if position < bytes.count { throw error("unexpected text after the JSON value") }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        guard position < bytes.count else { throw error("unexpected end of text, a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("unexpected character \(describe(bytes[position])), a value was expected")
        }
    }

    mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var entries: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(entries))
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("an object key in double quotes was expected")
            }
            let key = try readString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("':' was expected after the key \"\(key)\"")
            }
            position += 1
            skipWhitespace()
            entries.append((key, try readValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of text inside an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(JSONObject(entries)) }
            throw error("',' or '}' was expected in an object")
        }
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try readValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of text inside an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw error("',' or ']' was expected in an array")
        }
    }

    mutating func readString() throws(JSONParseError) -> String {
        position += 1
        // Runs between escapes are copied whole (they end only at ASCII bytes, so never inside a
        // character); a string without escapes, the usual one, is made from its bytes at once.
        var text = ""
        var runStart = position
        func flushRun(_ reader: JSONReader, upTo end: Int, into text: inout String) {
            if end > runStart { text += String(decoding: reader.bytes[runStart..<end], as: UTF8.self) }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                // Every escape adds to `text`: still empty, the string had none.
                if text.isEmpty {
                    position += 1
                    return String(decoding: bytes[runStart..<(position - 1)], as: UTF8.self)
                }
                flushRun(self, upTo: position, into: &text)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                flushRun(self, upTo: position, into: &text)
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): text.unicodeScalars.append("\"")
                case UInt8(ascii: "\\"): text.unicodeScalars.append("\\")
                case UInt8(ascii: "/"): text.unicodeScalars.append("/")
                case UInt8(ascii: "b"): text.unicodeScalars.append("\u{08}")
                case UInt8(ascii: "f"): text.unicodeScalars.append("\u{0C}")
                case UInt8(ascii: "n"): text.unicodeScalars.append("\n")
                case UInt8(ascii: "r"): text.unicodeScalars.append("\r")
                case UInt8(ascii: "t"): text.unicodeScalars.append("\t")
                case UInt8(ascii: "u"):
                    let first = try readHex4()
                    if (0xD800...0xDBFF).contains(first) {
                        // A surrogate pair; a lone half becomes U+FFFD rather than an error.
                        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            position += 2
                            let second = try readHex4()
                            if (0xDC00...0xDFFF).contains(second) {
                                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                                text.unicodeScalars.append(Unicode.Scalar(combined) ?? "\u{FFFD}")
                            } else {
                                text.unicodeScalars.append("\u{FFFD}")
                                text.unicodeScalars.append(Unicode.Scalar(second) ?? "\u{FFFD}")
                            }
                        } else {
                            text.unicodeScalars.append("\u{FFFD}")
                        }
                    } else {
                        text.unicodeScalars.append(Unicode.Scalar(first) ?? "\u{FFFD}")
                    }
                default:
                    position -= 1
                    throw error("invalid escape \\\(describe(escape)) in a string")
                }
                runStart = position
                continue
            }
            if byte < 0x20 {
                throw error("a control character (\(describe(byte))) inside a string; was the text wrapped over lines?")
            }
            position += 1
        }
        throw error("unexpected end of text inside a string")
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    mutating func readNumber() throws(JSONParseError) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("a digit was expected") }
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a digit was expected after '.'") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a digit was expected in the exponent") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let number = Double(text) else { throw error("\(text) is not a number") }
        return number
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = literal.withUTF8Buffer { Array($0) }
        guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw error("unexpected character \(describe(bytes[position])), a value was expected")
        }
        position += expected.count
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return String(format: "0x%02X", byte)
    }

    func error(_ message: String) -> JSONParseError {
        var line = 1
        var lineStart = 0
        let end = min(position, bytes.count)
        var index = 0
        while index < end {
            if bytes[index] == 0x0A { line += 1; lineStart = index + 1 }
            index += 1
        }
        return JSONParseError(message: message, line: line, column: end - lineStart + 1, offset: end)
    }
}
