import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
@testable import WhyDeniedSession

/// Issue 14 §2: a session that read the issuing AssumeRole's session policy keeps it in the
/// snapshot it writes, so the folder, loaded again, gives the session's own verdict.
@Suite struct SessionPolicySnapshotTests {
    static let roleArn = "arn:aws:iam::111122223333:role/DataAnalystRole"
    static let facts: [String: JSONValue] = [
        "principal.arn": .string(roleArn), "principal.account_id": .string("111122223333"), "principal.kind": .string("assumed_role"),
        "principal.name": .string("DataAnalystRole"), "principal.session_name": .string("alice"),
        "principal.access_key_id": .string("ASIAEXAMPLESESSION01"),
    ]

    /// `lookup-events` output holding one AssumeRole (the documented event shape) that passed `policy`.
    static func lookupOutput(policy: String) -> JSONValue {
        let event = JSONValue.object(JSONObject([
            ("eventVersion", .string("1.08")), ("eventTime", .string("2026-11-23T00:05:00Z")), ("eventSource", .string("sts.amazonaws.com")),
            ("eventName", .string("AssumeRole")), ("eventID", .string("1f0e2d3c-0000-4000-8000-00000000aa01")),
            ("userIdentity", .object(JSONObject([("type", .string("IAMUser")), ("arn", .string("arn:aws:iam::111122223333:user/ops"))]))),
            ("requestParameters", .object(JSONObject([("roleArn", .string(roleArn)), ("roleSessionName", .string("alice")),
                                                      ("policy", .string(policy))]))),
            ("responseElements", .object(JSONObject([("credentials", .object(JSONObject([("accessKeyId", .string("ASIAEXAMPLESESSION01"))])))]))),
        ]))
        return .object(JSONObject([("Events", .array([.object(JSONObject([
            ("EventId", event["eventID"] ?? .null), ("EventName", .string("AssumeRole")), ("ReadOnly", .string("true")),
            ("EventTime", event["eventTime"] ?? .null), ("EventSource", .string("sts.amazonaws.com")),
            ("CloudTrailEvent", .string(event.serialized())),
        ]))]))]))
    }

    @Test func theSessionsSnapshotKeepsItsSessionPolicyAndItsVerdict() throws {
        let noReports = #"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoReports","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#
        var captures = try OutputParsers.parse("session_issuer", input: ParserInput(output: Self.lookupOutput(policy: noReports), facts: Self.facts)).named
        captures["role_policies"] = .array([.object(JSONObject([("name", .string("ReadReports")), ("document", try JSONValue.parse(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#))]))])
        let captured = try #require(CapturedAccount.snapshot(captures: captures, facts: Self.facts))
        #expect(captured.principals.first?.sessionPolicies.count == 1)

        var parts = SnapshotParts()
        parts.add(principal: captured)
        let written = parts.snapshot(accountId: "111122223333", capturedAt: "2026-11-23T00:10:00Z")
        #expect(written.principals.first?.sessionPolicies.map(\.file) == ["principals/role_DataAnalystRole/session/session_policy_of_AssumeRole_1f0e2d3c-0000-4000-8000-00000000aa01.json"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try written.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)

        let request = AuthorizationRequest(
            principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/alice", roleArn: Self.roleArn),
            action: "s3:GetObject", resource: RequestResource(arn: "arn:aws:s3:::reports/q1.csv", account: "111122223333"))
        let inSession = PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(captured).policySet(for: request).policies)
        let fromFolder = PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(loaded).policySet(for: request).policies)
        #expect(inSession.decision == .explicitDeny)
        #expect(fromFolder.decision == .explicitDeny)
        #expect(fromFolder.deciding.policy?.type == .sessionPolicy)
        #expect(fromFolder.deciding.summary == inSession.deciding.summary, "\(fromFolder.deciding.summary)")
    }
}
