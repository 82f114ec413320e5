/// Pasted text cleaned for scanning: colour codes removed, JSON escaping undone, runs of spaces
/// collapsed and every line break (with the indentation or `│`/`|` box border after it) turned
/// into one marker byte, so phrases split by a hard wrap still match.
///
/// Works on UTF-8 bytes in single linear passes; no regular expressions.
struct PastedText {
    /// A line break whose next line starts flush left: a hard wrap may continue a token here.
    static let flushBreak: UInt8 = 0x01
    /// A line break followed by indentation: a new line, never the middle of a token.
    static let indentedBreak: UInt8 = 0x02

    private(set) var bytes: [UInt8]

    init(_ text: String) {
        var raw = Array(text.utf8)
        raw = PastedText.removingANSI(raw)
        // Text copied out of JSON (or JSON inside JSON) carries \" and \n; undo up to two levels.
        for _ in 0..<3 where PastedText.looksJSONEscaped(raw) {
            raw = PastedText.unescapingJSON(raw)
        }
        bytes = PastedText.markingLineBreaks(raw)
    }

    static func isBreak(_ byte: UInt8) -> Bool { byte == flushBreak || byte == indentedBreak }
    static func isSpaceOrBreak(_ byte: UInt8) -> Bool { byte == 0x20 || isBreak(byte) }

    /// The cleaned text with each break shown as "\n" (same byte count, so ranges line up).
    var displayText: String { PastedText.display(bytes[...]) }

    static func display(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice.map { isBreak($0) ? 0x0A : $0 }, as: UTF8.self)
    }

    /// The bytes of a value with wrap markers dropped (a wrapped token is joined back together).
    static func joined(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice.filter { !isBreak($0) }, as: UTF8.self)
    }

    // MARK: - Passes

    /// Drops `ESC [ … final-byte` (CSI) and `ESC ] … BEL|ESC \` (OSC) sequences and other controls but tab/newline.
    private static func removingANSI(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == 0x1B {
                i += 1
                if i < input.count, input[i] == UInt8(ascii: "[") {
                    i += 1
                    while i < input.count, !(0x40...0x7E).contains(input[i]) { i += 1 }
                    i += 1
                } else if i < input.count, input[i] == UInt8(ascii: "]") {
                    i += 1
                    while i < input.count, input[i] != 0x07, input[i] != 0x1B { i += 1 }
                    i += (i < input.count && input[i] == 0x1B) ? 2 : 1
                } else {
                    i += 1
                }
                continue
            }
            if byte == 0x0D {  // CRLF and lone CR become LF
                output.append(0x0A)
                if i + 1 < input.count, input[i + 1] == 0x0A { i += 1 }
            } else if byte < 0x20, byte != 0x09, byte != 0x0A {
                output.append(0x20)
            } else {
                output.append(byte)
            }
            i += 1
        }
        return output
    }

    private static func looksJSONEscaped(_ input: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < input.count {
            if input[i] == UInt8(ascii: "\\") {
                let next = input[i + 1]
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "n") { return true }
                i += 2
            } else {
                i += 1
            }
        }
        return false
    }

    private static func unescapingJSON(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let byte = input[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < input.count else {
                output.append(byte)
                i += 1
                continue
            }
            let next = input[i + 1]
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(next)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): break
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u") where i + 5 < input.count:
                if let scalar = hexValue(input[(i + 2)...(i + 5)]), let unicode = Unicode.Scalar(scalar) {
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                    i += 6
                    continue
                }
                output.append(byte)
                output.append(next)
            default:
                output.append(byte)
                output.append(next)
            }
            i += 2
        }
        return output
    }

    private static func hexValue(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value * 16 + UInt32(nibble)
        }
        return value
    }

    /// Tabs become spaces, runs of spaces collapse, and each line break plus the next line's
    /// indentation and box border (`│`, `|`, `>`) becomes one break marker.
    private static func markingLineBreaks(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let byte = input[i] == 0x09 ? 0x20 : input[i]
            if byte == 0x0A {
                while let last = output.last, last == 0x20 { output.removeLast() }
                i += 1
                var indented = false
                while i < input.count {
                    let next = input[i]
                    if next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D {
                        indented = true
                        i += 1
                    } else if next == UInt8(ascii: "|") || next == UInt8(ascii: ">") {
                        i += 1
                    } else if next == 0xE2, i + 2 < input.count, input[i + 1] == 0x94,
                              input[i + 2] == 0x82 || input[i + 2] == 0x83 {  // │ ┃
                        i += 3
                    } else {
                        break
                    }
                }
                if let last = output.last, isBreak(last) {
                    output[output.count - 1] = indentedBreak
                } else {
                    output.append(indented ? indentedBreak : flushBreak)
                }
                continue
            }
            if byte == 0x20, let last = output.last, last == 0x20 || isBreak(last) {
                i += 1
                continue
            }
            output.append(byte)
            i += 1
        }
        return output
    }
}
