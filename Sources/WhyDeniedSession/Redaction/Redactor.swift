import Foundation
import WhyDeniedJSON

/// Removes secrets from anything whydenied writes or shows: command output, argv, journal lines,
/// reports. Pure: the same input always gives the same output, and nothing is logged.
///
/// Access key ids keep their prefix and last four characters (`AKIA************MPLE`) so an
/// operator can still tell keys apart; secret keys, session tokens, passwords, `Authorization`
/// headers and whole `credentials` objects become `[REDACTED]`. With `maskAccountIDs` every
/// 12-digit account id (alone or inside an ARN) becomes `************`, for sharing outside the team.
///
/// ```swift
/// let redactor = Redactor()
/// redactor.redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
/// // "aws_secret_access_key = [REDACTED]"
/// redactor.redact(try JSONValue.parse(#"{"Credentials": {"SessionToken": "FwoG..."}}"#))
/// // {"Credentials": "[REDACTED]"}
/// ```
public struct Redactor: Sendable, Hashable {
    public static let placeholder = "[REDACTED]"
    public static let maskedAccountID = "************"

    /// Mask 12-digit account ids too (off by default: inside the team they are needed).
    public var maskAccountIDs: Bool

    public init(maskAccountIDs: Bool = false) {
        self.maskAccountIDs = maskAccountIDs
    }

    // MARK: Text

    /// Redacts secrets in free text (stderr, pasted error messages, headers, env-style lines).
    public func redact(_ text: String) -> String {
        var result = text
        let patterns = RedactionPatterns.shared
        result = patterns.authorizationHeader.replacing(in: result) { match in
            match.group(1) + Redactor.placeholder
        }
        result = patterns.namedSecret.replacing(in: result) { match in
            match.group(1) + match.group(2) + Redactor.placeholder
        }
        result = patterns.presignedSignature.replacing(in: result) { match in
            match.group(1) + Redactor.placeholder
        }
        result = patterns.sessionToken.replacing(in: result) { _ in Redactor.placeholder }
        result = patterns.bareSecretKey.replacing(in: result) { match in
            Redactor.looksLikeSecretKey(match.group(0)) ? Redactor.placeholder : match.group(0)
        }
        result = patterns.accessKeyID.replacing(in: result) { match in
            Redactor.maskAccessKeyID(match.group(0))
        }
        if maskAccountIDs {
            result = patterns.accountID.replacing(in: result) { _ in Redactor.maskedAccountID }
        }
        return result
    }

    /// Redacts command output: JSON output is redacted structurally (so whole `Credentials`
    /// objects go) and printed back pretty; anything else is redacted as text.
    public func redactOutput(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = trimmed.first, first == "{" || first == "[",
           let value = try? JSONValue.parse(trimmed) {
            return redact(value).serialized(pretty: true) + (text.hasSuffix("\n") ? "\n" : "")
        }
        return redact(text)
    }

    /// Redacts every element of an argv (a `--policy-document` may carry anything).
    public func redact(argv: [String]) -> [String] {
        argv.map(redactArgument)
    }

    private func redactArgument(_ argument: String) -> String {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if let first = trimmed.first, first == "{" || first == "[", let value = try? JSONValue.parse(trimmed) {
            return redact(value).serialized()
        }
        return redact(argument)
    }

    // MARK: JSON

    /// Redacts a JSON value: values under secret-named keys are replaced whole, every other
    /// string goes through the text rules.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(redact(text))
        case .array(let items):
            return .array(items.map(redact))
        case .object(let object):
            var redacted = JSONObject()
            for entry in object.entries {
                if Redactor.isSecretKeyName(entry.key), !entry.value.isNull {
                    redacted[entry.key] = .string(Redactor.placeholder)
                } else {
                    redacted[entry.key] = redact(entry.value)
                }
            }
            return .object(redacted)
        case .null, .bool, .number:
            return value
        }
    }

    // MARK: Rules

    /// Key names whose whole value is a secret. Compared lower-cased with `_`, `-` and spaces
    /// removed, so `SecretAccessKey`, `aws_secret_access_key` and `secret-access-key` all match.
    /// `NextToken` and `SecretId` are deliberately absent: they are not secrets.
    static let secretKeyNames: Set<String> = [
        "secretaccesskey", "awssecretaccesskey", "secretkey",
        "sessiontoken", "awssessiontoken", "securitytoken", "xamzsecuritytoken",
        "credentials", "authorization", "privatekey", "clientsecret",
        "secretstring", "secretbinary", "accesstoken", "refreshtoken", "idtoken",
    ]

    public static func isSecretKeyName(_ key: String) -> Bool {
        let normalized = key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }
        // `PasswordLastUsed` and `PasswordResetRequired` are facts, not secrets.
        return secretKeyNames.contains(normalized) || normalized.hasSuffix("password")
            || normalized.hasSuffix("passphrase")
    }

    /// `AKIAIOSFODNN7EXAMPLE` → `AKIA************MPLE`.
    public static func maskAccessKeyID(_ keyID: String) -> String {
        guard keyID.count > 8 else { return placeholder }
        return String(keyID.prefix(4)) + String(repeating: "*", count: keyID.count - 8) + String(keyID.suffix(4))
    }

    /// A 40-character base64 run is taken for a secret key only if it mixes upper case, lower
    /// case and digits and has few slashes: hex digests (lower case only), words and most paths
    /// stay. A random secret key passes with probability above 99.8%.
    static func looksLikeSecretKey(_ candidate: String) -> Bool {
        var upper = false, lower = false, digit = false, slashes = 0
        for scalar in candidate.unicodeScalars {
            switch scalar {
            case "A"..."Z": upper = true
            case "a"..."z": lower = true
            case "0"..."9": digit = true
            case "/": slashes += 1
            default: break
            }
        }
        return upper && lower && digit && slashes <= 4
    }
}

/// The compiled expressions, built once. `NSRegularExpression` is documented as safe to use
/// from several threads.
final class RedactionPatterns: @unchecked Sendable {
    static let shared = RedactionPatterns()

    let authorizationHeader = TextPattern(#"(?i)(\bauthorization\s*[:=]\s*)[^\r\n]+"#)
    // `name = value`, `name: value`, `"Name": "value"`, `name=value&` for secret-named keys.
    let namedSecret = TextPattern(
        #"(?i)((?:aws_)?secret_?access_?key|secretkey|(?:aws_)?session_?token|x-amz-security-token|security_?token|password|passwd)(["']?\s*[:=]\s*["']?)[^\s"',&;}]+"#)
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
