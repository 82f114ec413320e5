import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// `snapshot` / `analyze --live`'s reader against a real moto_server seeded with each scenario:
/// the snapshot it writes, loaded back, gives the verdict the guided session gives on the same
/// account, with read-only commands only, each run once.
@Suite struct LiveSnapshotMotoTests {
    static let motoMissing: Comment = "moto_server or aws is not installed (pip install 'moto[server]' awscli)"

    static func reader() throws -> LiveAccountReader {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        return LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: MotoSandbox.region)
    }

    /// The scenario's CloudTrail file, as the seeder delivered it.
    static func events(in sandbox: MotoSandbox) throws -> [CloudTrailEvent] {
        let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.directory.path).filter { $0.hasSuffix(".json.gz") }
        let file = try #require(files.first, "no trail file in \(sandbox.directory.path)")
        return try CloudTrailReader.read(path: sandbox.directory.appendingPathComponent(file).path).events.filter(\.isDenied)
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("live-snapshot-\(UUID().uuidString.prefix(8))")
    }

    /// Runs as another profile, written where the guided session writes it for a command of the
    /// resource's account (`ProposedCommand.runningWith(profile:)`), so the recording answers.
    struct AsProfile: SessionEffects {
        let inner: AWSCommandRunner
        let profile: String

        func run(_ request: CommandRequest) async -> CommandOutcome {
            var request = request
            if !request.argv.contains("--profile") { request.argv += ["--profile", profile] }
            return await inner.run(request)
        }

        func isToolAvailable(_ name: String) async -> Bool { await inner.isToolAvailable(name) }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, motoMissing), arguments: GuidedMotoRunbookTests.cases)
    func writtenSnapshotGivesTheGuidedSessionsVerdict(expected: GuidedMotoRunbookTests.Expected) async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The scenario's live run, replayed: the guided session's commands and the reader's are
        // the same read-only commands of the runbook, so the recording answers both.
        let recording = try await ScenarioRecordings.shared.recording(expected.scenario)
        do {
            let guided = try await GuidedMotoRunbookTests.run(recording.parameters, effects: recording.replayRunner())
            let denied = guided.findings.explainedEvent.map { [$0] } ?? []
            #expect(denied.count == 1)
            let targets = LiveReadTargets(denied, catalog: .bundled)
            let reads = BatchReadCache(wrapping: recording.replayRunner())
            // The other account's resource is read as its owner, as `snapshot --resource-profile` does.
            let resourceReads = recording.parameters["resource_profile"].map { profile in
                BatchReadCache(wrapping: AsProfile(inner: recording.replayRunner(), profile: profile))
            }
            let result = await (try Self.reader()).read(principals: targets.principals, resources: targets.resources,
                                                  vpcEndpoints: targets.vpcEndpoints, effects: { _ in reads },
                                                  resourceEffects: resourceReads.map { cache in { _ in cache } },
                                                  homeAccount: MotoSandbox.accountID) { _ in }
            #expect(result.notes.isEmpty, "\(result.notes)")
            #expect(result.snapshot.vpcEndpointPolicies.map(\.vpcEndpointId) == targets.vpcEndpoints)
            try result.snapshot.write(to: folder)
            let loaded = try AccountSnapshot.load(from: folder)
            let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(loaded))
            let batch = denied.map { analyzer.analyse($0) }

            let guidedAnalysis = try #require(guided.analysis, "\(guided.notes)")
            let analysis = try #require(batch.first)
            #expect(analysis.decision == expected.verdict, "\(analysis.assessment): \(analysis.errorMessage ?? "") \(analysis.notes)")
            #expect(analysis.decision == guidedAnalysis.decision)
            #expect(analysis.assessment == guidedAnalysis.assessment)
            let statement = analysis.deciding?.result.deciding.statement.map { $0.statement.sid ?? $0.statement.label }
            #expect(statement == guided.findings.decidingStatement)
            if let sid = expected.statement { #expect(statement == sid) }

            // Every command the reads started is read-only by the classifier, and none ran twice.
            let started = await reads.started
            #expect(!started.isEmpty)
            for argv in started {
                let classification = CommandClassifier.bundled.classify(argv)
                #expect(!classification.mutates, "\(argv): \(classification.reason)")
            }
            #expect(Set(started).count == started.count, "a read ran twice: \(started)")
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, motoMissing))
    func eachPolicyIsReadOncePerBatch() async throws {
        try await MotoTestSandbox.with(scenario: "group-explicit-deny") { sandbox, _ in
            let denied = try Self.events(in: sandbox)
            let targets = LiveReadTargets(denied + denied, catalog: .bundled)
            #expect(targets.principals.count == 1)
            let reads = BatchReadCache(wrapping: sandbox.runner())
            let reader = try Self.reader()
            _ = await reader.read(principals: targets.principals, resources: targets.resources,
                                  effects: { _ in reads }, homeAccount: MotoSandbox.accountID) { _ in }
            let first = await reads.started.count
            // The same principal again, in the same batch: answered from the cache, no process started.
            let again = await reader.read(principals: targets.principals, resources: targets.resources,
                                          effects: { _ in reads }, homeAccount: MotoSandbox.accountID) { _ in }
            #expect(await reads.started.count == first)
            #expect(await reads.reused >= first)
            #expect(again.snapshot.principals.count == 1)
            #expect(again.snapshot.groups.map(\.arn) == ["arn:aws:iam::\(MotoSandbox.accountID):group/Contractors"])
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, motoMissing))
    func aFailedReadIsUnreadNeverNoPolicy() async throws {
        // The empty sandbox this test process shares: the bucket's and the role's names are this test's.
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let runner = sandbox.runner()
            let seeder = ScenarioSeeder(runner: runner, workDirectory: sandbox.directory)
            _ = try await seeder.run(["aws", "s3api", "create-bucket", "--bucket", "bucket-without-policy"])
            let reads = BatchReadCache(wrapping: runner)
            let result = await (try Self.reader()).read(
                principals: ["arn:aws:iam::\(MotoSandbox.accountID):role/NoSuchRole"],
                resources: ["arn:aws:s3:::bucket-without-policy", "arn:aws:s3:::no-such-bucket/key.csv"],
                effects: { _ in reads }, homeAccount: MotoSandbox.accountID) { _ in }
            let snapshot = result.snapshot
            // NoSuchBucketPolicy is an answer: no policy, and not unread.
            #expect(snapshot.resourcePolicies.isEmpty)
            #expect(!snapshot.unreadResourcePolicies.contains { $0.resourceArn == "arn:aws:s3:::bucket-without-policy" })
            // NoSuchBucket is a failed read: unread, naming the command.
            let unread = try #require(snapshot.unreadResourcePolicies.first { $0.resourceArn == "arn:aws:s3:::no-such-bucket" })
            #expect(unread.kind == .s3BucketPolicy)
            #expect(unread.failedRead?.contains("get-bucket-policy") == true)
            // A principal whose reads failed is kept with its policies unread, never as "no policies", with a note.
            #expect(snapshot.principals.allSatisfy { !$0.unreadPolicies.isEmpty }, "\(snapshot.principals)")
            #expect(result.notes.contains { $0.contains("NoSuchRole") && $0.contains("could not be read") }, "\(result.notes)")
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, motoMissing))
    func principalTagsAreRead() async throws {
        // The empty sandbox this test process shares: role Tagged is this test's.
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let runner = sandbox.runner()
            let seeder = ScenarioSeeder(runner: runner, workDirectory: sandbox.directory)
            _ = try await seeder.run(["aws", "iam", "create-role", "--role-name", "Tagged", "--tags", "Key=team,Value=analytics",
                                      "--assume-role-policy-document",
                                      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#])
            let result = await (try Self.reader()).read(
                principals: ["arn:aws:iam::\(MotoSandbox.accountID):role/Tagged"], resources: [],
                effects: { _ in BatchReadCache(wrapping: runner) }, homeAccount: MotoSandbox.accountID) { _ in }
            #expect(result.snapshot.principals.first?.tags == ["team": "analytics"], "\(result.notes)")
        }
    }
}
