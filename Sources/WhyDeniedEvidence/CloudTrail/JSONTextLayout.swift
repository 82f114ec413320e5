/// Light structural look at JSON text that may be broken: where list elements start, which
/// line an offset is on, and a repair for text a terminal hard-wrapped inside strings. The
/// reader uses it to name positions and to resume after a malformed record.
struct JSONTextLayout {
    let bytes: [UInt8]
    private var lineStarts: [Int]?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// 1-based line of a byte offset.
    mutating func line(at offset: Int) -> Int {
        if lineStarts == nil {
            var starts = [0]
            for index in bytes.indices where bytes[index] == 0x0A { starts.append(index + 1) }
            lineStarts = starts
        }
        let starts = lineStarts ?? [0]
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// Offsets where each element of the list opening at `arrayStart` begins, following strings
    /// and nesting. Stops quietly where the text stops making sense.
    func elementStarts(arrayStart: Int) -> [Int] {
        guard arrayStart < bytes.count, bytes[arrayStart] == UInt8(ascii: "[") else { return [] }
        var starts: [Int] = []
        var depth = 0
        var inString = false
        var expectingElement = true
        var index = arrayStart + 1
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09:
                break
            default:
                if depth == 0 && expectingElement && byte != UInt8(ascii: "]") {
                    starts.append(index)
                    expectingElement = false
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"): depth -= 1
                case UInt8(ascii: "]"):
                    if depth == 0 { return starts }
                    depth -= 1
                case UInt8(ascii: ","): if depth == 0 { expectingElement = true }
                default: break
                }
                if depth < 0 { return starts }
            }
            index += 1
        }
        return starts
    }

    /// The offset of the `[` that opens the value of `"key"` near the start of a top-level
    /// object, or of a top-level list itself.
    func listStart(forKeys keys: [String]) -> (key: String?, offset: Int)? {
        var index = 0
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "[") { return (nil, index) }
        guard bytes[index] == UInt8(ascii: "{") else { return nil }
        let window = bytes[index..<min(bytes.count, index + 4096)]
        for key in keys {
            let pattern = Array("\"\(key)\"".utf8)
            guard let found = Self.firstRange(of: pattern, in: window) else { continue }
            var cursor = found + pattern.count
            while cursor < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { continue }
            cursor += 1
            while cursor < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "[") { return (key, cursor) }
        }
        return nil
    }

    /// Offsets after `from` where a new list element could start: a `{` that follows `}` and
    /// `,` (whitespace allowed between).
    func nextElementCandidates(after from: Int) -> some Sequence<Int> {
        var index = from
        let bytes = self.bytes
        return AnySequence {
            AnyIterator {
                while index < bytes.count {
                    defer { index += 1 }
                    guard bytes[index] == UInt8(ascii: "}") else { continue }
                    var cursor = index + 1
                    while cursor < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
                    guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") else { continue }
                    cursor += 1
                    while cursor < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{") {
                        index = cursor
                        return cursor
                    }
                }
                return nil
            }
        }
    }

    /// Text pasted from a terminal or a document can carry line breaks inside JSON strings
    /// (the CloudTrail guide prints `CloudTrailEvent` that way). Removes each break inside a
    /// string together with the indentation after it. Nil when there was nothing to remove.
    static func removingLineBreaksInsideStrings(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var inString = false
        var changed = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    output.append(byte)
                    output.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                if byte == 0x0A || byte == 0x0D {
                    changed = true
                    index += 1
                    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                    continue
                }
                output.append(byte)
            } else {
                if byte == UInt8(ascii: "\"") { inString = true }
                output.append(byte)
            }
            index += 1
        }
        return changed ? output : nil
    }

    static func firstRange(of pattern: [UInt8], in window: ArraySlice<UInt8>) -> Int? {
        guard !pattern.isEmpty, window.count >= pattern.count else { return nil }
        var index = window.startIndex
        while index <= window.endIndex - pattern.count {
            if window[index] == pattern[0], window[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
