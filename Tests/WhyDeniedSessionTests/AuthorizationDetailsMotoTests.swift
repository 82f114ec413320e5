import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedRunbook
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Against moto (which implements GetAccountAuthorizationDetails): three principals with inline,
/// customer managed, group and boundary policies, read per principal and with the batch's one
/// `get-account-authorization-details`, give the same principals, groups and owner facts, with
/// fewer `aws` processes, every one read-only. (moto 5.2 keeps no user boundary and loads no AWS
/// managed policies by default: those are `BatchAuthorizationDetailsTests`' scripted answers.)
@Suite struct AuthorizationDetailsMotoTests {
    static let account = MotoSandbox.accountID
    static let allow = #"{"Version":"2012-10-17","Statement":[{"Sid":"ReadReports","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#
    static let boundary = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","athena:*"],"Resource":"*"}]}"#
    static let deny = #"{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}"#
    static let own = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::aad-bucket/own/*"}]}"#
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    /// Names of this test's own (the empty sandbox is shared by the test process).
    static let seeding: [[String]] = [
        ["aws", "iam", "create-policy", "--policy-name", "AADReadReports", "--policy-document", allow,
         "--tags", "Key=ManagedBy,Value=terraform"],
        ["aws", "iam", "create-policy", "--policy-name", "AADBoundary", "--path", "/boundaries/", "--policy-document", boundary],
        ["aws", "iam", "create-group", "--group-name", "AADAnalysts"],
        ["aws", "iam", "put-group-policy", "--group-name", "AADAnalysts", "--policy-name", "NoDeletes", "--policy-document", deny],
        ["aws", "iam", "attach-group-policy", "--group-name", "AADAnalysts", "--policy-arn", "arn:aws:iam::\(account):policy/AADReadReports"],
        ["aws", "iam", "create-user", "--user-name", "aad-alice", "--tags", "Key=team,Value=analytics"],
        ["aws", "iam", "put-user-policy", "--user-name", "aad-alice", "--policy-name", "Own", "--policy-document", own],
        ["aws", "iam", "add-user-to-group", "--user-name", "aad-alice", "--group-name", "AADAnalysts"],
        ["aws", "iam", "create-user", "--user-name", "aad-bob", "--path", "/contractors/"],
        ["aws", "iam", "attach-user-policy", "--user-name", "aad-bob", "--policy-arn", "arn:aws:iam::\(account):policy/AADReadReports"],
        ["aws", "iam", "create-role", "--role-name", "AADAnalystRole", "--assume-role-policy-document", trust,
         "--tags", "Key=owner,Value=data-platform"],
        ["aws", "iam", "put-role-policy", "--role-name", "AADAnalystRole", "--policy-name", "NoDeletes", "--policy-document", deny],
        ["aws", "iam", "attach-role-policy", "--role-name", "AADAnalystRole", "--policy-arn", "arn:aws:iam::\(account):policy/AADReadReports"],
        ["aws", "iam", "put-role-permissions-boundary", "--role-name", "AADAnalystRole",
         "--permissions-boundary", "arn:aws:iam::\(account):policy/boundaries/AADBoundary"],
    ]
    static let principals = ["arn:aws:iam::\(account):user/aad-alice", "arn:aws:iam::\(account):user/contractors/aad-bob",
                             "arn:aws:sts::\(account):assumed-role/AADAnalystRole/session-1"]

    static let seeded = SharedSandboxes.Preparation(name: "authorization-details") { sandbox in
        let seeder = ScenarioSeeder(runner: sandbox.runner(), workDirectory: sandbox.directory)
        for argv in seeding { _ = try await seeder.run(argv) }
    }

    static func read(_ sandbox: MotoSandbox, authorizationDetails: Bool) async throws -> (result: LiveAccountReader.Result, started: [[String]]) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: MotoSandbox.region)
        reader.readsAuthorizationDetails = authorizationDetails
        let reads = BatchReadCache(wrapping: sandbox.runner())
        let result = await reader.read(principals: principals, resources: [], effects: { _ in reads }, homeAccount: account) { _ in }
        return (result, await reads.started)
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, LiveSnapshotMotoTests.motoMissing))
    func bothWaysGiveTheSamePrincipals() async throws {
        try await SharedSandboxes.reading(scenario: nil, prepared: Self.seeded) { sandbox, _ in
            let each = try await Self.read(sandbox, authorizationDetails: false)
            let batch = try await Self.read(sandbox, authorizationDetails: true)
            #expect(each.result.notes.isEmpty, "\(each.result.notes)")
            #expect(batch.result.notes.isEmpty, "\(batch.result.notes)")
            #expect(batch.started.contains(AccountAuthorizationDetails.argv))
            #expect(!each.started.contains(AccountAuthorizationDetails.argv))

            let perPrincipal = each.result.snapshot
            let answered = batch.result.snapshot
            #expect(perPrincipal.principals.count == 3)
            #expect(answered.principals == perPrincipal.principals)
            #expect(answered.groups == perPrincipal.groups)
            #expect(Set(answered.ownerFacts) == Set(perPrincipal.ownerFacts))
            // What the principals hold, spelled out: a comparison of two empty reads would pass too.
            let alice = try #require(answered.principals.first { $0.arn.hasSuffix("user/aad-alice") })
            #expect(alice.policies.map(\.name) == ["Own", "AADReadReports"])
            #expect(alice.tags == ["team": "analytics"])
            #expect(answered.groups.first { $0.arn.hasSuffix("group/AADAnalysts") }?.policies.map(\.name) == ["NoDeletes"])
            #expect(answered.principals.first { $0.arn.hasSuffix("aad-bob") }?.policies.map(\.name) == ["AADReadReports"])
            let role = try #require(answered.principals.first { $0.arn.contains("AADAnalystRole") })
            #expect(role.policies.map(\.name) == ["NoDeletes", "AADReadReports"])
            #expect(role.permissionsBoundary?.name == "AADBoundary")
            #expect(answered.ownerFacts.first { $0.arn.hasSuffix("policy/AADReadReports") }?.tags.map(\.key) == ["ManagedBy"])

            // Fewer processes, each read-only, none twice.
            #expect(batch.started.count < each.started.count, "\(batch.started.count) vs \(each.started.count)")
            for argv in batch.started {
                #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)")
            }
            #expect(Set(batch.started).count == batch.started.count)
            print("AuthorizationDetailsMotoTests: aws processes per principal \(each.started.count), with get-account-authorization-details \(batch.started.count)")
        }
    }
}
