import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedSession

/// The named analyses and the facts they feed the runbook: summarize_denials, the captured
/// account snapshot behind recommend_fix, fix.* facts, resource.* targets, parameter facts.
@Suite struct GuidedAnalysesTests {
    static func record(user: String = "dana", name: String, time: String, message: String, resource: String) -> JSONValue {
        .object(JSONObject([
            ("eventVersion", .string("1.09")),
            ("userIdentity", .object(JSONObject([("type", .string("IAMUser")), ("arn", .string("arn:aws:iam::111122223333:user/\(user)")),
                                                 ("accountId", .string("111122223333")), ("userName", .string(user))]))),
            ("eventTime", .string(time)), ("eventSource", .string("s3.amazonaws.com")), ("eventName", .string(name)),
            ("awsRegion", .string("us-east-1")), ("sourceIPAddress", .string("192.0.2.10")),
            ("errorCode", .string("AccessDenied")), ("errorMessage", .string(message)),
            ("requestParameters", .object(JSONObject([("bucketName", .string("shared-docs")), ("key", .string("contracts/msa.pdf"))]))),
            ("resources", .array([.object(JSONObject([("type", .string("AWS::S3::Object")), ("ARN", .string(resource))]))])),
            ("eventID", .string(UUID().uuidString)), ("eventType", .string("AwsApiCall")),
        ]))
    }

    static let deleteDenied = record(
        name: "DeleteObject", time: "2026-11-23T00:40:00Z",
        message: "User: arn:aws:iam::111122223333:user/dana is not authorized to perform: s3:DeleteObject on resource: \"arn:aws:s3:::shared-docs/contracts/msa.pdf\" with an explicit deny in an identity-based policy",
        resource: "arn:aws:s3:::shared-docs/contracts/msa.pdf")
    static let getDenied = record(
        name: "GetObject", time: "2026-11-23T00:50:00Z",
        message: "User: arn:aws:iam::111122223333:user/dana is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::shared-docs/contracts/msa.pdf\" because no identity-based policy allows the s3:GetObject action",
        resource: "arn:aws:s3:::shared-docs/contracts/msa.pdf")

    @Test func summaryPicksTheLatestDenialOfTheWantedAction() throws {
        let captures: [String: JSONValue] = ["log_events": .array([Self.deleteDenied, Self.getDenied]), "file_events": .array([Self.deleteDenied])]
        let any = try DenialSummary.summarize(captures: captures, facts: [:], action: nil)
        #expect(any.events.count == 2, "the same event from two sources counts once")
        #expect(any.chosen?.eventName == "GetObject")
        #expect(any.facts["denial.deny_type"]?.stringValue == "implicit")

        let delete = try DenialSummary.summarize(captures: captures, facts: [:], action: "s3:DeleteObject")
        #expect(delete.chosen?.eventName == "DeleteObject")
        #expect(delete.facts["denial.action"]?.stringValue == "s3:DeleteObject")
        #expect(delete.facts["denial.deny_type"]?.stringValue == "explicit")
        #expect(delete.facts["denial.resource_arn"]?.stringValue == "arn:aws:s3:::shared-docs/contracts/msa.pdf")
        #expect(delete.facts["resource.service"]?.stringValue == "s3api")
        #expect(delete.facts["resource.id"]?.stringValue == "shared-docs")
        // A bare principal name learns its kind from the event.
        #expect(delete.facts["principal.kind"]?.stringValue == "user")
        #expect(delete.facts["principal.event_username"]?.stringValue == "dana")
    }

    @Test func noEventsIsAFailureUnlessTheErrorMessageSaidEnough() throws {
        #expect(throws: DenialSummary.NothingFound.self) {
            try DenialSummary.summarize(captures: ["log_events": .array([])], facts: [:], action: nil)
        }
        let fromMessage = try DenialSummary.summarize(captures: [:], facts: ["denial.action": .string("s3:GetObject")], action: nil)
        #expect(fromMessage.chosen == nil)
        #expect(fromMessage.facts.isEmpty)
    }

    @Test func groupPolicyDenyNamesTheGroupByItsName() throws {
        let captures: [String: JSONValue] = [
            "group_names": .array([.string("Contractors")]),
            "group_policies": .array([.object(JSONObject([
                ("kind", .string("group_inline")), ("group", .string("Contractors")), ("name", .string("DenyDeletes")),
                ("document", try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#)),
            ]))]),
            "managed_policies": .array([.object(JSONObject([
                ("kind", .string("managed")), ("arn", .string("arn:aws:iam::111122223333:policy/SharedDocsFullAccess")),
                ("document", try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::shared-docs","arn:aws:s3:::shared-docs/*"]}]}"#)),
            ]))]),
        ]
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111122223333:user/dana"),
                                          "principal.account_id": .string("111122223333")]
        let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: facts))
        #expect(snapshot.groups.map(\.arn) == ["arn:aws:iam::111122223333:group/Contractors"])
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot))
            .analyse(try CloudTrailEvent(record: Self.deleteDenied))
        #expect(analysis.decision == .explicitDeny)
        #expect(analysis.deciding?.result.deciding.statement?.statement.sid == "NoDeletes")
        let command = try #require(analysis.fix?.commands.first { $0.argv.contains("put-group-policy") })
        #expect(command.argv.firstIndex(of: "--group-name").map { command.argv[$0 + 1] } == "Contractors")
    }

    /// The session's get-role read (`role_unique_id` = `Role.RoleId`) names a caller the
    /// resource owner's trail gives only as `AWSAccount` + unique id (issue 13 §5). The event has
    /// the shape of panther-analysis' aws_vpce_external_principal.yml test event.
    @Test func roleIdFromGetRoleNamesAnAWSAccountCaller() throws {
        let captures: [String: JSONValue] = [
            "role_unique_id": .string("AROAEXAMPLE"),
            "resource_policy": try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}]}"#),
        ]
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111111111111:role/Reader"),
                                          "principal.account_id": .string("111111111111"),
                                          "resource.arn": .string("arn:aws:s3:::example-bucket/sensitive-file.txt"),
                                          "resource.id": .string("example-bucket"), "resource.service": .string("s3api")]
        let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: facts))
        #expect(snapshot.principal(uniqueId: "AROAEXAMPLE")?.arn == "arn:aws:iam::111111111111:role/Reader")
        let event = try JSONValue.parse(#"""
        {"eventVersion": "1.08", "eventTime": "2023-03-01T00:00:00Z", "awsRegion": "us-east-1", "eventSource": "s3.amazonaws.com",
         "eventName": "GetObject", "errorCode": "AccessDenied", "errorMessage": "Access Denied", "sourceIPAddress": "10.0.0.1",
         "userIdentity": {"type": "AWSAccount", "principalId": "AROAEXAMPLE:session-name", "accountId": "111111111111"},
         "recipientAccountId": "222222222222", "requestParameters": {"bucketName": "example-bucket", "key": "sensitive-file.txt"}}
        """#)
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot)).analyse(try CloudTrailEvent(record: event))
        #expect(analysis.denied?.principal.roleArn == "arn:aws:iam::111111111111:role/Reader")
        let add = try #require(analysis.fix?.policiesToAdd.first { $0.target == .resourcePolicy })
        #expect(add.policy["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue == "arn:aws:iam::111111111111:role/Reader")
    }

    @Test func bucketPolicyIsNamedAfterTheBucket() throws {
        let captures: [String: JSONValue] = [
            "resource_policy": try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-docs/*"}]}"#),
        ]
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111122223333:user/dana"),
                                          "resource.arn": .string("arn:aws:s3:::shared-docs/contracts/msa.pdf"),
                                          "resource.id": .string("shared-docs"), "resource.service": .string("s3api")]
        let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: facts))
        #expect(snapshot.resourcePolicies.map(\.resourceArn) == ["arn:aws:s3:::shared-docs"])
        #expect(snapshot.resourcePolicies.first?.policy.name == "bucket policy of shared-docs")
        #expect(CapturedAccount.snapshot(captures: captures, facts: [:]) == nil, "no principal ARN, nothing to evaluate")
    }

    @Test func resourceTargetsPerService() {
        let cases: [(String, String, String)] = [
            ("arn:aws:s3:::analytics-data-bucket/reports/q3.csv", "s3api", "analytics-data-bucket"),
            ("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "kms", "1234abcd-12ab-34cd-56ef-1234567890ab"),
            ("arn:aws:sqs:us-east-1:111122223333:orders", "sqs", "orders"),
            ("arn:aws:sns:us-east-1:111122223333:alerts", "sns", "arn:aws:sns:us-east-1:111122223333:alerts"),
            ("arn:aws:lambda:us-east-1:111122223333:function:resize:prod", "lambda", "resize"),
            ("arn:aws:ecr:us-east-1:111122223333:repository/app", "ecr", "app"),
            ("arn:aws:aoss:us-east-1:111122223333:collection/abc123", "opensearchserverless", "abc123"),
            ("arn:aws:iam::111122223333:role/path/Deployer", "iam", "Deployer"),
        ]
        for (arn, service, id) in cases {
            let target = ResourcePolicyTarget(arn: arn)
            #expect(target?.service == service, "\(arn)")
            #expect(target?.id == id, "\(arn)")
        }
        #expect(ResourcePolicyTarget(arn: "analytics-data-bucket") == nil)
        #expect(ResourcePolicyTarget(arn: "arn:aws:ec2:us-east-1:111122223333:instance/i-1") == nil)
    }

    @Test func parameterFactsFromAnAssumedRoleAndAnErrorMessage() {
        let parameters = [
            "principal": "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session",
            "time_frame": "2023-06-15T14:00:00Z,2023-06-15T16:00:00Z",
            "error_message": "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/q3.csv\" with an explicit deny in a resource-based policy",
        ]
        let derived = SessionFacts.fromParameters(parameters, message: AuthorizationErrorParser.parseIfAuthorizationError(parameters["error_message"] ?? ""), now: Date())
        let facts = derived.facts
        #expect(facts["principal.kind"]?.stringValue == "assumed_role")
        #expect(facts["principal.name"]?.stringValue == "DataAnalystRole")
        #expect(facts["principal.arn"]?.stringValue == "arn:aws:iam::111122223333:role/DataAnalystRole")
        #expect(facts["principal.event_username"]?.stringValue == "analyst-session")
        #expect(facts["time.start"]?.stringValue == "2023-06-15T14:00:00Z")
        #expect(facts["time.end_ms"]?.stringValue == "1686844800000")
        #expect(facts["denial.action"]?.stringValue == "s3:GetObject")
        #expect(facts["denial.deny_type"]?.stringValue == "explicit")
        #expect(facts["resource.service"]?.stringValue == "s3api")
        #expect(facts["resource.id"]?.stringValue == "analytics-data-bucket")
        #expect(derived.notes.isEmpty)

        let bad = SessionFacts.fromParameters(["principal": "DataAnalystRole", "time_frame": "last tuesday-ish"], message: nil, now: Date())
        #expect(bad.facts["time.start"] == nil)
        #expect(bad.facts["principal.kind"] == nil)
        #expect(bad.notes.count == 2)
    }
}
