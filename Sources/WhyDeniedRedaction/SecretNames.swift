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

    /// Service names that merely contain a stem.
    static let services: Set<String> = ["secretsmanager"]

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

    static func normalized(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }))
    }

    static func isSecret(_ name: String) -> Bool {
        isSecretNormalized(normalized(name))
    }

    static func isSecretNormalized(_ name: String) -> Bool {
        if name.isEmpty || services.contains(name) { return false }
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

    /// Cheap screen before any pattern runs on free text: could `text` name a secret field?
    /// Lower-case ASCII words every secret name contains (see `stems`, `exact`, `token`).
    static let textStems: [[UInt8]] = ["secret", "passw", "passphrase", "private", "credential", "apikey", "api-key",
                                       "api_key", "keymaterial", "saml", "cookie", "plaintext", "token", "authoriz",
                                       "signature"].map { Array($0.utf8) }
}
