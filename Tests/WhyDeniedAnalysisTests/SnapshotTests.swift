import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Fixture paths for the analysis tests.
enum AnalysisFixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }
    static var seedSnapshot: URL { directory.appendingPathComponent("seed-snapshot") }
    static var seedEvents: URL { directory.appendingPathComponent("seed-denied-getobject.json") }

    /// A fresh empty directory under the temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct SnapshotTests {
    @Test func seedSnapshotLoadsPrincipalsGroupsAndBucketPolicy() throws {
        let snapshot = try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot)
        #expect(snapshot.accountId == "111122223333")
        #expect(snapshot.principals.count == 2)
        #expect(snapshot.policyCount == 4)

        let session = try #require(PrincipalIdentity(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session"))
        let role = try #require(snapshot.principal(for: session))
        #expect(role.arn == "arn:aws:iam::111122223333:role/DataAnalystRole")
        let policies = snapshot.identityPolicies(for: role)
        #expect(policies.map(\.name) == ["AnalystS3ReadOnly"])
        #expect(policies[0].document["Statement"]?[0]?["Sid"]?.stringValue == "ReadAnalyticsData")
        #expect(!policies[0].isInline)

        let bucket = snapshot.resourcePolicies(for: "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv")
        #expect(bucket.count == 1)
        #expect(bucket[0].kind == .s3BucketPolicy)
        // get-bucket-policy output wraps the document in a JSON string; the loader unwraps it.
        #expect(bucket[0].policy.document["Statement"]?[0]?["Sid"]?.stringValue == "DenyOutsideCorporateNetwork")
        #expect(snapshot.resourcePolicies(for: "arn:aws:s3:::other-bucket/x").isEmpty)
    }

    @Test func userPoliciesIncludeGroupPoliciesAndUrlEncodedInlineDocuments() throws {
        let snapshot = try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot)
        let user = try #require(snapshot.principal(for: PrincipalIdentity(arn: "arn:aws:iam::111122223333:user/ana")!))
        #expect(user.tags == ["team": "data"])
        let policies = snapshot.identityPolicies(for: user)
        #expect(policies.map(\.name) == ["ana-inline", "AnalystS3ReadOnly"])
        #expect(policies[0].isInline)
        #expect(policies[0].document["Statement"]?[0]?["Action"]?.stringValue == "sqs:ListQueues")
        #expect(policies[1].attachedTo == "arn:aws:iam::111122223333:group/Analysts")
    }

    @Test func writeThenLoadGivesTheSameSnapshot() throws {
        let deny = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#)
        let allow = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        let original = AccountSnapshot(
            accountId: "111122223333", capturedAt: "2026-11-23T10:00:00Z", managementAccountId: "999988887777",
            principals: [SnapshotPrincipal(
                arn: "arn:aws:iam::111122223333:role/Deploy",
                policies: [SnapshotPolicy(name: "all", attachedTo: "arn:aws:iam::111122223333:role/Deploy", file: "p/all.json", document: allow)],
                permissionsBoundary: SnapshotPolicy(name: "b", arn: "arn:aws:iam::111122223333:policy/b",
                                                    attachedTo: "arn:aws:iam::111122223333:role/Deploy", file: "p/b.json", document: allow))],
            serviceControlPolicies: [
                OrganizationPolicyLevel(level: 0, target: "r-abcd", policies: [SnapshotPolicy(name: "FullAWSAccess", arn: "p-FullAWSAccess", attachedTo: "r-abcd", file: "scp/full.json", document: allow)]),
                OrganizationPolicyLevel(level: 1, target: "ou-abcd-1234", policies: [
                    SnapshotPolicy(name: "FullAWSAccess", arn: "p-FullAWSAccess", attachedTo: "ou-abcd-1234", file: "scp/full.json", document: allow),
                    SnapshotPolicy(name: "NoBucketDelete", arn: "p-1", attachedTo: "ou-abcd-1234", file: "scp/no-delete.json", document: deny)]),
            ],
            vpcEndpointPolicies: [SnapshotEndpointPolicy(vpcEndpointId: "vpce-0a1b", vpcId: "vpc-1", policy: SnapshotPolicy(name: "endpoint", attachedTo: "vpce-0a1b", file: "vpce/a.json", document: allow))])
        let directory = try AnalysisFixtures.temporaryDirectory()
        try original.write(to: directory)
        let loaded = try AccountSnapshot.load(from: directory)
        #expect(loaded.managementAccountId == "999988887777")
        #expect(loaded.principals == original.principals)
        #expect(loaded.serviceControlPolicies == original.serviceControlPolicies)
        #expect(loaded.serviceControlPolicies.map(\.target) == ["r-abcd", "ou-abcd-1234"])
        #expect(loaded.vpcEndpointPolicy(id: "vpce-0a1b")?.vpcId == "vpc-1")
        #expect(loaded.policyCount == original.policyCount)
    }

    private func expectLoadError(_ index: String, files: [String: String] = [:], file: String = "index.json",
                                 path: String?, mentions: String) throws {
        let directory = try AnalysisFixtures.temporaryDirectory()
        try Data(index.utf8).write(to: directory.appendingPathComponent("index.json"))
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        do {
            _ = try AccountSnapshot.load(from: directory)
            Issue.record("expected an error mentioning \(mentions)")
        } catch let error as AccountSnapshotError {
            #expect(error.file == file)
            #expect(error.path == path)
            #expect(error.description.contains(mentions), "\(error)")
        }
    }

    /// Owner facts (path, tags, attachment count) survive the files, and are found by the ARN a
    /// fix names (a role's without its path).
    @Test func ownerFactsRoundTripAndAreFoundWithoutThePath() throws {
        let facts = [FixTargetFacts(arn: "arn:aws:iam::111122223333:role/service/app-Role", path: "/service/",
                                    tags: [.init(key: "aws:cloudformation:stack-name", value: "app")]),
                     FixTargetFacts(arn: "arn:aws:iam::111122223333:policy/Shared", path: "/", attachmentCount: 4)]
        let folder = try AnalysisFixtures.temporaryDirectory()
        try AccountSnapshot(accountId: "111122223333", ownerFacts: facts).write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.ownerFacts == facts)
        #expect(loaded.fixTargetFacts(for: "arn:aws:iam::111122223333:role/app-Role") == facts[0])
        #expect(loaded.fixTargetFacts(for: "arn:aws:iam::111122223333:policy/Shared").attachmentCount == 4)
        #expect(loaded.fixTargetFacts(for: "arn:aws:iam::111122223333:role/other") == FixTargetFacts(arn: "arn:aws:iam::111122223333:role/other"))
    }

    @Test func loaderErrorsNameTheFileAndThePath() throws {
        try expectLoadError(#"{"principals":[{"arn":"arn:aws:iam::1:role/R","policies":[{"file":"missing.json"}]}]}"#,
                            path: "principals[0].policies[0].file", mentions: "missing.json does not exist")
        try expectLoadError(#"{"principals":[{"policies":[]}]}"#, path: "principals[0].arn", mentions: "is missing")
        try expectLoadError(#"{"principals":{}}"#, path: "principals", mentions: "expected a list")
        try expectLoadError(#"{"formatVersion":7}"#, path: "formatVersion", mentions: "reads version 1")
        try expectLoadError(#"{"resourcePolicies":[{"resourceArn":"arn:aws:s3:::b","kind":"bucketAcl","file":"p.json"}]}"#,
                            files: ["p.json": #"{"Statement":[]}"#], path: "resourcePolicies[0].kind", mentions: "unknown kind")
        try expectLoadError(#"{"serviceControlPolicies":[{"target":"r-1","file":"p.json"}]}"#,
                            files: ["p.json": #"{"Statement":[]}"#], path: "serviceControlPolicies[0].level", mentions: "level number")
        try expectLoadError(#"{"groups":[{"arn":"g","policies":[{"file":"../etc/passwd"}]}]}"#,
                            path: "groups[0].policies[0].file", mentions: "inside the snapshot directory")
        try expectLoadError(#"{"groups":[{"arn":"g","policies":[{"file":"p.json"}]}]}"#,
                            files: ["p.json": #"{"Version":"2012-10-17"}"#], file: "p.json", path: nil, mentions: "no \"Statement\"")
        try expectLoadError(#"{"groups":[{"arn":"g","policies":[{"file":"p.json"}]}]}"#,
                            files: ["p.json": "{not json"], file: "p.json", path: nil, mentions: "not valid JSON")
        try expectLoadError("[1,2]", path: nil, mentions: "top level")
    }

    @Test func aMissingSnapshotDirectoryIsAClearError() {
        #expect(throws: AccountSnapshotError(file: "index.json", problem: "cannot be read (no such file)")) {
            try AccountSnapshot.load(from: URL(fileURLWithPath: "/nonexistent/snapshot"))
        }
    }
}

// Issue 12 item 4: a snapshot keeps "the read failed" apart from "no policy".
@Suite struct SnapshotUnreadPolicyTests {
    @Test func anUnreadBucketPolicyRoundTripsAndReachesTheEvaluator() throws {
        let identity = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
        let role = "arn:aws:iam::111122223333:role/DataAnalystRole"
        let original = AccountSnapshot(
            accountId: "111122223333",
            principals: [SnapshotPrincipal(arn: role, policies: [SnapshotPolicy(name: "Read", attachedTo: role, file: "policies/read.json", document: identity)])],
            unreadResourcePolicies: [SnapshotUnreadPolicy(resourceArn: "arn:aws:s3:::analytics-data-bucket", kind: .s3BucketPolicy,
                                                          name: "bucket policy of analytics-data-bucket",
                                                          failedRead: "aws s3api get-bucket-policy --bucket analytics-data-bucket",
                                                          reason: "no connection: Could not connect to the endpoint URL")])
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try original.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.unreadResourcePolicies == original.unreadResourcePolicies)

        let request = AuthorizationRequest(principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s"),
                                           action: "s3:GetObject",
                                           resource: RequestResource(arn: "arn:aws:s3:::analytics-data-bucket/q3.csv", account: "111122223333"))
        let selection = try SnapshotPolicySets(loaded).policySet(for: request)
        #expect(selection.policies.unreadPolicies.map(\.name) == ["bucket policy of analytics-data-bucket"])
        let result = PolicyEvaluator().evaluate(request, against: selection.policies)
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("get-bucket-policy --bucket analytics-data-bucket failed: no connection"))
    }

    // The principal's side: a boundary whose read failed is kept on the principal, written and
    // loaded, and an Allow past it is Undecided.
    @Test func anUnreadBoundaryRoundTripsWithItsPrincipal() throws {
        let identity = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}"#)
        let role = "arn:aws:iam::111122223333:role/OrderProcessorRole"
        let boundary = UnreadPolicy(type: .permissionsBoundary, name: "OrderProcessorBoundary",
                                    failedRead: "aws iam get-policy-version --policy-arn arn:aws:iam::111122223333:policy/OrderProcessorBoundary --version-id v1",
                                    reason: "AccessDenied")
        let groups = UnreadPolicy(type: .identityBased, name: "managed policies attached to role OrderProcessorRole", reason: "not run: skipped")
        let original = AccountSnapshot(
            accountId: "111122223333",
            principals: [SnapshotPrincipal(arn: role, policies: [SnapshotPolicy(name: "Send", attachedTo: role, file: "policies/send.json", document: identity)],
                                           unreadPolicies: [boundary, groups])])
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try original.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.principals.first?.unreadPolicies == [boundary, groups])

        let request = AuthorizationRequest(principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/OrderProcessorRole/w"),
                                           action: "sqs:SendMessage",
                                           resource: RequestResource(arn: "arn:aws:sqs:us-east-1:111122223333:orders", account: "111122223333"))
        let selection = try SnapshotPolicySets(loaded).policySet(for: request)
        #expect(selection.policies.unreadPolicies == [boundary, groups])
        let result = PolicyEvaluator().evaluate(request, against: selection.policies)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policy?.name == "OrderProcessorBoundary")
    }

    @Test func anUnreadPolicyOfAnUnknownTypeIsRejectedWithItsPath() throws {
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try AccountSnapshot(principals: [SnapshotPrincipal(arn: "arn:aws:iam::111122223333:user/ana",
            unreadPolicies: [UnreadPolicy(type: .identityBased, name: "inline policies of user ana", reason: "x")])]).write(to: folder)
        let index = folder.appendingPathComponent("index.json")
        let text = try String(contentsOf: index, encoding: .utf8).replacingOccurrences(of: "\"identityBased\"", with: "\"sideways\"")
        try text.write(to: index, atomically: true, encoding: .utf8)
        #expect(throws: AccountSnapshotError.self) { try AccountSnapshot.load(from: folder) }
        do { _ = try AccountSnapshot.load(from: folder) } catch let error as AccountSnapshotError {
            #expect("\(error)".contains("principals[0].unreadPolicies[0].type"), "\(error)")
        }
    }
}
