import Foundation
import Testing
@testable import WhyDeniedEvidence

/// Reading `aws sts decode-authorization-message` output (moto does not implement the call: the
/// fixtures are recorded real-format outputs, see Fixtures/decoded-authorization/README.md), and
/// what `parse` and the prefill make of a message that carries an encoded blob.
@Suite("Decoded authorization message")
struct DecodedAuthorizationTests {
    static func fixture(_ name: String) throws -> String {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/decoded-authorization/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func readsTheCLIsOwnExampleOutput() throws {
        let decoded = try DecodedAuthorization.read(Self.fixture("awscli-example-run-instances.json"))
        #expect(decoded.allowed == false)
        #expect(decoded.explicitDeny == true)
        #expect(decoded.decision == .explicitDeny)
        #expect(decoded.principalId == "AROA123456789EXAMPLE:Ana")
        #expect(decoded.principalArn == "arn:aws:sts::111122223333:assumed-role/Developer/Ana")
        #expect(decoded.principal?.roleArn == "arn:aws:iam::111122223333:role/Developer")
        #expect(decoded.action == "RunInstances")
        #expect(decoded.iamAction == "ec2:RunInstances", "context.action has no prefix; aws:Service gives it")
        #expect(decoded.resource == "arn:aws:ec2:us-east-1:111122223333:instance/*")
        #expect(decoded.accountId == "111122223333")
        #expect(decoded.conditions.count == 18)
        #expect(decoded.values(of: "ec2:InstanceType") == ["t2.micro"])
        #expect(decoded.values(of: "AWS:REGION") == ["us-east-1"])
        let deny = try #require(decoded.denyingStatements.first)
        #expect(deny.statementId == "VisualEditor0")
        #expect(deny.principals == ["AROA123456789EXAMPLE"])
        #expect(deny.actions == ["ec2:RunInstances"])
        #expect(deny.resources == ["*"])
        #expect(deny.summary == "VisualEditor0 (Deny ec2:RunInstances on *)")
        #expect(decoded.failures.isEmpty)
    }

    @Test func readsAPrefixedActionAndTheSourceIp() throws {
        let decoded = try DecodedAuthorization.read(Self.fixture("stop-instances-source-ip.json"))
        #expect(decoded.iamAction == "ec2:StopInstances")
        #expect(decoded.principalName == "ana")
        #expect(decoded.principal?.kind == .iamUser)
        #expect(decoded.values(of: "aws:SourceIp") == ["198.51.100.23"])
        #expect(decoded.denyingStatements.first?.conditions == [.init(key: "aws:SourceIp", values: ["203.0.113.0/24"])])
    }

    @Test func readsTheDocumentItselfAndTextBooleans() throws {
        let document = #"{"allowed":"false","explicitDeny":"false","matchedStatements":"","failures":"","context":{"principal":{"id":"AIDA","arn":"arn:aws:iam::123456789012:user/Bob"},"action":"ec2:StopInstances","resource":"arn:aws:ec2:us-east-1:123456789012:instance/i-dd01c9bd","conditions":{"items":[{"key":"ec2:Tenancy","values":{"items":[{"value":"default"}]}}]}}}"#
        let decoded = try DecodedAuthorization.read(document)
        #expect(decoded.decision == .implicitDeny)
        #expect(decoded.matchedStatements.isEmpty)
        #expect(decoded.values(of: "ec2:Tenancy") == ["default"])
    }

    @Test func badInputIsAnErrorThatSaysWhere() {
        #expect(throws: DecodedAuthorizationError(path: "DecodedMessage", problem: "expected the decoded message as JSON text")) {
            try DecodedAuthorization.read(#"{"DecodedMessage": 3}"#)
        }
        #expect(throws: DecodedAuthorizationError(path: "DecodedMessage.context.conditions.items[0]", problem: "a condition entry without a key")) {
            try DecodedAuthorization.read(#"{"DecodedMessage": "{\"allowed\":false,\"context\":{\"conditions\":{\"items\":[{\"values\":{\"items\":[]}}]}}}"}"#)
        }
        #expect(throws: DecodedAuthorizationError(path: "DecodedMessage.context", problem: "missing: the request's principal, action, resource and condition values are read from it")) {
            try DecodedAuthorization.read(#"{"DecodedMessage": "{\"allowed\":false}"}"#)
        }
        do {
            _ = try DecodedAuthorization.read(#"{"DecodedMessage": "{not json"}"#)
            Issue.record("read a broken DecodedMessage")
        } catch {
            #expect(error.path == "DecodedMessage")
            #expect(error.description.contains("not JSON"))
        }
    }

    // MARK: The encoded blob in a pasted message

    static let blob = "EXAMPLEWodyRNrtlQARDip-eTA6i6DrlUhHhPQrLWB_lAbl5pAKxl9mPDLexYcGBreyIKQC1BGBIpBKr3dFDkwqeO7e2NMk5j_hmzAiChJN"
    static let ec2Message = "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not "
        + "authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/Developer/Ana is not "
        + "authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* with an "
        + "explicit deny in an identity-based policy. Encoded authorization failure message: " + blob

    @Test func parseSaysTheMessageCanBeDecodedAndShowsTheCommand() throws {
        let summary = EvidenceSummary.read(text: Self.ec2Message, now: Date())
        let table = summary.table()
        #expect(table.contains("can be decoded"))
        #expect(table.contains("aws sts decode-authorization-message --encoded-message=\(Self.blob)"))
        #expect(summary.json()["decodeCommand"]?.arrayValue?.compactMap(\.stringValue)
                == ["aws", "sts", "decode-authorization-message", "--encoded-message=\(Self.blob)"])
        // A blob that starts with "-" stays the option's value.
        #expect(DecodedAuthorization.decodeCommand(for: "-AbC") == ["aws", "sts", "decode-authorization-message", "--encoded-message=-AbC"])
    }

    @Test func aLongEncodedMessageSurvivesInTheErrorMessageParameter() throws {
        // The API takes up to 10240 characters; a cut blob cannot be decoded.
        let long = String(repeating: "AbCd-_09", count: 1200)
        let text = Self.ec2Message.replacingOccurrences(of: Self.blob, with: long)
        let prefill = Prefill.from(text: text, now: Date())
        let kept = try #require(prefill["error_message"]?.value)
        #expect(AuthorizationErrorParser.parseIfAuthorizationError(kept)?.encodedAuthorizationMessage == long)
    }

    @Test func pastedDecodedOutputPrefillsTheParametersWithTheirOrigin() throws {
        let prefill = Prefill.from(text: try Self.fixture("awscli-example-run-instances.json"), now: Date())
        #expect(prefill.evidence == .decodedAuthorizationMessage)
        #expect(prefill["principal"]?.value == "arn:aws:iam::111122223333:role/Developer")
        #expect(prefill["principal"]?.origin.hasPrefix("decoded authorization message") == true)
        #expect(prefill["action"]?.value == "ec2:RunInstances")
        #expect(prefill["action"]?.origin.hasPrefix("decoded authorization message") == true)
        #expect(prefill["resource"]?.value == "arn:aws:ec2:us-east-1:111122223333:instance/*")
        #expect(prefill["account_id"]?.value == "111122223333")
        #expect(prefill["region"]?.value == "us-east-1")
        #expect(prefill.notes.contains { $0.contains("VisualEditor0") && $0.contains("explicit deny") })
    }

    @Test func parseReadsSavedDecodedOutputFromAJSONFile() throws {
        let path = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/decoded-authorization/awscli-example-run-instances.json").path
        let summary = try EvidenceSummary.read(path: path, now: Date())
        #expect(summary.kind == .decodedMessage)
        let table = summary.table()
        #expect(table.split(separator: "\n").contains { $0.hasPrefix("matched statement ") && $0.contains("VisualEditor0 (Deny ec2:RunInstances on *)") })
        #expect(table.contains("ec2:InstanceType"))
        #expect(summary.json()["decoded"]?["action"]?.stringValue == "ec2:RunInstances")
    }

    @Test func decodedValuesWinOverTheMessageWhenBothAreGiven() throws {
        var prefill = Prefill.from(text: Self.ec2Message, now: Date())
        let decoded = try DecodedAuthorization.read(Self.fixture("stop-instances-source-ip.json"))
        prefill.apply(decoded)
        #expect(prefill["action"]?.value == "ec2:StopInstances")
        #expect(prefill["action"]?.origin.hasPrefix("decoded authorization message") == true)
        #expect(prefill["principal"]?.value == "arn:aws:iam::111122223333:user/ana")
        #expect(prefill["error_message"] != nil, "the pasted text is kept")
    }
}
