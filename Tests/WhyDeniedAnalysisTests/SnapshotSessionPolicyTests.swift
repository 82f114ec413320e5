import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Issue 14 §2: a principal's session policies (the inline and managed ones the issuing
/// AssumeRole passed) are written to the snapshot files and read back, so a verdict a session
/// policy decides is the same from the folder as from memory.
@Suite struct SnapshotSessionPolicyTests {
    let role = "arn:aws:iam::111122223333:role/DataAnalystRole"
    let session = "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/alice"

    func snapshot() throws -> AccountSnapshot {
        let readAll = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
        let noReports = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoReports","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#)
        let managed = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#)
        return AccountSnapshot(
            accountId: "111122223333",
            principals: [SnapshotPrincipal(
                arn: role, policies: [SnapshotPolicy(name: "ReadAll", attachedTo: role, file: "principals/role/ReadAll.json", document: readAll)],
                sessionPolicies: [
                    SnapshotPolicy(name: "session policy of AssumeRole 1f0e2d3c", attachedTo: role,
                                   file: "principals/role/session/inline.json", document: noReports),
                    SnapshotPolicy(name: "managed session policy ReadGets", arn: "arn:aws:iam::111122223333:policy/ReadGets",
                                   attachedTo: role, file: "policies/111122223333-ReadGets.json", document: managed),
                ])])
    }

    func request(_ principal: String) -> AuthorizationRequest {
        AuthorizationRequest(principal: RequestPrincipal(arn: principal, roleArn: principal == session ? role : nil), action: "s3:GetObject",
                             resource: RequestResource(arn: "arn:aws:s3:::reports/q1.csv", account: "111122223333"))
    }

    @Test func sessionPoliciesAreWrittenAndReadBack() throws {
        let original = try snapshot()
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try original.write(to: folder)
        let index = try JSONValue.parse(try String(contentsOf: folder.appendingPathComponent("index.json"), encoding: .utf8))
        let entries = try #require(index["principals"]?[0]?["sessionPolicies"]?.arrayValue)
        #expect(entries.map { $0["file"]?.stringValue } == ["principals/role/session/inline.json", "policies/111122223333-ReadGets.json"])
        #expect(entries[1]["arn"]?.stringValue == "arn:aws:iam::111122223333:policy/ReadGets")

        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.principals == original.principals)
        #expect(loaded.policyCount == 3)
    }

    /// The loaded snapshot still decides what the session policy decides: its Deny, for the
    /// session only, never for the role itself.
    @Test func aSessionPolicyDenyIsStillDecidedFromTheLoadedSnapshot() throws {
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inMemory = try snapshot()
        try inMemory.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)

        let fromFolder = PolicyEvaluator().evaluate(request(session), against: try SnapshotPolicySets(loaded).policySet(for: request(session)).policies)
        let fromMemory = PolicyEvaluator().evaluate(request(session), against: try SnapshotPolicySets(inMemory).policySet(for: request(session)).policies)
        #expect(fromFolder.decision == .explicitDeny)
        #expect(fromFolder.deciding.policy?.type == .sessionPolicy)
        #expect(fromFolder.deciding.summary.contains("session policy of AssumeRole 1f0e2d3c"), "\(fromFolder.deciding.summary)")
        #expect(fromFolder.deciding.summary.contains("NoReports"))
        #expect(fromFolder.deciding.summary == fromMemory.deciding.summary)

        // The role's own (not a session of it) is limited by no session policy.
        let roleItself = PolicyEvaluator().evaluate(request(role), against: try SnapshotPolicySets(loaded).policySet(for: request(role)).policies)
        #expect(roleItself.decision == .allowed, "\(roleItself.deciding.summary)")
    }

    @Test func aSessionPolicyEntryWithoutAFileIsRejectedWithItsPath() throws {
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"principals":[{"arn":"\#(role)","sessionPolicies":[{"name":"s","file":"missing.json"}]}]}"#.utf8)
            .write(to: folder.appendingPathComponent("index.json"))
        #expect {
            try AccountSnapshot.load(from: folder)
        } throws: { error in
            (error as? AccountSnapshotError)?.path == "principals[0].sessionPolicies[0].file"
        }
    }
}
