import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §4, the organization scenarios, headless against a real moto_server: the session runs
/// as the member account (profile sandbox-member), reads the SCPs on its path as the management
/// account (--org-profile default), and names the deciding SCP with its id and the OU it is
/// attached to.
@Suite struct SCPScenarioMotoTests {
    static func run(_ scenario: SandboxScenario, _ sandbox: MotoSandbox, _ parameters: [String: String],
                    orgProfile: String? = nil) async throws -> GuidedSession {
        var connection = sandbox.connection
        connection.profile = scenario.sessionProfile
        connection.organizationProfile = orgProfile ?? parameters["org_profile"]
        var given = parameters
        if let orgProfile { given["org_profile"] = orgProfile }
        return try await GuidedMotoRunbookTests.run(given, effects: sandbox.runner().connected(to: connection))
    }

    static func organizationReads(_ session: GuidedSession) -> [[String]] {
        GuidedMotoRunbookTests.ran(session).map(\.outcome.argv).filter { $0.dropFirst().first == "organizations" }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func anSCPDenyOnAnOUIsNamedWithItsIdAndOUPath() async throws {
        let scenario = try SandboxScenario.named("scp-ou-deny")
        let recording = try await ScenarioRecordings.shared.recording(scenario.name)
        let parameters = recording.parameters
        do {
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: recording.replayRunner())
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")
            let reads = Self.organizationReads(session)
            #expect(reads.contains { $0.contains("list-parents") }, "\(reads)")
            for argv in reads {
                #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)")
            }
            let findings = session.findings
            #expect(findings.verdict == .explicitDeny, "\(session.notes)")
            #expect(findings.decidingStatement == "NoBucketDeletes")
            #expect(findings.decidingPolicy?.type == .serviceControlPolicy)
            let name = try #require(findings.decidingPolicy?.name)
            #expect(name.hasPrefix("DenyBucketDeletes (p-"), "\(name)")
            let why = try #require(findings.explanation)
            #expect(why.contains("at OU Workloads/Prod (ou-"), "\(why)")
            // The fix is the organization's to make: shown, never run by the session.
            let fix = try #require(session.analysis?.fix)
            #expect(fix.warnings.joined(separator: " ").contains("management account \(MotoSandbox.accountID)"), "\(fix.warnings)")
            #expect(!GuidedMotoRunbookTests.ran(session).contains { $0.outcome.argv.contains("update-policy") })
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func anOUWithoutAnAllowingSCPIsNamed() async throws {
        let scenario = try SandboxScenario.named("scp-missing-allow")
        let recording = try await ScenarioRecordings.shared.recording(scenario.name)
        let parameters = recording.parameters
        do {
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: recording.replayRunner())
            let findings = session.findings
            #expect(findings.verdict == .implicitDeny, "\(session.notes)")
            #expect(findings.decidingPolicy?.type == .serviceControlPolicy || findings.explanation?.contains("SCP") == true)
            let why = try #require(findings.explanation)
            #expect(why.contains("OU Workloads/Prod (ou-"), "\(why)")
            let fix = try #require(session.analysis?.fix)
            #expect(fix.warnings.joined(separator: " ").contains("management account \(MotoSandbox.accountID)"), "\(fix.warnings)")
        }
    }

    // The organization profile belongs to an account in no organization: the SCPs of the
    // member account are unknown, and erin's own Allow is not enough to decide. The sandbox is the
    // seeded one this test process shares: the test only adds a profile of its own name.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func refusedOrganizationReadsLeaveTheVerdictUndecided() async throws {
        let scenario = try SandboxScenario.named("scp-ou-deny")
        try await SharedSandboxes.reading(scenario: scenario.name) { sandbox, parameters in
            let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
            let assumed = try await seeder.run(["aws", "sts", "assume-role", "--role-arn", "arn:aws:iam::210987654321:role/Auditor",
                                                "--role-session-name", "outsider"])
            let credentials = try #require(assumed["Credentials"])
            let file = sandbox.directory.appendingPathComponent("credentials")
            // The shared file may hold the profile already (the test run again in this process).
            let text = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n[outsider]\n")[0]
            try (text + "\n[outsider]\naws_access_key_id = \(credentials["AccessKeyId"]?.stringValue ?? "")\naws_secret_access_key = \(credentials["SecretAccessKey"]?.stringValue ?? "")\naws_session_token = \(credentials["SessionToken"]?.stringValue ?? "")\n")
                .write(to: file, atomically: true, encoding: .utf8)
            let session = try await Self.run(scenario, sandbox, parameters, orgProfile: "outsider")
            let findings = session.findings
            #expect(findings.verdict == .undecided, "\(session.notes)")
            #expect(findings.decidingPolicy?.type == .serviceControlPolicy)
            let why = try #require(findings.explanation)
            #expect(why.contains("AWSOrganizationsNotInUseException"), "\(why)")
            #expect(why.contains("profile outsider"), "\(why)")
            #expect(session.headlessExitStatus == 3)
        }
    }
}

/// `snapshot` / `analyze --live` with an organization profile: the SCP levels of the member
/// account's path are written to the snapshot and decide the pasted denial when loaded back.
/// Reads only: the seeded sandbox this test process shares.
@Suite struct SCPLiveSnapshotMotoTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func theSnapshotHoldsTheSCPPathAndItDecides() async throws {
        let scenario = try SandboxScenario.named("scp-ou-deny")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scp-snapshot-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await SharedSandboxes.reading(scenario: scenario.name) { sandbox, parameters in
            var connection = sandbox.connection
            connection.profile = scenario.sessionProfile
            connection.organizationProfile = StagedOrganization.managementProfile
            let reads = BatchReadCache(wrapping: sandbox.runner().connected(to: connection))
            let runbook = try RunbookFixture.loaded(classifier: .bundled)
            let reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: MotoSandbox.region,
                                           organizationProfile: StagedOrganization.managementProfile)
            let principal = try #require(parameters["principal"])
            let member = try #require(parameters["account_id"])
            let result = await reader.read(principals: [principal], resources: ["arn:aws:s3:::prod-releases"],
                                           effects: { _ in reads }, homeAccount: member) { _ in }
            for argv in await reads.started {
                #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)")
            }
            try result.snapshot.write(to: folder)
            let loaded = try AccountSnapshot.load(from: folder)
            #expect(loaded.managementAccountId == MotoSandbox.accountID)
            #expect(loaded.serviceControlPolicies.map(\.level) == [0, 1, 2, 3])
            #expect(loaded.serviceControlPolicies[2].target.hasPrefix("OU Workloads/Prod (ou-"))
            #expect(loaded.serviceControlPolicies[2].policies.contains { $0.name.hasPrefix("DenyBucketDeletes (p-") })

            let pasted = PastedMessages.read(try #require(parameters["error_message"]), source: "pasted")
            let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(loaded))
            let message = try #require(pasted.messages.first)
            let request = try ReportedDenial.request(message: message.denial, parameters: [:], facts: [:])
            let analysis = analyzer.analyse(try DeniedRequest(reported: request, catalog: .bundled),
                                            errorMessage: message.denial.normalizedText)
            #expect(analysis.decision == .explicitDeny, "\(analysis.notes)")
            #expect(analysis.deciding?.result.deciding.statement?.statement.sid == "NoBucketDeletes")
        }
    }
}
