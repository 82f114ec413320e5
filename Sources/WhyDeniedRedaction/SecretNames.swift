import Foundation

/// Which field names hold secrets. One rule for JSON keys, `name = value` text, argv options
/// (`--secret-string`) and name/value pairs (`{"Name": "DB_PASSWORD", "Value": …}`).
///
/// Names are compared lower-cased with everything but letters and digits removed, so
/// `SecretAccessKey`, `aws_secret_access_key` and `secret-access-key` are one name.
///
/// ```swift
/// SecretNames.isSecret("webIdentityToken")   // true: a token, whatever its value looks like
/// SecretNames.isSecret("NextToken")          // false: a page marker
/// SecretNames.isSecret("PasswordLastUsed")   // false: a fact about a password
/// ```
enum SecretNames {
    /// What a key is to the structural pass.
    struct KeyClass: OptionSet, Sendable {
        let rawValue: UInt8
        static let secret = KeyClass(rawValue: 1)
        static let environment = KeyClass(rawValue: 2)
        static let pairName = KeyClass(rawValue: 4)
        static let pairValue = KeyClass(rawValue: 8)
        /// `name` / `type`: kept inside an environment list entry.
        static let label = KeyClass(rawValue: 16)
    }

    /// The class of a key, remembered: a trail repeats the same few hundred keys, and
    /// normalizing each one again would dominate the redaction of a scan's output.
    static func classify(_ key: String) -> KeyClass {
        if let known = KeyClassCache.shared.lookup(key) { return known }
        let name = normalized(fieldName(key))
        var keyClass: KeyClass = []
        if isSecretNormalized(name) { keyClass.insert(.secret) }
        if environments.contains(name) { keyClass.insert(.environment) }
        if pairNames.contains(name) { keyClass.insert(.pairName) }
        if pairValues.contains(name) { keyClass.insert(.pairValue) }
        if name == "name" || name == "type" { keyClass.insert(.label) }
        KeyClassCache.shared.store(key, keyClass)
        return keyClass
    }

    /// A name holding any of these is a secret's name, unless it only describes one (below).
    static let stems = ["secret", "password", "passwd", "passphrase", "privatekey", "credentials", "apikey",
                        "keymaterial", "samlassertion", "samlresponse", "cookie"]

    /// Exact names that are secrets without a stem: decrypted KMS data, an MFA code.
    static let exact: Set<String> = ["plaintext", "tokencode", "authorization", "proxyauthorization"]

    /// Endings of names that name, date or describe a secret without holding it
    /// (`SecretId`, `SecretArn`, `PasswordLastUsed`, `TokenType`, `MinimumPasswordLength`).
    static let describingSuffixes = ["id", "ids", "arn", "arns", "name", "names", "type", "types", "lastused",
                                     "required", "enabled", "date", "time", "length", "passwordage", "prevention",
                                     "policy", "status", "stage", "stages", "count"]

    /// Names that merely contain a stem: a service, and `secrets`, which in AWS APIs (ECS, Batch)
    /// lists references (`valueFrom` ARNs), not values; its entries are still walked.
    static let notSecrets: Set<String> = ["secretsmanager", "secrets"]

    /// The words in front of `token` that make it a page or idempotency marker, not a credential
    /// (`NextToken`, `nextForwardToken`, `ContinuationToken`, `ClientRequestToken`).
    static let markerTokenPrefixes = ["next", "prev"]
    static let markerTokens: Set<String> = ["pagination", "continuation", "starting", "start", "client", "clientrequest",
                                            "idempotency", "sequence", "uploadsequence", "expectedsequence", "page"]

    /// Keys whose object or list holds environment variables: every value under them is hidden.
    static let environments: Set<String> = ["environment", "environmentvariables", "envvars", "env"]

    /// In a name/value pair, the keys that carry the name and those that carry the value.
    static let pairNames: Set<String> = ["name", "key", "parameterkey", "parametername", "variablename"]
    static let pairValues: Set<String> = ["value", "values", "parametervalue"]

    static func normalized(_ name: some StringProtocol) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }))
    }

    static func isSecret(_ name: String) -> Bool {
        isSecretNormalized(normalized(fieldName(name)))
    }

    /// An IAM condition key (`secretsmanager:Description`, `aws:PrincipalTag/token`) names a
    /// request property, never holds a secret: only the part after the service, up to a tag
    /// name, is judged. A policy therefore comes out of the redactor as it went in.
    static func fieldName(_ key: String) -> Substring {
        guard let colon = key.lastIndex(of: ":") else { return Substring(key) }
        let rest = key[key.index(after: colon)...]
        return rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? rest
    }

    static func isSecretNormalized(_ name: String) -> Bool {
        if name.isEmpty || notSecrets.contains(name) { return false }
        if exact.contains(name) { return true }
        if describingSuffixes.contains(where: { name.hasSuffix($0) }) { return false }
        for suffix in ["token", "tokens"] where name.hasSuffix(suffix) {
            let front = String(name.dropLast(suffix.count))
            return !(markerTokens.contains(front) || markerTokenPrefixes.contains(where: { front.hasPrefix($0) }))
        }
        if name.hasSuffix("authorization") || name.hasSuffix("authorizationheader") { return true }
        return stems.contains { name.contains($0) }
    }

    static func isEnvironment(_ name: String) -> Bool {
        environments.contains(normalized(name))
    }

    /// Lower-case words one of which every secret name contains (see `stems`, `exact`, `token`):
    /// free text without any of them skips the named-field patterns (`TextScreen`).
    static let textStems: [[UInt8]] = ["secret", "passw", "passphrase", "private", "credential", "apikey", "api-key",
                                       "api_key", "keymaterial", "saml", "cookie", "plaintext", "token", "authorization",
                                       "signature"].map { Array($0.utf8) }
}

/// The remembered key classes, shared by all threads (scan prints from several workers).
/// Bounded: keys beyond the limit are classified every time instead.
final class KeyClassCache: @unchecked Sendable {
    static let shared = KeyClassCache()
    static let limit = 4096
    private var classes: [String: SecretNames.KeyClass] = [:]
    private let lock = NSLock()

    func lookup(_ key: String) -> SecretNames.KeyClass? {
        lock.withLock { classes[key] }
    }

    func store(_ key: String, _ keyClass: SecretNames.KeyClass) {
        lock.withLock {
            if classes.count < Self.limit { classes[key] = keyClass }
        }
    }
}
