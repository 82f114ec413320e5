import Foundation

/// The compiled expressions of the free-text pass, built once. `NSRegularExpression` is
/// documented as safe to use from several threads.
final class RedactionPatterns: @unchecked Sendable {
    static let shared = RedactionPatterns()

    let authorizationHeader = TextPattern(#"(?i)(\bauthorization\s*[:=]\s*)[^\r\n]+"#)
    // `name = value`, `name: value`, `"Name": "value"`, `name=value&` for the usual names, even glued (`password:x`).
    let namedSecret = TextPattern(
        #"(?i)((?:aws_)?secret_?access_?key|secretkey|(?:aws_)?session_?token|x-amz-security-token|security_?token|password|passwd)(["']?\s*[:=]\s*["']?)[^\s"',&;}]+"#)
    // Any field name followed by `=` or by `:` and a space or quote, also JSON-escaped inside a string
    // (`\"passwordData\":\"…\"`); the value is a quoted string (spaces allowed) or a bare word. Whether
    // the name is a secret's is decided by `SecretNames`, not here. A name glued to `:` before it
    // (`…:secret:prod/db` in an ARN) is not a field.
    let anyNamedField = TextPattern(
        #"(?<![\w:/.\-])([A-Za-z][A-Za-z0-9_\-]*)(\\?["']?[ \t]*(?:=|:(?=[ \t"'\\]))[ \t]*)(\\?"(?:[^"\\\r\n]|\\[^"\r\n])*\\?"|'[^'\r\n]*'|[^\s"',&;}\]\\]+)"#)
    let presignedSignature = TextPattern(#"(?i)(x-amz-signature=)[0-9a-f]+"#)
    let sessionToken = TextPattern(#"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9/+=]+"#)
    let bareSecretKey = TextPattern(#"(?<![A-Za-z0-9/+=])[A-Za-z0-9+][A-Za-z0-9/+]{39}(?![A-Za-z0-9/+=])"#)
    let accessKeyID = TextPattern(#"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"#)
    let accountID = TextPattern(#"(?<![0-9])[0-9]{12}(?![0-9])"#)
}

/// A regular expression plus a replacement loop that works on `String` ranges.
struct TextPattern: @unchecked Sendable {
    let expression: NSRegularExpression
    init(_ pattern: String) {
        // The patterns are constants checked by the tests; a typo is a programming error.
        self.expression = try! NSRegularExpression(pattern: pattern)
    }

    struct Match {
        let text: String
        let result: NSTextCheckingResult
        func group(_ index: Int) -> String {
            let range = result.range(at: index)
            guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return "" }
            return String(text[swiftRange])
        }
    }

    func replacing(in text: String, with replacement: (Match) -> String) -> String {
        let nsRange = NSRange(text.startIndex..., in: text)
        let matches = expression.matches(in: text, range: nsRange)
        guard !matches.isEmpty else { return text }
        var output = ""
        var cursor = text.startIndex
        for result in matches {
            guard let range = Range(result.range, in: text) else { continue }
            output += text[cursor..<range.lowerBound]
            output += replacement(Match(text: text, result: result))
            cursor = range.upperBound
        }
        output += text[cursor...]
        return output
    }
}

/// The fast path: one look at the bytes says which patterns could match, so the many short
/// strings of a CloudTrail record (names, ARNs, times, ids) skip the expressions, and a string
/// that only holds an access key id runs that one pattern.
struct TextScreen {
    /// A `name: value` / `name=value` field named with a secret word could be there: a secret
    /// word inside a field name that a `:` or `=` follows.
    var namedField = false
    /// A long base64 run holding the start of an STS session token prefix (lower-cased).
    var sessionTokenPrefix = false
    /// A 40-character run: a secret access key could be there.
    var secretKeyRun = false
    /// `AKIA`/`ASIA` appear.
    var keyIDPrefix = false

    var anything: Bool { namedField || sessionTokenPrefix || secretKeyRun || keyIDPrefix }

    init(_ text: String) {
        var run = 0, longest = 0, separator = false
        var window: UInt32 = 0   // the last four bytes
        for byte in text.utf8 {
            window = window << 8 | UInt32(byte)
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                run += 1
                if run > longest { longest = run }
                if run >= 4 {
                    if window == Self.akia || window == Self.asia { keyIDPrefix = true }
                    if Self.tokenPrefixes.contains(where: { $0 == window }) { sessionTokenPrefix = true }
                }
            case UInt8(ascii: ":"), UInt8(ascii: "="):
                separator = true
                run = 0
            default:
                run = 0
            }
        }
        keyIDPrefix = keyIDPrefix && longest >= 20
        sessionTokenPrefix = sessionTokenPrefix && longest >= 20
        secretKeyRun = longest >= 40
        if separator { namedField = Self.aFieldNamedWithAStem(text) }
    }

    private static func word(_ text: String) -> UInt32 {
        text.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }
    /// `AKIA`, `ASIA`, and the first four characters of the `sessionToken` prefixes, as 4-byte words.
    private static let akia = word("AKIA"), asia = word("ASIA")
    private static let tokenPrefixes: [UInt32] = ["IQoJ", "FwoG", "FQoG", "AQoD"].map(word)

    /// Whether a secret stem occurs in a field name followed by `:` or `=`: the rest of the name
    /// (letters, digits, `_`, `-`), then any quotes, backslashes and white space (all non-ASCII
    /// bytes counted as white space), then the separator. Every named-field pattern needs that,
    /// so prose naming a secret word ("AWS authorization error") skips the expressions. Read back
    /// from each separator: the gap, then the name, which must hold a stem (a stem is all name
    /// bytes, so it lies inside the name); an ARN's short names (`arn`, `aws`, `s3`) end it at once.
    static func aFieldNamedWithAStem(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var name: [UInt8] = []
            for (position, byte) in bytes.enumerated() where byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=") {
                var end = position
                while end > 0, isGapByte(bytes[end - 1]) { end -= 1 }
                var start = end
                while start > 0, isNameByte(lowered(bytes[start - 1])) { start -= 1 }
                guard end - start >= shortestStem else { continue }
                name.removeAll(keepingCapacity: true)
                for index in start..<end { name.append(lowered(bytes[index])) }
                if SecretNames.textStems.contains(where: { stem in contains(name, stem) }) { return true }
            }
            return false
        }
    }

    private static let shortestStem = SecretNames.textStems.map(\.count).min() ?? 1

    private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    private static func contains(_ name: [UInt8], _ stem: [UInt8]) -> Bool {
        guard stem.count <= name.count else { return false }
        for offset in 0...(name.count - stem.count) where name[offset] == stem[0] {
            if name[offset..<(offset + stem.count)].elementsEqual(stem) { return true }
        }
        return false
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    private static func isGapByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x1C...0x20, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), 0x80...: true
        default: false
        }
    }
}
