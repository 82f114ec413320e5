import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRedaction
@testable import WhyDeniedSession

/// Real-shaped CloudTrail records and CLI outputs carrying credentials. The values follow AWS's
/// documented example formats; none is a live credential.
enum CredentialSamples {
    static let accessKeyID = "ASIAQWERTYUIOPASDF12"
    static let longTermKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let sessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletokenvalueAbc123/+=="
    static let fedToken = "FwoGZXIvYXdzEBYaDExampleFederationTokenValue0123456789abcdefABCDEF/+xyz=="

    static let assumeRoleEvent = """
    {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLEUSERID1234",
     "arn":"arn:aws:iam::111122223333:user/ana","accountId":"111122223333","accessKeyId":"\(longTermKeyID)","userName":"ana"},
     "eventTime":"2026-11-20T14:03:11Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1",
     "sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
     "requestParameters":{"roleArn":"arn:aws:iam::444455556666:role/deploy","roleSessionName":"ana-deploy"},
     "responseElements":{"credentials":{"accessKeyId":"\(accessKeyID)","sessionToken":"\(sessionToken)",
       "expiration":"Nov 20, 2026, 3:03:11 PM"},
       "assumedRoleUser":{"assumedRoleId":"AROAEXAMPLEROLEID1234:ana-deploy","arn":"arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy"}},
     "requestID":"4b9c1f2e-0000-4a4a-9e9e-123456789abc","eventID":"0d0b1e70-1111-4b4b-8f8f-abcdefabcdef",
     "readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}
    """

    static let getSessionTokenEvent = """
    {"eventSource":"sts.amazonaws.com","eventName":"GetSessionToken","awsRegion":"us-east-1",
     "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ana","accessKeyId":"\(longTermKeyID)"},
     "requestParameters":{"durationSeconds":3600,"serialNumber":"arn:aws:iam::111122223333:mfa/ana","tokenCode":"123456"},
     "responseElements":{"credentials":{"accessKeyId":"\(accessKeyID)","secretAccessKey":"\(secretKey)","sessionToken":"\(sessionToken)","expiration":"Nov 20, 2026, 3:03:11 PM"}}}
    """

    static let getFederationTokenEvent = """
    {"eventSource":"sts.amazonaws.com","eventName":"GetFederationToken","awsRegion":"us-east-1",
     "requestParameters":{"name":"bob","policy":"{\\"Version\\":\\"2012-10-17\\"}","durationSeconds":43200},
     "responseElements":{"credentials":{"accessKeyId":"\(accessKeyID)","sessionToken":"\(fedToken)","expiration":"Nov 21, 2026, 2:03:11 AM"},
      "federatedUser":{"federatedUserId":"111122223333:bob","arn":"arn:aws:sts::111122223333:federated-user/bob"},"packedPolicySize":6}}
    """

    /// `aws sts assume-role` output as the CLI prints it.
    static let assumeRoleCLIOutput = """
    {
        "Credentials": {
            "AccessKeyId": "\(accessKeyID)",
            "SecretAccessKey": "\(secretKey)",
            "SessionToken": "\(sessionToken)",
            "Expiration": "2026-11-20T15:03:11+00:00"
        },
        "AssumedRoleUser": {
            "AssumedRoleId": "AROAEXAMPLEROLEID1234:ana-deploy",
            "Arn": "arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy"
        }
    }
    """

    static let allSecrets = [secretKey, sessionToken, fedToken, "EXAMPLEtoken", "123456"]
}

@Suite struct RedactorTests {
    let redactor = Redactor()

    func assertNoSecret(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [CredentialSamples.secretKey, CredentialSamples.sessionToken, CredentialSamples.fedToken,
                       CredentialSamples.accessKeyID, CredentialSamples.longTermKeyID] {
            #expect(!text.contains(secret), "leaked \(secret.prefix(8))…", sourceLocation: sourceLocation)
        }
        #expect(!text.contains("IQoJb3JpZ2luX2Vj"), sourceLocation: sourceLocation)
        #expect(!text.contains("FwoGZXIvYXdz"), sourceLocation: sourceLocation)
    }

    @Test func assumeRoleEventLosesTheWholeCredentialsObjectButKeepsTheRest() throws {
        let event = try JSONValue.parse(CredentialSamples.assumeRoleEvent)
        let redacted = redactor.redact(event)
        #expect(redacted["responseElements"]?["credentials"] == .string(Redactor.placeholder))
        #expect(redacted["userIdentity"]?["accessKeyId"] == .string("AKIA************MPLE"))
        #expect(redacted["responseElements"]?["assumedRoleUser"]?["arn"]
            == .string("arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy"))
        #expect(redacted["recipientAccountId"] == .string("111122223333"))
        #expect(redacted["requestID"] == event["requestID"])
        assertNoSecret(redacted.serialized())
    }

    @Test(arguments: [CredentialSamples.getSessionTokenEvent, CredentialSamples.getFederationTokenEvent])
    func stsEventsKeepNoSecret(_ text: String) throws {
        let redacted = redactor.redact(try JSONValue.parse(text))
        #expect(redacted["responseElements"]?["credentials"] == .string(Redactor.placeholder))
        assertNoSecret(redacted.serialized())
        // The same rules hold for the event as plain text (e.g. pasted into a form).
        assertNoSecret(redactor.redact(text))
    }

    @Test func cliOutputIsRedactedStructurally() throws {
        let output = redactor.redactOutput(CredentialSamples.assumeRoleCLIOutput)
        assertNoSecret(output)
        let parsed = try JSONValue.parse(output)
        #expect(parsed["Credentials"] == .string(Redactor.placeholder))
        #expect(parsed["AssumedRoleUser"]?["Arn"]?.stringValue == "arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy")
    }

    @Test func textRulesCoverConfigFilesHeadersAndQueryStrings() {
        let text = """
        [default]
        aws_access_key_id = \(CredentialSamples.longTermKeyID)
        aws_secret_access_key = \(CredentialSamples.secretKey)
        aws_session_token=\(CredentialSamples.sessionToken)
        Authorization: AWS4-HMAC-SHA256 Credential=\(CredentialSamples.longTermKeyID)/20261120/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024
        X-Amz-Security-Token: \(CredentialSamples.fedToken)
        https://b.s3.amazonaws.com/k?X-Amz-Credential=\(CredentialSamples.accessKeyID)%2F20261120&X-Amz-Signature=abcdef0123456789&X-Amz-Security-Token=sometokenvalue
        password=hunter2
        """
        let redacted = redactor.redact(text)
        assertNoSecret(redacted)
        #expect(redacted.contains("aws_access_key_id = AKIA************MPLE"))
        #expect(redacted.contains("Authorization: [REDACTED]"))
        #expect(!redacted.contains("fe5f80f77d5f"))
        #expect(!redacted.contains("sometokenvalue"))
        #expect(!redacted.contains("abcdef0123456789"))
        #expect(!redacted.contains("hunter2"))
        #expect(redacted.contains("ASIA************DF12"))
    }

    @Test func secretNamedKeysGoWholeButFactsAboutThemStay() throws {
        let value = try JSONValue.parse("""
        {"User":{"UserName":"ana","PasswordLastUsed":"2026-11-01T10:00:00Z"},
         "MasterUserPassword":"s3cr3t!","SecretString":"{\\"db\\":\\"pw\\"}","SecretId":"prod/db","NextToken":"eyJ0b2tlbiI6IDJ9"}
        """)
        let redacted = redactor.redact(value)
        #expect(redacted["User"]?["PasswordLastUsed"]?.stringValue == "2026-11-01T10:00:00Z")
        #expect(redacted["MasterUserPassword"] == .string(Redactor.placeholder))
        #expect(redacted["SecretString"] == .string(Redactor.placeholder))
        #expect(redacted["SecretId"]?.stringValue == "prod/db")
        #expect(redacted["NextToken"]?.stringValue == "eyJ0b2tlbiI6IDJ9")
    }

    @Test func ordinaryTextIsLeftAlone() {
        let text = "arn:aws:iam::111122223333:role/app-role denied s3:GetObject on arn:aws:s3:::reports/2026/q3.csv; sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(redactor.redact(text) == text)
    }

    @Test func accountIDsAreMaskedOnlyWhenAsked() throws {
        let text = "arn:aws:iam::111122223333:role/app-role in account 444455556666, at 1700000000123 ms"
        #expect(Redactor().redact(text) == text)
        let masked = Redactor(maskAccountIDs: true).redact(text)
        #expect(masked == "arn:aws:iam::************:role/app-role in account ************, at 1700000000123 ms")
        let event = Redactor(maskAccountIDs: true).redact(try JSONValue.parse(CredentialSamples.assumeRoleEvent)).serialized()
        #expect(!event.contains("111122223333"))
        #expect(!event.contains("444455556666"))
    }

    @Test func argvElementsAreRedacted() {
        let argv = ["aws", "configure", "set", "aws_secret_access_key", CredentialSamples.secretKey,
                    "--policy-document", #"{"Credentials":{"SessionToken":"x"}}"#]
        let redacted = redactor.redact(argv: argv)
        #expect(redacted[0...3] == argv[0...3])
        #expect(redacted[4] == Redactor.placeholder)
        #expect(redacted[6] == #"{"Credentials":"[REDACTED]"}"#)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256Digest.hex(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

@Suite struct SecretKeyHeuristicTests {
    @Test(arguments: [
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true),
        ("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", true),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", false),   // sha1 hex
        ("ThisIsAPlainSentenceWithoutAnyDigitsAtAl", false),
        ("a/B/c/D/e/F/g/H/i/J/k/L/m/N/o/P/q/R/s/T1", false),  // a path, not a key
    ])
    func candidates(text: String, isSecret: Bool) {
        #expect(text.count == 40)
        #expect(Redactor.looksLikeSecretKey(text) == isSecret)
        #expect((Redactor().redact("key \(text) end") == "key [REDACTED] end") == isSecret)
    }
}
