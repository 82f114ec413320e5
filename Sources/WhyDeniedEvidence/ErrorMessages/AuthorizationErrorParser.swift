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
        let window = DenialWindow.locate(in: text, size: windowBytes)
        guard let window else {
            return text.utf8.contains(where: { $0 > 0x20 })
                ? .failure(NotAnAuthorizationError(reason: .noDenialWording))
                : .failure(NotAnAuthorizationError(reason: .empty))
        }
        var reading = DenialReading(PastedText(window))
        return reading.read()
    }

    /// The parsed error, or nil when the text is not an authorization error.
    public static func parseIfAuthorizationError(_ text: String) -> AuthorizationError? {
        try? parse(text).get()
    }
}

/// Picks the part of a (possibly huge) text worth reading.
enum DenialWindow {
    static func locate(in text: String, size: Int) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 > 0x20 }) else { return nil }
        if utf8.count <= size { return text }
        let bytes = Array(utf8)
        guard let anchor = firstDenialWording(in: bytes) else {
            // No wording at all: still look at the start, where an error code line would be.
            return String(decoding: bytes[0..<size], as: UTF8.self)
        }
        let start = max(0, anchor - size / 4)
        let end = min(bytes.count, start + size)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static let anchors: [[UInt8]] = [
        "not authorized", "accessdenied", "access denied", "unauthorized", "explicit deny",
        "forbidden", "is denied", "denied due to", "error occurred (",
    ].map { Array($0.utf8) }

    /// One linear pass with a first-byte filter; returns the earliest anchor position.
    static func firstDenialWording(in bytes: [UInt8]) -> Int? {
        let firstBytes = Set(anchors.map { $0[0] })
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var i = 0
            while i < buffer.count {
                let byte = PhraseScanner.lowercased(buffer[i])
                if firstBytes.contains(byte) {
                    for anchor in anchors where anchor[0] == byte && i + anchor.count <= buffer.count {
                        var k = 1
                        while k < anchor.count, PhraseScanner.lowercased(buffer[i + k]) == anchor[k] { k += 1 }
                        if k == anchor.count { return i }
                    }
                }
                i += 1
            }
            return nil
        }
    }
}
