import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// A pasted EC2 error with an encoded authorization failure message, run headless against the
/// scripted CLI. moto does not implement `sts decode-authorization-message`, so the CLI answers
/// with the AWS CLI's own recorded example output
/// (Tests/WhyDeniedEvidenceTests/Fixtures/decoded-authorization/README.md).
@Suite struct DecodedMessageSessionTests {
    static let now = Date(timeIntervalSince1970: 1_795_395_600)   // 2026-11-23T01:00:00Z
    static let account = "111122223333"
    static let blob = "EXAMPLEWodyRNrtlQARDip-eTA6i6DrlUhHhPQrLWB_lAbl5pAKxl9mPDLexYcGBreyIKQC1BGBIpBKr3dFDkwqeO7e2NMk5j_hmzAiChJN"
    static let message = "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not "
        + "authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/Developer/Ana is not "
        + "authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* with an "
        + "explicit deny in an identity-based policy. Encoded authorization failure message: " + blob

    static var decodedOutput: String {
        get throws {
            let path = URL(fileURLWithPath: RunbookFixture.repositoryRoot)
                .appendingPathComponent("Tests/WhyDeniedEvidenceTests/Fixtures/decoded-authorization/awscli-example-run-instances.json")
            return try String(contentsOf: path, encoding: .utf8)
        }
    }

    /// The RunInstances denial as the trail's log group has it: no instance type in it.
    static var deniedEvent: String {
        #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA123456789EXAMPLE:Ana","arn":"arn:aws:sts::111122223333:assumed-role/Developer/Ana","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA123456789EXAMPLE","arn":"arn:aws:iam::111122223333:role/Developer","accountId":"111122223333","userName":"Developer"},"attributes":{"creationDate":"2026-11-23T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-11-23T00:20:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.15.0","errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLEWodyRNrtlQ","requestParameters":{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]}},"responseElements":null,"eventID":"7a1c2b3d-0000-4000-8000-000000000002","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}"#
    }

    static func answers() throws -> [String: GuidedFakeAWS.Answer] {
        var answers = CIDeployerCase.answers()
        let logEvents = JSONValue.object(JSONObject([
            ("events", .array([.object(JSONObject([
                ("logStreamName", .string("\(account)_CloudTrail_us-east-1")), ("timestamp", .number(1795_393_200_000)),
                ("message", .string(deniedEvent)), ("ingestionTime", .number(1795_393_201_000)), ("eventId", .string("1")),
            ]))])),
            ("searchedLogStreams", .array([])),
        ])).serialized()
        answers["logs filter-log-events"] = GuidedFakeAWS.ok(logEvents)
        answers["sts decode-authorization-message"] = GuidedFakeAWS.ok(try decodedOutput)
        answers["iam get-role"] = GuidedFakeAWS.ok("""
            {"Role": {"Path": "/", "RoleName": "Developer", "RoleId": "AROA123456789EXAMPLE", "Arn": "arn:aws:iam::\(account):role/Developer",
              "CreateDate": "2026-11-01T00:00:00+00:00", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}}
            """)
        answers["iam list-attached-role-policies"] = GuidedFakeAWS.ok(#"{"AttachedPolicies": []}"#)
        answers["iam list-role-policies"] = GuidedFakeAWS.ok(#"{"PolicyNames": ["DeveloperPolicy"]}"#)
        answers["iam get-role-policy"] = GuidedFakeAWS.ok(#"""
            {"RoleName": "Developer", "PolicyName": "DeveloperPolicy", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Sid": "AllowEC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
              {"Sid": "DenyLargeInstances", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
               "Condition": {"StringNotEquals": {"ec2:InstanceType": "t3.micro"}}}]}}
            """#)
        return answers
    }

    static func session() throws -> GuidedSession {
        let runbook = try RunbookFixture.loaded()
        return GuidedSession(runbook: runbook, parameters: [
            "principal": "arn:aws:iam::111122223333:role/Developer", "region": "us-east-1",
            "time_frame": "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z", "error_message": message,
        ], now: now, readOnly: true)
    }

    @Test func theDecodeCommandIsOfferedAsAReadWithTheBlob() throws {
        var session = try Self.session()
        #expect(session.engine.facts["denial.encoded_message"]?.stringValue == Self.blob)
        // The first command is get-caller-identity; the decode command follows it.
        guard case .checkTools(let tools) = session.nextStep() else { Issue.record("expected the tool check"); return }
        session.recordTools(step: tools.stepID, missing: [])
        guard case .run(let identity, _) = session.nextStep() else { Issue.record("expected get-caller-identity"); return }
        session.record(CommandOutcome(argv: identity.argv, stdout: #"{"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/auditor", "UserId": "AIDA"}"#,
                                      ending: .exited(0), durationMilliseconds: 1), for: identity)
        guard case .run(let decode, _) = session.nextStep() else { Issue.record("expected the decode command, not a refusal"); return }
        #expect(decode.argv == DecodedAuthorization.decodeCommand(for: Self.blob))
        #expect(!decode.mutates)
        #expect(!session.classification(of: decode).mutates)
    }

    @Test func theDecodedContextDecidesTheVerdictAndTheMatchedStatementIsReported() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: try Self.answers())
        await session.runHeadless(effects: aws) { _ in }

        #expect(aws.operations().prefix(2) == ["sts get-caller-identity", "sts decode-authorization-message"])
        let decoded = try #require(session.decodedAuthorization)
        #expect(decoded.denyingStatements.first?.statementId == "VisualEditor0")
        #expect(session.engine.facts["denial.action"]?.stringValue == "ec2:RunInstances")
        #expect(session.engine.facts["principal.session_name"]?.stringValue == "Ana")
        #expect(session.notes.contains { $0.hasPrefix("action ← decoded authorization message") })

        let analysis = try #require(session.analysis)
        #expect(analysis.denied?.context["ec2:InstanceType"]?.values == ["t2.micro"], "the event has no instance type; the decoded message has")
        #expect(session.findings.verdict == .explicitDeny)
        #expect(session.findings.decidingStatement == "DenyLargeInstances")
        #expect(analysis.notes.contains { $0.contains("VisualEditor0 (Deny ec2:RunInstances on *)") })
        // The journal's analysis record (and so the report) carries the matched statement.
        let record = session.analysisResult(for: "read_decoded_message")["decoded_authorization_message"]
        #expect(record?["matchedStatements"]?[0]?["statementId"]?.stringValue == "VisualEditor0")
        #expect(record?["decision"]?.stringValue == "explicitDeny")
        #expect(record?["context"]?["ec2:InstanceType"] == .array([.string("t2.micro")]))
    }

    @Test func decodedOutputPastedAsTheMessageIsUsedFromTheStart() async throws {
        // The operator ran the decode themselves and pasted its output: the prefill keeps it as
        // the error message, and the session reads it as the decoded message (no decode step).
        let prefill = Prefill.from(text: try Self.decodedOutput, now: Self.now)
        var parameters = prefill.values
        parameters["time_frame"] = "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z"
        let runbook = try RunbookFixture.loaded()
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: Self.now, readOnly: true)
        #expect(session.decodedAuthorization?.denyingStatements.first?.statementId == "VisualEditor0")
        #expect(session.engine.facts["denial.action"]?.stringValue == "ec2:RunInstances")
        #expect(session.engine.facts["denial.deny_type"]?.stringValue == "explicit")
        let aws = GuidedFakeAWS(answers: try Self.answers())
        await session.runHeadless(effects: aws) { _ in }
        #expect(!aws.operations().contains("sts decode-authorization-message"))
        #expect(session.findings.verdict == .explicitDeny)
        #expect(session.findings.decidingStatement == "DenyLargeInstances")
    }

    @Test func aDecodedMessageOriginIsJournaledAsItsOwnSource() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        let origin = ParameterOrigin(source: .decodedMessage, detail: "decoded authorization message: context.action")
        try journal.append(.parameterSet(name: "action", value: "ec2:RunInstances", origin: origin, secret: false))
        let reading = try JournalReading(contentsOf: folder.journalURL)
        #expect(reading.entries.first?.event == .parameterSet(name: "action", value: "ec2:RunInstances", origin: origin, secret: false))
        #expect(origin.description.hasPrefix("from the decoded authorization message"))
    }

    @Test func withoutTheDecodedMessageTheSameSessionIsUndecided() async throws {
        // The operator lacks sts:DecodeAuthorizationMessage: the step fails, the session goes on.
        var session = try Self.session()
        var answers = try Self.answers()
        answers["sts decode-authorization-message"] = GuidedFakeAWS.error(
            "\nAn error occurred (AccessDenied) when calling the DecodeAuthorizationMessage operation: User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: sts:DecodeAuthorizationMessage\n")
        let aws = GuidedFakeAWS(answers: answers)
        await session.runHeadless(effects: aws) { _ in }
        #expect(session.decodedAuthorization == nil)
        #expect(session.findings.verdict == .undecided)
        #expect(session.notes.contains { $0.contains("the session goes on with what the error text says") })
    }
}
