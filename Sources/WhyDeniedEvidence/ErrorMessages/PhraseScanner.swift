/// Hand-written, linear scanning over `PastedText` bytes: case-insensitive phrase search that
/// lets a phrase's spaces match line breaks and skips a hard wrap inside a word, plus token
/// readers. Phrases are short literals, so each search costs O(text × phrase) at worst.
struct PhraseScanner {
    let bytes: [UInt8]

    init(_ text: PastedText) { bytes = text.bytes }

    /// First match of `phrase` at or after `start` (and starting before `end`), as the range it covers.
    func find(_ phrase: String, from start: Int = 0, before end: Int? = nil) -> Range<Int>? {
        let needle = Array(phrase.utf8).map(PhraseScanner.lowercased)
        guard let first = needle.first else { return nil }
        let limit = min(end ?? bytes.count, bytes.count)
        var i = max(start, 0)
        while i < limit {
            if PhraseScanner.lowercased(bytes[i]) == first, let stop = match(needle, at: i) {
                return i..<stop
            }
            i += 1
        }
        return nil
    }

    /// Whether `phrase` matches right at `position`; returns the end of the match.
    func match(_ phrase: String, at position: Int) -> Int? {
        match(Array(phrase.utf8).map(PhraseScanner.lowercased), at: position)
    }

    private func match(_ needle: [UInt8], at position: Int) -> Int? {
        var i = position
        for (index, want) in needle.enumerated() {
            if want == 0x20 {
                guard i < bytes.count, PastedText.isSpaceOrBreak(bytes[i]) else { return nil }
                i += 1
                continue
            }
            // A hard wrap inside a word: skip the break marker (never before the first byte).
            if index > 0, i < bytes.count, PastedText.isBreak(bytes[i]) { i += 1 }
            guard i < bytes.count, PhraseScanner.lowercased(bytes[i]) == want else { return nil }
            i += 1
        }
        return i
    }

    /// Index of the first byte that is not a space or break, from `position`.
    func skippingSpaces(from position: Int) -> Int {
        var i = position
        while i < bytes.count, PastedText.isSpaceOrBreak(bytes[i]) { i += 1 }
        return i
    }

    /// Reads a run of bytes satisfying `isPart` from `start`. When the run stops at a flush line
    /// break and `continueWrap` accepts the next line's run, the two are joined (a token that a
    /// terminal or issue tracker hard-wrapped).
    func token(from start: Int, limit: Int = 4096, where isPart: (UInt8) -> Bool,
               continueWrap: ((Range<Int>, Range<Int>) -> Bool)? = nil) -> Range<Int> {
        var i = start
        let stop = min(bytes.count, start + limit)
        while i < stop, isPart(bytes[i]) { i += 1 }
        guard let continueWrap else { return start..<i }
        while i > start, i < stop, bytes[i] == PastedText.flushBreak {
            var j = i + 1
            while j < stop, isPart(bytes[j]) { j += 1 }
            guard j > i + 1, continueWrap(start..<i, (i + 1)..<j) else { break }
            i = j
        }
        return start..<i
    }

    func text(_ range: Range<Int>) -> String { PastedText.joined(bytes[range]) }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Bytes that can appear inside an unquoted ARN, principal or `*` (placeholders such as
    /// `<user-arn>`, `[ID]` and `{account-id}` included: reporters paste those).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
            && byte != UInt8(ascii: "`") && byte != UInt8(ascii: ",") && byte != UInt8(ascii: ";")
            && byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")")
    }
}
