import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §2: `snapshot` keeps each bucket's S3 settings (Block Public Access of the bucket and
/// of its owner's account, Object Ownership, the ACL) beside its policy, so `evaluate --snapshot`
/// of an S3 denial weighs what the guided session weighs.
@Suite struct S3SnapshotSettingsTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func theSnapshotHoldsTheBucketsSettingsAndGivesTheLiveVerdict() async throws {
        // The bucket's Block Public Access set and ACLs disabled: the state S3BucketControlReadTests reads.
        try await SharedSandboxes.reading(scenario: "seed", prepared: S3BucketControlReadTests.bucketControls) { sandbox, parameters in
            let bucket = S3BucketControlReadTests.bucket
            let block = S3BucketControlReadTests.block
            let guided = try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner())
            let live = try #require(guided.analysis, "\(guided.notes)")
            let denied = try #require(guided.findings.explainedEvent)
            let targets = LiveReadTargets([denied], catalog: .bundled)
            #expect(targets.resources.contains("arn:aws:s3:::\(bucket)") || targets.resources.contains { $0.hasPrefix("arn:aws:s3:::\(bucket)/") },
                    "\(targets.resources)")
            let reads = BatchReadCache(wrapping: sandbox.runner())
            let result = await (try LiveSnapshotMotoTests.reader()).read(principals: targets.principals, resources: targets.resources,
                                                                        effects: { _ in reads }, homeAccount: MotoSandbox.accountID) { _ in }

            let folder = LiveSnapshotMotoTests.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try result.snapshot.write(to: folder)
            let loaded = try AccountSnapshot.load(from: folder)
            let controls = try #require(loaded.s3Buckets.first, "\(result.notes)")
            #expect(loaded.s3Buckets.count == 1)
            #expect(controls.bucket == bucket)
            #expect(controls.ownerAccount == MotoSandbox.accountID)
            #expect(controls.bucketBlock == .set(block))
            #expect(controls.objectOwnership == .set(.bucketOwnerEnforced))
            // BucketOwnerEnforced disables ACLs: the ACL is not read (one process fewer per bucket).
            #expect(controls.acl == .notSet)
            let started = await reads.started
            #expect(!started.contains { $0.contains("get-bucket-acl") }, "\(started)")
            // Attempted, and unread: moto cannot be reached at ACCOUNT.127.0.0.1.
            guard case .unread(let read, _) = controls.accountBlock else { Issue.record("\(controls.accountBlock)"); return }
            #expect(read.hasPrefix("aws s3control get-public-access-block --account-id \(MotoSandbox.accountID)"), "\(read)")
            // The guided session read the same settings.
            let session = try #require(S3BucketControlReads.read(captures: guided.engine.captures, facts: guided.engine.facts,
                                                                 failedReads: guided.failedPolicyReads))
            #expect(session.bucketBlock == controls.bucketBlock)
            #expect(session.objectOwnership == controls.objectOwnership)

            let offline = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(loaded)).analyse(denied)
            #expect(offline.decision == live.decision, "\(offline.assessment) \(offline.notes)")
            let offlineUnread = offline.deciding?.result.unreadPolicies.map(\.name) ?? []
            #expect(offlineUnread == (live.deciding?.result.unreadPolicies.map(\.name) ?? []))
            #expect(offlineUnread.contains("S3 Block Public Access of account \(MotoSandbox.accountID)"), "\(offlineUnread)")
        }
    }

    /// Without ownership controls (moto's default, and every bucket made before April 2023) ACLs
    /// are enabled: the ACL is read and kept.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func aBucketWithACLsEnabledHasItsACLRead() async throws {
        // Reads only: the plain seeded sandbox this test process shares.
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, _ in
            let reads = BatchReadCache(wrapping: sandbox.runner())
            let result = await (try LiveSnapshotMotoTests.reader()).read(principals: [], resources: ["arn:aws:s3:::analytics-data-bucket"],
                                                                        effects: { _ in reads }, homeAccount: MotoSandbox.accountID) { _ in }
            let controls = try #require(result.snapshot.s3Buckets.first, "\(result.notes)")
            #expect(controls.objectOwnership == .notSet)
            guard case .set(let grants) = controls.acl else { Issue.record("ACL not kept: \(controls.acl)"); return }
            // moto's default ACL: the owner's FULL_CONTROL.
            #expect(grants.map(\.permission) == [.fullControl])
            #expect(grants.first?.grantee == controls.ownerCanonicalId.map { .canonicalUser(id: $0) })
        }
    }
}
