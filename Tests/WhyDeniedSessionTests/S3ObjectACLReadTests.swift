import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §2: for a denial on an S3 object while the bucket's ACLs are enabled, step
/// `check_resource_policies` reads the object's ACL and owner (`s3api get-object-acl`), read-only,
/// and keeps it with the bucket's settings. moto gives every object one fixed owner, so an object
/// another account owns is tested on the evaluator (`S3ObjectACLTests`).
@Suite(.serialized) struct S3ObjectACLReadTests {
    static let bucket = "deploy-artifacts"
    static let key = "build/app.zip"
    /// Scenario user-no-allow with the object it names uploaded and made public-read (ACLs are
    /// enabled: no ownership controls).
    static let publicObject = SharedSandboxes.Preparation(name: "public-object") { sandbox in
        let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
        let body = try seeder.file(named: "app.zip", containing: "zip")
        _ = try await seeder.run(["aws", "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body.path])
        _ = try await seeder.run(["aws", "s3api", "put-object-acl", "--bucket", bucket, "--key", key, "--acl", "public-read"])
    }

    static let enabled = MotoTestSandbox.isAvailable

    @Test(.enabled(if: enabled, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func theObjectsACLIsReadReadOnlyAndKept() async throws {
        try await SharedSandboxes.reading(scenario: "user-no-allow", prepared: Self.publicObject) { sandbox, parameters in
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner())
            let ran = Dictionary(GuidedMotoRunbookTests.ran(session).map { ($0.id, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            let read = try #require(ran["check_resource_policies.object_acl"], "\(ran.keys.sorted())")
            #expect(read.argv.starts(with: ["aws", "s3api", "get-object-acl", "--bucket", Self.bucket, "--key", Self.key]), "\(read.argv)")
            #expect(read.succeeded, "\(read.stderr)")
            #expect(!CommandClassifier.bundled.classify(read.argv).mutates, "\(read.argv)")
            #expect(session.engine.facts["resource.object_key"]?.stringValue == Self.key)

            let controls = try #require(S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                                  failedReads: session.failedPolicyReads))
            guard case .set(let acl)? = controls.objectACLs[Self.key] else {
                Issue.record("the object's ACL was not kept: \(controls.objectACLs)"); return
            }
            #expect(acl.ownerCanonicalId != nil)
            #expect(acl.ownerCanonicalId == controls.ownerCanonicalId, "moto's one owner owns the bucket and the object")
            #expect(acl.grants.contains(S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)), "\(acl.grants)")
            // PutObject is the bucket's to grant: the object's public READ does not change the verdict.
            #expect(session.findings.verdict == .implicitDeny)
        }
    }

    /// The object does not exist (PutObject of a new key): `NoSuchKey` answers, nothing is unread.
    @Test(.enabled(if: enabled, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func noSuchObjectIsAnAnswer() async throws {
        try await SharedSandboxes.reading(scenario: "user-no-allow") { sandbox, parameters in
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner())
            let ran = Dictionary(GuidedMotoRunbookTests.ran(session).map { ($0.id, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            let read = try #require(ran["check_resource_policies.object_acl"], "\(ran.keys.sorted())")
            #expect(read.stderr.contains("NoSuchKey"), "\(read.stderr)")
            #expect(session.failedPolicyReads[S3BucketControlReads.objectACLGrantsCapture] == nil, "\(session.failedPolicyReads)")
            let controls = try #require(S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                                  failedReads: session.failedPolicyReads))
            #expect(controls.objectACLs.isEmpty)
            #expect(session.findings.verdict == .implicitDeny)
        }
    }

    /// moto refuses GetObjectAcl under the seed's bucket policy (it weighs the Deny of s3:GetObject):
    /// a refused read, unread, and the verdict stays decided because the bucket policy's Deny
    /// decides whatever the object's ACL says.
    @Test(.enabled(if: enabled, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func aRefusedReadIsUnreadAndDecidesNothingADenyDecides() async throws {
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner())
            let key = "reports/2026/q3-revenue.csv"
            let failed = try #require(session.failedPolicyReads[S3BucketControlReads.objectACLGrantsCapture], "\(session.failedPolicyReads)")
            #expect(failed.read.hasPrefix("aws s3api get-object-acl --bucket analytics-data-bucket --key \(key)"), "\(failed.read)")
            let controls = try #require(S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                                  failedReads: session.failedPolicyReads))
            #expect(controls.unread.map(\.name).contains("ACL of object \(key) in bucket analytics-data-bucket"), "\(controls.unread)")
            #expect(session.findings.verdict == .explicitDeny)
        }
    }

    /// A refused get-object-acl is an unread setting, named with the read; no such object is "not set".
    @Test func aRefusedReadIsUnreadAndNoSuchObjectIsNotSet() throws {
        let facts: [String: JSONValue] = ["resource.policy_kind": .string("bucket"), "resource.id": .string("reports"),
                                          "resource.object_key": .string("q3.csv"), "principal.account_id": .string("111122223333")]
        let refused = FailedPolicyRead(read: "aws s3api get-object-acl --bucket reports --key q3.csv",
                                       reason: "AccessDenied: not authorized to perform: s3:GetObjectAcl",
                                       capture: S3BucketControlReads.objectACLGrantsCapture)
        let unread = try #require(S3BucketControlReads.read(captures: [:], facts: facts, failedReads: [refused.key: refused]))
        #expect(unread.objectACLs["q3.csv"] == .unread(read: refused.read, reason: refused.reason))
        #expect(unread.unread.map(\.name) == ["ACL of object q3.csv in bucket reports"])

        let absent = try #require(S3BucketControlReads.read(captures: [:], facts: facts, failedReads: [:]))
        #expect(absent.objectACLs.isEmpty)

        let captures: [String: JSONValue] = [
            S3BucketControlReads.objectACLGrantsCapture: try JSONValue.parse(#"[{"Grantee":{"Type":"CanonicalUser","ID":"be2fe74d"},"Permission":"FULL_CONTROL"}]"#),
            S3BucketControlReads.objectACLOwnerCapture: .string("be2fe74d"),
        ]
        let read = try #require(S3BucketControlReads.read(captures: captures, facts: facts, failedReads: [:]))
        #expect(read.objectACLs["q3.csv"] == .set(S3ObjectACL(key: "q3.csv", ownerCanonicalId: "be2fe74d",
                                                             grants: [S3ACLGrant(grantee: .canonicalUser(id: "be2fe74d"), permission: .fullControl)])))
    }

    /// The ARN of an object gives its key as a fact; a bucket's gives none.
    @Test func theObjectKeyIsAFactOfAnObjectsARN() throws {
        #expect(ResourcePolicyTarget(arn: "arn:aws:s3:::reports/2026/q3.csv")?.facts["resource.object_key"]?.stringValue == "2026/q3.csv")
        #expect(ResourcePolicyTarget(arn: "arn:aws:s3:::reports")?.facts["resource.object_key"] == nil)
        #expect(ResourcePolicyTarget(arn: "arn:aws:sqs:us-east-1:111122223333:q")?.facts["resource.object_key"] == nil)
        #expect(FactCatalog.isKnown("resource.object_key"))
        // The read is classified read-only from the action catalog (s3:GetObjectAcl is a Read action).
        #expect(!CommandClassifier.bundled.classify(["aws", "s3api", "get-object-acl", "--bucket", "reports", "--key", "q3.csv"]).mutates)
    }
}
