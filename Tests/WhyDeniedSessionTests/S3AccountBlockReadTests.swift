import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// Issue 14 §2: Block Public Access of the bucket owner's account (`s3control
/// get-public-access-block --account-id`) is read beside the bucket's own settings. moto cannot
/// answer it (the CLI sends s3control to `ACCOUNT.<endpoint host>`), so the read is replayed from a
/// recording of real-format output (Fixtures/s3-account-block/reads.runs.jsonl, see
/// Fixtures/README.md) through `ReplayLauncher`; the sandbox path is in `S3BucketControlReadTests`.
@Suite struct S3AccountBlockReadTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let owner = "111122223333"
    static let caller = "arn:aws:sts::444455556666:assumed-role/PartnerReader/bea"
    static let callerRole = "arn:aws:iam::444455556666:role/PartnerReader"
    static let bucketFacts: [String: JSONValue] = [
        "resource.policy_kind": .string("bucket"), "resource.id": .string("reports"), "principal.account_id": .string(owner),
    ]

    /// Set, "not set" (an answer: no capture, no failure) and refused (unread, naming the read).
    @Test func theAccountsSettingIsSetNotSetOrUnread() throws {
        let block = try JSONValue.parse(#"{"BlockPublicAcls": true, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}"#)
        let set = try #require(S3BucketControlReads.read(captures: [S3BucketControlReads.accountBlockCapture: block],
                                                         facts: Self.bucketFacts, failedReads: [:]))
        #expect(set.accountBlock == .set(BlockPublicAccess(blockPublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true)))
        #expect(set.restrictingLevels == ["account \(Self.owner)"])

        let notSet = try #require(S3BucketControlReads.read(captures: [:], facts: Self.bucketFacts, failedReads: [:]))
        #expect(notSet.accountBlock == .notSet)
        #expect(notSet.unread.isEmpty)

        let refused = FailedPolicyRead(read: "aws s3control get-public-access-block --account-id \(Self.owner)",
                                       reason: "AccessDenied on whydenied's own read: your credentials lack s3:GetAccountPublicAccessBlock.",
                                       capture: S3BucketControlReads.accountBlockCapture)
        let unread = try #require(S3BucketControlReads.read(captures: [:], facts: Self.bucketFacts, failedReads: [refused.key: refused]))
        #expect(unread.accountBlock == .unread(read: refused.read, reason: refused.reason))
        #expect(unread.unread.map(\.name) == ["S3 Block Public Access of account \(Self.owner)"])

        // Read as the resource profile's account: that capture, and that account, are the owner's.
        var captures: [String: JSONValue] = [S3BucketControlReads.resourceAccountBlockCapture: block, "resource_account": .string("777788889999")]
        captures[S3BucketControlReads.accountBlockCapture] = .object(JSONObject())
        let other = try #require(S3BucketControlReads.read(captures: captures, facts: Self.bucketFacts, failedReads: [:]))
        #expect(other.ownerAccount == "777788889999")
        #expect(other.restrictingLevels == ["account 777788889999"])

        // No owner known: the read could not be run, so the setting is unknown, never "not set".
        var noOwner = Self.bucketFacts
        noOwner["principal.account_id"] = nil
        let unknown = try #require(S3BucketControlReads.read(captures: [:], facts: noOwner, failedReads: [:]))
        guard case .unread(_, let reason) = unknown.accountBlock else { Issue.record("\(unknown.accountBlock)"); return }
        #expect(reason.contains("not known"))
    }

    /// The step's reads of a bucket in another account, replayed: the resource profile's account
    /// is read for the account-level setting, each read provably read-only.
    static func replayedReads() async throws -> (session: GuidedSession, replay: ReplayLauncher) {
        let records = try RunRecording.read(from: fixtures.appendingPathComponent("s3-account-block/reads.runs.jsonl"))
        let replay = ReplayLauncher(records: records)
        let runner = AWSCommandRunner(connection: AWSConnection(), launcher: replay, needsExecutable: false)
        let runbook = try RunbookFixture.loaded()
        var reads = runbook
        reads.steps = runbook.steps.filter { $0.id == "check_resource_policies" }
        var session = GuidedSession(runbook: reads, parameters: [
            "principal": caller, "region": "eu-west-1", "resource": "arn:aws:s3:::reports/q3.csv", "resource_profile": "reports-owner",
        ], now: Date(), readOnly: true)
        await session.runHeadless(effects: runner) { _ in }
        return (session, replay)
    }

    @Test func theOwnersAccountLevelRestrictPublicBucketsDecidesAReplayedRead() async throws {
        let (session, replay) = try await Self.replayedReads()
        #expect(replay.unusedRecords.map(\.argv) == [])
        for entry in session.transcript {
            let classification = CommandClassifier.bundled.classify(entry.argv)
            #expect(!classification.mutates, "\(entry.argv): \(classification.reason)")
        }
        let controls = try #require(S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                              failedReads: session.failedPolicyReads))
        #expect(controls.ownerAccount == Self.owner)
        #expect(controls.accountBlock == .set(BlockPublicAccess(blockPublicAcls: true, ignorePublicAcls: true, restrictPublicBuckets: true)))
        #expect(controls.bucketBlock == .notSet, "NoSuchPublicAccessBlockConfiguration is an answer")
        #expect(controls.unread.isEmpty, "\(controls.unread)")

        // bea (another account) may read the bucket's objects by her role's policy, and the bucket
        // policy is public: only the owner account's RestrictPublicBuckets keeps her out.
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: Self.caller, roleArn: Self.callerRole), action: "s3:GetObject",
                                           resource: RequestResource(arn: "arn:aws:s3:::reports/q3.csv", account: Self.owner))
        let denied = try Self.decide(request, session: session, controls: controls)
        #expect(denied.decision == .implicitDeny)
        #expect(denied.deciding.summary.contains("account \(Self.owner)"), "\(denied.deciding.summary)")
        #expect(denied.deciding.summary.contains("aws s3control put-public-access-block --account-id \(Self.owner)"), "\(denied.deciding.summary)")

        var withoutAccount = controls
        withoutAccount.accountBlock = .notSet
        // Without it the request is allowed as far as the reads go; the owner's RCPs (another
        // account's organization path, not read) are all that is left unknown.
        let open = try Self.decide(request, session: session, controls: withoutAccount)
        #expect(open.decision == .undecided, "\(open.deciding.summary)")
        #expect(open.unreadPolicies.map(\.name) == ["RCPs on the path of account \(Self.owner)"])
        var refused = controls
        refused.accountBlock = .unread(read: "aws s3control get-public-access-block --account-id \(Self.owner)", reason: "AccessDenied")
        let undecided = try Self.decide(request, session: session, controls: refused)
        #expect(undecided.decision == .undecided)
        #expect(undecided.unreadPolicies.map(\.name) == ["RCPs on the path of account \(Self.owner)", "S3 Block Public Access of account \(Self.owner)"])
    }

    /// The caller's role allows s3:GetObject on the bucket; the bucket's side is what was replayed.
    static func decide(_ request: AuthorizationRequest, session: GuidedSession, controls: S3BucketAccessControls) throws -> EvaluationResult {
        let read = CapturedAccount.resourcePolicies(captures: session.engine.captures, facts: session.engine.facts,
                                                    failedReads: session.failedPolicyReads, partition: "aws")
        #expect(read.read.map(\.resourceArn) == ["arn:aws:s3:::reports"], "\(read.unread)")
        let roleRead = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#
        let snapshot = AccountSnapshot(
            accountId: "444455556666",
            principals: [SnapshotPrincipal(arn: callerRole, policies: [SnapshotPolicy(name: "ReadReports", attachedTo: callerRole, file: "", document: try JSONValue.parse(roleRead))])],
            resourcePolicies: read.read,
            s3Buckets: [controls])
        return PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(snapshot).policySet(for: request).policies)
    }
}
