import Testing
@testable import WhyDeniedRedaction

/// The screen in front of the named-field expressions: it lets through every text those
/// expressions could change, and keeps prose that only mentions a secret word away from them
/// (`whydenied parse` prints "AWS authorization error"; building the expressions costs more than
/// the rest of its start).
@Suite struct TextScreenTests {
    static let namedFields = [
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261120",
        "authorization\t=Bearer abc",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "export AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDExample",
        #"{"Password" : "hunter2"}"#,
        #"{\"passwordData\":\"abc\"}"#,
        "db_password:'x y'",
        "token: short",
        "client-secret = value",
        "Authorization\u{00A0}: Bearer abc",
        "https://bucket.s3.amazonaws.com/k?X-Amz-Signature=0123abcdef&X-Amz-Date=20261120",
        "X-Api-Key: k",
        "SAMLAssertion=PHNhbWw",
    ]

    @Test(arguments: namedFields)
    func aSecretWordNamingAFieldIsLetThrough(text: String) {
        #expect(TextScreen(text).namedField)
        #expect(Redactor.redactNamedFields(text) != text, "the named-field pass should change \(text)")
    }

    static let prose = [
        "AWS authorization error\nprincipal       arn:aws:sts::123456789012:assumed-role/DataAnalystRole/alice",
        "not authorized to perform: s3:GetObject with an explicit deny in a resource-based policy",
        "the session token expired; refresh it: aws sso login",
        "password reset required (see the console)",
        "Credentials.json = missing",
    ]

    @Test(arguments: prose)
    func proseNamingASecretWordIsKeptAway(text: String) {
        #expect(!TextScreen(text).namedField)
        #expect(Redactor.redactNamedFields(text) == text, "the screen kept away text the pass would change")
    }

    /// Reading back from each separator finds a named field exactly where searching forward
    /// from each stem does (the first way of the screen, kept here as the oracle): on the texts
    /// above and on random texts built from stems, name bytes, gaps and separators.
    @Test func readingBackFromTheSeparatorsAgreesWithSearchingEveryStem() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["secret", "Passw", "TOKEN", "api-key", "saml", "x", "_", "-", "9", ".", " ", "\"", "'", "\\", "\u{00A0}",
                      ":", "=", "arn:aws:s3:::", "/", "Credentials.json", "é", "\t"]
        var texts = Self.namedFields + Self.prose
        for _ in 0..<3000 {
            texts.append((0..<Int.random(in: 1...9, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            let lower = text.utf8.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
            let forward = SecretNames.textStems.contains { Self.namesField(lower, $0) }
            #expect(TextScreen.aFieldNamedWithAStem(text) == forward, "\(text.debugDescription)")
        }
    }

    /// Whether `stem` occurs in a field name followed by `:` or `=`, searched forward from each
    /// occurrence of the stem.
    static func namesField(_ lower: [UInt8], _ stem: [UInt8]) -> Bool {
        guard stem.count <= lower.count else { return false }
        func isName(_ byte: UInt8) -> Bool { (97...122).contains(byte) || (48...57).contains(byte) || byte == 95 || byte == 45 }
        func isGap(_ byte: UInt8) -> Bool { (0x09...0x0D).contains(byte) || (0x1C...0x20).contains(byte) || [34, 39, 92].contains(byte) || byte >= 0x80 }
        for index in 0...(lower.count - stem.count) where lower[index..<(index + stem.count)].elementsEqual(stem) {
            var next = index + stem.count
            while next < lower.count, isName(lower[next]) { next += 1 }
            while next < lower.count, isGap(lower[next]) { next += 1 }
            if next < lower.count, lower[next] == 58 || lower[next] == 61 { return true }
        }
        return false
    }
}
