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
}
