import Foundation
import WhyDeniedJSON

/// Removes secrets from anything whydenied writes or shows: command output, argv, journal lines,
/// saved outputs and backups, recordings, reports, scan/parse/analyze/evaluate output, the TUI.
/// There is one redactor; every way out calls it. Pure: the same input always gives the same
/// output, and nothing is logged.
///
/// JSON is read structurally (`redact(_: JSONValue)`, also inside strings that hold JSON): values
/// under secret-named keys (`SecretNames`) go whole, whatever they look like. Free text gets the
/// text rules. Access key ids keep their first and last four characters (`AKIA************MPLE`) so an
/// operator can still tell keys apart. With `maskAccountIDs` every 12-digit account id (alone or
/// inside an ARN) becomes `************`, for sharing outside the team.
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
        let screen = TextScreen(text)
        guard maskAccountIDs || screen.anything else { return text }
        var result = text
        let patterns = RedactionPatterns.shared
        if screen.namedField {
            result = Redactor.redactNamedFields(result)
        }
        if screen.sessionTokenPrefix {
            result = patterns.sessionToken.replacing(in: result) { _ in Redactor.placeholder }
        }
        if screen.secretKeyRun {
            result = patterns.bareSecretKey.replacing(in: result) { match in
                Redactor.looksLikeSecretKey(match.group(0)) ? Redactor.placeholder : match.group(0)
            }
        }
        if screen.keyIDPrefix {
            result = patterns.accessKeyID.replacing(in: result) { match in
                Redactor.maskAccessKeyID(match.group(0))
            }
        }
        if maskAccountIDs {
            result = patterns.accountID.replacing(in: result) { _ in Redactor.maskedAccountID }
        }
        return result
    }

    /// The named-field pass (`authorization:`, `password=`, `"SecretString": "…"`, presigned
    /// signatures). Run only when `TextScreen.namedField` says it could change something.
    static func redactNamedFields(_ text: String) -> String {
        let patterns = RedactionPatterns.shared
        var result = patterns.authorizationHeader.replacing(in: text) { match in
            match.group(1) + Redactor.placeholder
        }
        result = patterns.namedSecret.replacing(in: result) { match in
            match.group(1) + match.group(2) + Redactor.placeholder
        }
        result = patterns.anyNamedField.replacing(in: result) { match in
            guard SecretNames.isSecret(match.group(1)) else { return match.group(0) }
            return match.group(1) + match.group(2) + Redactor.quotedPlaceholder(like: match.group(3))
        }
        return patterns.presignedSignature.replacing(in: result) { match in
            match.group(1) + Redactor.placeholder
        }
    }

    /// The placeholder quoted the way the value was (`"…"`, `\"…\"`, `'…'`, bare).
    static func quotedPlaceholder(like value: String) -> String {
        if value.hasPrefix("\\\"") { return "\\\"" + placeholder + "\\\"" }
        if value.hasPrefix("\"") { return "\"" + placeholder + "\"" }
        if value.hasPrefix("'") { return "'" + placeholder + "'" }
        return placeholder
    }

    /// Redacts command output: JSON output is redacted structurally (so whole `Credentials`
    /// objects go) and printed back pretty; anything else is redacted as text. Output with
    /// nothing to hide comes back byte for byte.
    public func redactOutput(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = trimmed.first, first == "{" || first == "[",
           let value = try? JSONValue.parse(trimmed) {
            let redacted = redact(value)
            if redacted == value { return text }
            return redacted.serialized(pretty: true) + (text.hasSuffix("\n") ? "\n" : "")
        }
        return redact(text)
    }

    /// Redacts an argv: the value of an option named like a secret (`--secret-string X`,
    /// `--password=X`, `--environment Variables={…}`) goes whole; every element is also redacted
    /// as JSON (a `--cli-input-json` document) or as text.
    public func redact(argv: [String]) -> [String] {
        ArgvRedaction.secretPositions(argv).map { position in
            switch position {
            case .value: Redactor.placeholder
            case .inlineValue(let option): option + "=" + Redactor.placeholder
            case .other(let element): redactString(element)
            }
        }
    }

    // MARK: Rules

    public static func isSecretKeyName(_ key: String) -> Bool {
        SecretNames.isSecret(key)
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
