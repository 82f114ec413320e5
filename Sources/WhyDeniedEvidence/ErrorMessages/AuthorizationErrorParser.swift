/// Reads an AWS authorization error out of whatever an operator pasted: a CLI stderr block, an
/// SDK exception dump, a console banner, a CloudTrail `errorMessage`, JSON-escaped or coloured text.
///
/// ```swift
/// switch AuthorizationErrorParser.parse(pasted) {
/// case .success(let denied): print(denied.action ?? "?", denied.decision)
/// case .failure(let why): print(why)
/// }
/// ```
/// The scan is hand-written and linear; very large inputs are read only around the first
/// denial wording (see `windowBytes`), so a 10 MB log costs one quick pass.
public enum AuthorizationErrorParser {
    /// Texts longer than this are read in a window of this size around the first denial wording.
    public static let windowBytes = 64 * 1024

    public static func parse(_ text: String) -> Result<AuthorizationError, NotAnAuthorizationError> {
        guard let window = DenialWindow.locate(in: text, size: windowBytes) else {
            return .failure(NotAnAuthorizationError(reason: .empty))
        }
        var reading = DenialReading(PastedText(window))
        return reading.read()
    }

    /// The parsed error, or nil when the text is not an authorization error.
    public static func parseIfAuthorizationError(_ text: String) -> AuthorizationError? {
        try? parse(text).get()
    }
}

/// Picks the part of a (possibly huge) text worth reading, in one pass over its UTF-8 bytes.
enum DenialWindow {
    static func locate(in text: String, size: Int) -> String? {
        var text = text
        return text.withUTF8 { buffer -> String? in
            guard let firstVisible = firstVisibleByte(in: buffer) else { return nil }
            if buffer.count <= size { return String(decoding: buffer, as: UTF8.self) }
            // No wording at all: still read from the first visible byte, where a code line would be.
            let anchor = firstDenialWording(in: buffer) ?? firstVisible
            let start = max(0, anchor - size / 4)
            let end = min(buffer.count, start + size)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }
    }

    private static func firstVisibleByte(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < buffer.count {
            if buffer[i] > 0x20 { return i }
            i += 1
        }
        return nil
    }

    private static let anchors: [[UInt8]] = [
        "not authorized", "accessdenied", "access denied", "unauthorized", "explicit deny",
        "forbidden", "is denied", "denied due to", "error occurred (",
    ].map { Array($0.utf8) }

    /// Which lower-cased byte pairs can start an anchor: one table lookup per byte keeps the pass
    /// cheap even in debug builds (random text rarely matches a pair).
    private static let startsAnchor: [Bool] = {
        var table = [Bool](repeating: false, count: 65_536)
        for anchor in anchors { table[Int(anchor[0]) << 8 | Int(anchor[1])] = true }
        return table
    }()

    /// Earliest position of any anchor, case-insensitively.
    static func firstDenialWording(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard buffer.count >= 2 else { return nil }
        return startsAnchor.withUnsafeBufferPointer { table -> Int? in
            var previous = buffer[0] | (buffer[0] &- 65 < 26 ? 0x20 : 0)
            var i = 1
            while i < buffer.count {
                let raw = buffer[i]
                let byte = raw &- 65 < 26 ? raw | 0x20 : raw
                if table[Int(previous) << 8 | Int(byte)], let found = anchor(startingAt: i - 1, in: buffer) {
                    return found
                }
                previous = byte
                i += 1
            }
            return nil
        }
    }

    private static func anchor(startingAt start: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        for anchor in anchors where start + anchor.count <= buffer.count {
            var k = 0
            while k < anchor.count, PhraseScanner.lowercased(buffer[start + k]) == anchor[k] { k += 1 }
            if k == anchor.count { return start }
        }
        return nil
    }
}
