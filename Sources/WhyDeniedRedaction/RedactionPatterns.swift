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

/// The fast path: one look at the bytes decides whether any pattern could match, so the many
/// short strings of a CloudTrail record (names, ARNs, times) skip the expressions.
enum TextScreen {
    /// Key ids are 20 characters; shorter base64 runs are no secret the patterns know by shape.
    static let shortestKnownShape = 20

    static func mayHoldSecret(_ text: String) -> Bool {
        var run = 0, longest = 0, separator = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                run += 1
                if run > longest { longest = run }
            case UInt8(ascii: ":"), UInt8(ascii: "="):
                separator = true
                run = 0
            default:
                run = 0
            }
        }
        if longest >= shortestKnownShape { return true }
        // Every named rule needs a separator and a secret word.
        guard separator else { return false }
        let lower = text.utf8.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        return SecretNames.textStems.contains { stem in contains(lower, stem) }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
