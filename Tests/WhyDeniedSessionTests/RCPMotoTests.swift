import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 14 §1: RCPs on the resource account's path are read, not only named. The scp-ou-deny
/// organization with its SCP detached and an RCP denying s3:DeleteBucket attached to OU Prod
/// instead: the bucket is the member account's, so the RCP decides, named with its id and the OU.
@Suite struct RCPMotoTests {
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func anRCPDenyOnAnOUIsReadNamedAndKeptInTheSnapshot() async throws {
        let scenario = try SandboxScenario.named("scp-ou-deny")
        try await MotoTestSandbox.with(scenario: scenario.name) { sandbox, staged in
            let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
            let scps = try await seeder.run(["aws", "organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY"])
            let scp = try #require(scps["Policies"]?.arrayValue?.first { $0["Name"]?.stringValue == "DenyBucketDeletes" }?["Id"]?.stringValue)
            let targets = try await seeder.run(["aws", "organizations", "list-targets-for-policy", "--policy-id", scp])
            let prod = try #require(targets["Targets"]?[0]?["TargetId"]?.stringValue)
            try await seeder.run(["aws", "organizations", "detach-policy", "--policy-id", scp, "--target-id", prod])
            let created = try await seeder.run(["aws", "organizations", "create-policy", "--name", "DenyBucketDeletesRCP",
                                                "--description", "no bucket deletes", "--type", "RESOURCE_CONTROL_POLICY", "--content",
                                                #"{"Version":"2012-10-17","Statement":[{"Sid":"NoBucketDeletesRCP","Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}]}"#])
            let rcp = try #require(created["Policy"]?["PolicySummary"]?["Id"]?.stringValue)
            try await seeder.run(["aws", "organizations", "attach-policy", "--policy-id", rcp, "--target-id", prod])
            var parameters = staged
            parameters["error_message"] = try #require(staged["error_message"])
                .replacingOccurrences(of: "in a service control policy", with: "in a resource control policy")

            // One batch of reads for the session and the snapshot after it: the snapshot's reads
            // are the session's own, answered again without starting aws.
            var connection = sandbox.connection
            connection.profile = scenario.sessionProfile
            connection.organizationProfile = StagedOrganization.managementProfile
            let batch = BatchReadCache(wrapping: sandbox.runner().connected(to: connection))
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: batch)
            let reads = SCPScenarioMotoTests.organizationReads(session)
            #expect(reads.contains { $0.contains("RESOURCE_CONTROL_POLICY") }, "\(reads)")
            for argv in reads { #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)") }
            let findings = session.findings
            #expect(findings.verdict == .explicitDeny, "\(session.notes)")
            #expect(findings.decidingPolicy?.type == .resourceControlPolicy, "\(String(describing: findings.decidingPolicy))")
            #expect(findings.decidingStatement == "NoBucketDeletesRCP")
            #expect(findings.decidingPolicy?.name.hasPrefix("DenyBucketDeletesRCP (p-") == true, "\(String(describing: findings.decidingPolicy))")
            #expect(findings.explanation?.contains("OU Workloads/Prod (ou-") == true, "\(findings.explanation ?? "")")

            // The snapshot keeps the RCP path, and the loaded snapshot gives the same verdict.
            let startedBefore = await batch.started.count
            let runbook = try RunbookFixture.loaded(classifier: .bundled)
            let reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: MotoSandbox.region,
                                           organizationProfile: StagedOrganization.managementProfile)
            let member = try #require(parameters["account_id"])
            let result = await reader.read(principals: [try #require(parameters["principal"])], resources: ["arn:aws:s3:::prod-releases"],
                                           effects: { _ in batch }, homeAccount: member) { _ in }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcp-snapshot-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: folder) }
            try result.snapshot.write(to: folder)
            let loaded = try AccountSnapshot.load(from: folder)
            // Only what the session did not read (the bucket's reader-account look-up) started aws.
            let startedAfter = await batch.started
            #expect(startedAfter.count - startedBefore <= 2, "\(startedAfter.suffix(startedAfter.count - startedBefore))")
            #expect(loaded.resourceControlPolicies.map(\.level) == [0, 1, 2, 3], "\(result.notes)")
            #expect(loaded.resourceControlPolicies[2].policies.contains { $0.name.hasPrefix("DenyBucketDeletesRCP (p-") })
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("organization/rcp/\(rcp).json").path))
            let pasted = PastedMessages.read(try #require(parameters["error_message"]), source: "pasted")
            let message = try #require(pasted.messages.first)
            let request = try ReportedDenial.request(message: message.denial, parameters: [:], facts: [:])
            let offline = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(loaded))
                .analyse(try DeniedRequest(reported: request, catalog: .bundled), errorMessage: message.denial.normalizedText)
            #expect(offline.decision == .explicitDeny, "\(offline.notes)")
            #expect(offline.deciding?.result.deciding.statement?.statement.sid == "NoBucketDeletesRCP")
        }
    }
}
