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

/// Issue 14 §1: the RCPs of the account that owns a resource in another account are read on that
/// account's own organization path (step `check_resource_account_rcps`), not only named as an
/// unread stand-in. Against moto: two accounts of one organization (the scp-ou-deny staging: the
/// management account 123456789012 and member account workloads-prod in OU Workloads/Prod),
/// and, for the refused walk, the cross-account-bucket staging whose bucket account is in no
/// organization (moto answers list-parents with AccountNotFoundException, AWS with
/// ChildNotFoundException: both say the account is not in this organization).
@Suite struct ResourceAccountRCPMotoTests {
    static let caller = "arn:aws:iam::\(MotoSandbox.accountID):user/ana"

    static func seeder(_ sandbox: MotoSandbox, profile: String) -> ScenarioSeeder {
        var connection = sandbox.connection
        connection.profile = profile
        return ScenarioSeeder(runner: sandbox.seedingRunner().connected(to: connection), workDirectory: sandbox.directory)
    }

    /// A session as the management account, the bucket's reads as its owner, the organization
    /// reads as the management account.
    static func run(_ parameters: [String: String], sandbox: MotoSandbox) async throws -> GuidedSession {
        var connection = sandbox.connection
        connection.profile = StagedOrganization.managementProfile
        connection.organizationProfile = StagedOrganization.managementProfile
        return try await GuidedMotoRunbookTests.run(parameters, effects: sandbox.runner().connected(to: connection))
    }

    /// The walk's commands as the runbook wrote them (without the connection's `--output`, `--profile`, … the runner adds).
    static func walked(_ session: GuidedSession) -> [[String]] {
        GuidedMotoRunbookTests.ran(session).filter { $0.id.hasPrefix("check_resource_account_rcps.") }
            .map { Array($0.outcome.argv.prefix { $0 != "--output" }) }
    }

    // User ana of the management account may read prod-releases (her policy and the bucket's
    // both allow), a bucket of member account workloads-prod; RCP DenyReleaseReads on OU Prod, the
    // bucket account's OU, denies s3:GetObject to everyone: the RCP decides, named with its id and OU.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func anRCPOnTheBucketAccountsOUDecidesACrossAccountRead() async throws {
        try await MotoTestSandbox.with(scenario: "scp-ou-deny") { sandbox, staged in
            let member = try #require(staged["account_id"])
            let management = Self.seeder(sandbox, profile: StagedOrganization.managementProfile)
            try await management.run(["aws", "iam", "create-user", "--user-name", "ana"])
            try await management.run(["aws", "iam", "put-user-policy", "--user-name", "ana", "--policy-name", "ReadReleases", "--policy-document",
                                      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-releases/*"}]}"#])
            try await Self.seeder(sandbox, profile: StagedOrganization.memberProfile).run([
                "aws", "s3api", "put-bucket-policy", "--bucket", "prod-releases", "--policy",
                #"{"Version":"2012-10-17","Statement":[{"Sid":"ManagementReads","Effect":"Allow","Principal":{"AWS":"\#(Self.caller)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-releases/*"}]}"#])
            let parents = try await management.run(["aws", "organizations", "list-parents", "--child-id", member])
            let prod = try #require(parents["Parents"]?[0]?["Id"]?.stringValue)
            let created = try await management.run(["aws", "organizations", "create-policy", "--name", "DenyReleaseReads",
                                                    "--description", "no release reads", "--type", "RESOURCE_CONTROL_POLICY", "--content",
                                                    #"{"Version":"2012-10-17","Statement":[{"Sid":"NoReleaseReads","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#])
            let rcp = try #require(created["Policy"]?["PolicySummary"]?["Id"]?.stringValue)
            try await management.run(["aws", "organizations", "attach-policy", "--policy-id", rcp, "--target-id", prod])

            var parameters = staged
            parameters["principal"] = Self.caller
            parameters["account_id"] = MotoSandbox.accountID
            parameters["action"] = "s3:GetObject"
            parameters["resource"] = "arn:aws:s3:::prod-releases/v1.tar.gz"
            parameters["resource_profile"] = StagedOrganization.memberProfile
            parameters["error_message"] = "User: \(Self.caller) is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::prod-releases/v1.tar.gz\" with an explicit deny in a resource control policy"
            let session = try await Self.run(parameters, sandbox: sandbox)

            #expect(session.engine.facts["resource.other_account"]?.stringValue == member, "\(session.notes)")
            let walked = Self.walked(session)
            #expect(walked.contains(["aws", "organizations", "list-parents", "--child-id", member]), "\(walked)")
            #expect(walked.contains { $0.contains(member) && $0.contains("RESOURCE_CONTROL_POLICY") }, "\(walked)")
            // Only the RCPs: the bucket account's SCPs do not restrict a caller from another account.
            #expect(!walked.contains { $0.contains("SERVICE_CONTROL_POLICY") }, "\(walked)")
            for argv in walked { #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)") }
            let findings = session.findings
            #expect(findings.verdict == .explicitDeny, "\(session.notes)")
            #expect(findings.decidingPolicy?.type == .resourceControlPolicy, "\(String(describing: findings.decidingPolicy))")
            #expect(findings.decidingPolicy?.name == "DenyReleaseReads (\(rcp))", "\(String(describing: findings.decidingPolicy))")
            #expect(findings.decidingStatement == "NoReleaseReads")
            #expect(findings.explanation?.contains("OU Workloads/Prod (\(prod))") == true, "\(findings.explanation ?? "")")

            // A snapshot of the caller and the bucket (read as its owner) keeps the bucket account's
            // RCP path; loaded back, it gives the same verdict offline.
            var home = sandbox.connection
            home.profile = StagedOrganization.managementProfile
            home.organizationProfile = StagedOrganization.managementProfile
            var owner = home
            owner.profile = StagedOrganization.memberProfile
            let runbook = try RunbookFixture.loaded(classifier: .bundled)
            let reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: MotoSandbox.region,
                                           organizationProfile: StagedOrganization.managementProfile)
            let result = await reader.read(principals: [Self.caller], resources: ["arn:aws:s3:::prod-releases"],
                                           effects: { _ in sandbox.runner().connected(to: home) },
                                           resourceEffects: { _ in sandbox.runner().connected(to: owner) },
                                           homeAccount: MotoSandbox.accountID) { _ in }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resource-rcp-snapshot-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: folder) }
            try result.snapshot.write(to: folder)
            let loaded = try AccountSnapshot.load(from: folder)
            let path = try #require(loaded.resourceAccountControlPolicies.first, "\(result.notes)")
            #expect(path.accountId == member)
            #expect(path.unread == nil, "\(String(describing: path.unread))")
            #expect(path.levels.map(\.level) == [0, 1, 2, 3])
            #expect(path.levels[2].target == "OU Workloads/Prod (\(prod))")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("organization/rcp/\(rcp).json").path))
            let pasted = PastedMessages.read(try #require(parameters["error_message"]), source: "pasted")
            let message = try #require(pasted.messages.first)
            var request = try ReportedDenial.request(message: message.denial, parameters: [:], facts: [:])
            request.resourceAccount = member
            let offline = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(loaded))
                .analyse(try DeniedRequest(reported: request, catalog: .bundled), errorMessage: message.denial.normalizedText)
            #expect(offline.decision == .explicitDeny, "\(offline.notes)")
            #expect(offline.deciding?.result.deciding.statement?.statement.sid == "NoReleaseReads")
        }
    }

    // The bucket's account is in no organization the reads can see: the walk is refused, the
    // RCPs stay unknown and the verdict (both policies allow) is Undecided, saying why.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func aBucketAccountOutsideTheOrganizationLeavesItsRCPsUnknownAndSaysWhy() async throws {
        try await MotoTestSandbox.with(scenario: "cross-account-bucket") { sandbox, staged in
            let management = Self.seeder(sandbox, profile: StagedOrganization.managementProfile)
            try await management.run(["aws", "organizations", "create-organization", "--feature-set", "ALL"])
            let role = "arn:aws:iam::\(MotoSandbox.accountID):role/ReportingRole"
            try await Self.seeder(sandbox, profile: SandboxScenario.partnerProfile).run([
                "aws", "s3api", "put-bucket-policy", "--bucket", "partner-shared-data", "--policy",
                #"{"Version":"2012-10-17","Statement":[{"Sid":"ReportingReads","Effect":"Allow","Principal":{"AWS":"\#(role)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-shared-data/*"}]}"#])
            var parameters = staged
            parameters["org_profile"] = StagedOrganization.managementProfile
            let session = try await Self.run(parameters, sandbox: sandbox)

            let partner = SandboxScenario.partnerAccount
            let walked = Self.walked(session)
            #expect(walked == [["aws", "organizations", "list-parents", "--child-id", partner]], "\(walked)")
            let findings = session.findings
            #expect(findings.verdict == .undecided, "\(session.notes)")
            let why = try #require(findings.explanation)
            #expect(why.contains("RCPs on the path of account \(partner)"), "\(why)")
            #expect(why.contains("account \(partner) is not in the organization the organization reads are made in"), "\(why)")
            #expect(why.contains("AccountNotFoundException"), "\(why)")
        }
    }
}
