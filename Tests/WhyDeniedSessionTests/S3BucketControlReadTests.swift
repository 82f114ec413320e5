import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §2: for a denial on an S3 bucket, step `check_resource_policies` reads Block Public
/// Access of the owner's account and of the bucket, Object Ownership and the bucket ACL beside
/// the bucket policy.
@Suite(.serialized) struct S3BucketControlReadTests {
    static let bucket = "analytics-data-bucket"
    static let block = BlockPublicAccess(ignorePublicAcls: true, restrictPublicBuckets: true)
    /// The seed scenario with its bucket's Block Public Access set and ACLs disabled: the state this
    /// suite and S3SnapshotSettingsTests read, seeded once per test process (`SharedSandboxes`).
    static let bucketControls = SharedSandboxes.Preparation(name: "bucket-controls") { sandbox in
        let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
        try await seeder.setBlockPublicAccess(bucket: bucket, block)
        try await seeder.setObjectOwnership(bucket: bucket, .bucketOwnerEnforced)
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func theBucketsSettingsAreReadAndReadOnly() async throws {
        try await SharedSandboxes.reading(scenario: "seed", prepared: Self.bucketControls) { sandbox, parameters in
            let bucket = Self.bucket
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner())

            let ran = Dictionary(GuidedMotoRunbookTests.ran(session).map { ($0.id, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            // BucketOwnerEnforced disables ACLs: the ACL is not read (S3SnapshotSettingsTests reads one).
            #expect(ran["check_resource_policies.bucket_acl"] == nil, "\(ran.keys.sorted())")
            for id in ["bucket_public_access_block", "bucket_object_ownership"] {
                let outcome = try #require(ran["check_resource_policies.\(id)"], "\(id) did not run: \(ran.keys.sorted())")
                #expect(outcome.succeeded, "\(id): \(outcome.stderr)")
                #expect(!CommandClassifier.bundled.classify(outcome.argv).mutates, "\(outcome.argv)")
            }
            let bucketReads = [S3BucketControlReads.bucketBlockCapture, S3BucketControlReads.ownershipCapture, S3BucketControlReads.aclGrantsCapture]
            #expect(session.failedPolicyReads.keys.filter(bucketReads.contains).isEmpty, "\(session.failedPolicyReads)")

            // The owner account's setting: the CLI sends s3control to ACCOUNT.127.0.0.1, which no
            // name resolves, so the read fails as "unavailable here" (not "the endpoint stopped
            // answering"), lands unread, and the step and the session go on.
            let account = try #require(ran["check_resource_policies.account_public_access_block"], "\(ran.keys.sorted())")
            #expect(account.argv.starts(with: ["aws", "s3control", "get-public-access-block", "--account-id", MotoSandbox.accountID]))
            #expect(!CommandClassifier.bundled.classify(account.argv).mutates)
            guard case .sourceUnavailable(let reason)? = account.failure else {
                Issue.record("expected sourceUnavailable, got \(String(describing: account.failure)): \(account.stderr)"); return
            }
            #expect(reason.contains("\(MotoSandbox.accountID).127.0.0.1"), "\(reason)")
            #expect(session.engine.state(of: "check_resource_policies") == .completedWithFailures)
            #expect(session.engine.state(of: "recommend") == .completed, "\(session.engine.stepStates.map { ($0.step.id, $0.status) })")
            #expect(session.findings.verdict == .explicitDeny, "the bucket policy's Deny decides whatever the account's setting")

            let controls = try #require(S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                                  failedReads: session.failedPolicyReads))
            #expect(controls.bucket == bucket)
            #expect(controls.bucketBlock == .set(Self.block))
            guard case .unread(let read, _) = controls.accountBlock else { Issue.record("\(controls.accountBlock)"); return }
            #expect(read.hasPrefix("aws s3control get-public-access-block --account-id \(MotoSandbox.accountID)"), "\(read)")
            #expect(controls.objectOwnership == .set(.bucketOwnerEnforced))
            #expect(controls.acl == .notSet)
        }
    }

    /// "Not set" is an answer (no capture, no failure); a refused read is an unread setting, named.
    @Test func notSetIsAnAnswerAndARefusedReadIsUnread() throws {
        let facts: [String: JSONValue] = ["resource.policy_kind": .string("bucket"), "resource.id": .string("reports"),
                                          "principal.account_id": .string("111122223333")]
        let refused = FailedPolicyRead(read: "aws s3api get-public-access-block --bucket reports",
                                       reason: "AccessDenied: User is not authorized to perform: s3:GetBucketPublicAccessBlock",
                                       capture: S3BucketControlReads.bucketBlockCapture)
        let captures: [String: JSONValue] = [
            S3BucketControlReads.ownershipCapture: .array([.string("BucketOwnerPreferred")]),
            S3BucketControlReads.aclGrantsCapture: try JSONValue.parse(#"[{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]"#),
        ]
        let controls = try #require(S3BucketControlReads.read(captures: captures, facts: facts,
                                                              failedReads: [refused.key: refused]))
        #expect(controls.ownerAccount == "111122223333")
        #expect(controls.accountBlock == .notSet)
        #expect(controls.bucketBlock == .unread(read: refused.read, reason: refused.reason))
        #expect(controls.unread.map(\.name) == ["S3 Block Public Access of bucket reports"])
        #expect(controls.objectOwnership == .set(.bucketOwnerPreferred))
        #expect(controls.acl == .set([S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)]))

        var other = facts
        other["resource.policy_kind"] = .string("queue")
        #expect(S3BucketControlReads.read(captures: captures, facts: other, failedReads: [:]) == nil)
    }
}
