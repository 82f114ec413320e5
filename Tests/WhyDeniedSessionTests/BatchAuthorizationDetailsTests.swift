import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTestSupport

/// A batch with several principals of one account reads their policies with one `aws iam
/// get-account-authorization-details` instead of each principal's reads; refused (the operator
/// lacks iam:GetAccountAuthorizationDetails), it reads per principal and says so; one principal
/// keeps its own reads. Scripted answers (`GuidedFakeAWS`): moto never refuses.
@Suite struct BatchAuthorizationDetailsTests {
    static let principals = ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/contractors/bob",
                             "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/ana"]
    static let refusal = "An error occurred (AccessDenied) when calling the GetAccountAuthorizationDetails operation: "
        + "User: arn:aws:iam::111122223333:user/ci-deployer is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *"

    static func reader() throws -> LiveAccountReader {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        return LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: "us-east-1", concurrency: 1)
    }

    /// The fixture's account: the answer, get-policy of any ARN, and the AWS managed policy's version.
    static func answeringAccount() throws -> GuidedFakeAWS {
        let details = try AccountAuthorizationDetailsTests.fixture().serialized()
        return GuidedFakeAWS(answers: [
            "iam get-account-authorization-details": GuidedFakeAWS.ok(details),
            "iam get-policy": { argv in
                let arn = argv[argv.firstIndex(of: "--policy-arn")! + 1]
                let version = arn.hasSuffix("AnalystS3ReadOnly") ? "v2" : "v1"
                return GuidedFakeAWS.ok(#"{"Policy": {"Arn": "\#(arn)", "Path": "/", "DefaultVersionId": "\#(version)", "AttachmentCount": 1}}"#)(argv)
            },
            "iam get-policy-version": GuidedFakeAWS.ok(#"""
                {"PolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true,
                 "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]}}}
                """#),
            "organizations describe-organization": GuidedFakeAWS.error(
                "An error occurred (AWSOrganizationsNotInUseException) when calling the DescribeOrganization operation: "
                + "Your account is not a member of an organization."),
        ])
    }

    static let perPrincipalOperations: Set<String> = [
        "iam get-user", "iam get-role", "iam list-attached-user-policies", "iam list-user-policies", "iam list-groups-for-user",
        "iam list-attached-role-policies", "iam list-role-policies", "iam get-user-policy", "iam get-role-policy",
        "iam list-attached-group-policies", "iam list-group-policies", "iam get-group-policy",
    ]

    @Test func severalPrincipalsOfAnAccountAreReadWithOneAnswer() async throws {
        let fake = try Self.answeringAccount()
        let cache = BatchReadCache(wrapping: fake)
        let result = await (try Self.reader()).read(principals: Self.principals, resources: [], effects: { _ in cache },
                                                    homeAccount: "111122223333") { _ in }
        let operations = fake.operations()
        #expect(operations.filter { $0 == "iam get-account-authorization-details" }.count == 1)
        #expect(Set(operations).isDisjoint(with: Self.perPrincipalOperations), "\(operations)")
        // Each managed policy once: get-policy for its tags; a version only for the AWS managed one, not in the answer.
        #expect(fake.calls.filter { $0.contains("get-policy") }.map { $0[4] }.sorted()
                == ["arn:aws:iam::111122223333:policy/AnalystBoundary", "arn:aws:iam::111122223333:policy/AnalystS3ReadOnly",
                    "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        #expect(fake.calls.filter { $0.contains("get-policy-version") }.map { $0[4] } == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        #expect(result.notes.isEmpty, "\(result.notes)")
        let byName = Dictionary(uniqueKeysWithValues: result.snapshot.principals.map { ($0.arn.split(separator: "/").last.map(String.init)!, $0) })
        #expect(byName["alice"]?.policies.map(\.name) == ["OwnReports", "AnalystS3ReadOnly"])
        #expect(byName["bob"]?.policies.map(\.name) == ["ReadOnlyAccess"])
        let role = try #require(result.snapshot.principals.first { $0.arn.contains("DataAnalystRole") }, "\(result.snapshot.principals.map(\.arn))")
        #expect(role.policies.map(\.name) == ["DenyRawZone", "AnalystS3ReadOnly"])
        #expect(role.permissionsBoundary?.name == "AnalystBoundary")
        #expect(result.snapshot.groups.map(\.arn) == ["arn:aws:iam::111122223333:group/Analysts"])
        // The organization reads still ran: the answer holds no SCPs.
        #expect(operations.contains("organizations describe-organization"))
    }

    @Test func refusedTheBatchReadsEachPrincipalAndSaysSo() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam get-account-authorization-details"] = GuidedFakeAWS.error(Self.refusal)
        let fake = GuidedFakeAWS(answers: answers)
        let cache = BatchReadCache(wrapping: fake)
        let principals = ["arn:aws:iam::111122223333:user/ci-deployer", "arn:aws:iam::111122223333:user/ci-other"]
        let result = await (try Self.reader()).read(principals: principals, resources: [], effects: { _ in cache },
                                                    homeAccount: "111122223333") { _ in }
        #expect(fake.operations().filter { $0 == "iam get-account-authorization-details" }.count == 1)
        #expect(fake.calls.filter { $0.starts(with: ["aws", "iam", "get-user"]) }.count == 2)
        #expect(result.notes.contains { $0.contains("get-account-authorization-details") && $0.contains("was refused")
                && $0.contains("read with its own reads") }, "\(result.notes)")
        #expect(result.snapshot.principals.count == 2)
        #expect(result.snapshot.principals.allSatisfy { !$0.policies.isEmpty })
    }

    @Test func anAnswerThatCannotBeReadFallsBackToo() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam get-account-authorization-details"] = GuidedFakeAWS.ok(#"{"Users": []}"#)
        let fake = GuidedFakeAWS(answers: answers)
        let cache = BatchReadCache(wrapping: fake)
        let principals = ["arn:aws:iam::111122223333:user/ci-deployer", "arn:aws:iam::111122223333:user/ci-other"]
        let result = await (try Self.reader()).read(principals: principals, resources: [], effects: { _ in cache },
                                                    homeAccount: "111122223333") { _ in }
        #expect(fake.calls.filter { $0.starts(with: ["aws", "iam", "get-user"]) }.count == 2)
        #expect(result.notes.contains { $0.contains("could not be read") && $0.contains("read with its own reads") }, "\(result.notes)")
    }

    @Test func aPrincipalMissingFromTheAnswerIsReadOnItsOwn() async throws {
        let fake = try Self.answeringAccount()
        for (operation, answer) in CIDeployerCase.answers() where Self.perPrincipalOperations.contains(operation) {
            fake.setAnswer(operation, answer)
        }
        let cache = BatchReadCache(wrapping: fake)
        let principals = [Self.principals[0], "arn:aws:iam::111122223333:user/ci-deployer"]
        let result = await (try Self.reader()).read(principals: principals, resources: [], effects: { _ in cache },
                                                    homeAccount: "111122223333") { _ in }
        #expect(fake.calls.filter { $0.starts(with: ["aws", "iam", "get-user"]) }.map { $0.last } == ["ci-deployer"])
        #expect(result.snapshot.principals.count == 2)
    }

    @Test func onePrincipalKeepsItsOwnReads() async throws {
        let fake = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let cache = BatchReadCache(wrapping: fake)
        _ = await (try Self.reader()).read(principals: [CIDeployerCase.parameters["principal"]!], resources: [],
                                           effects: { _ in cache }, homeAccount: "111122223333") { _ in }
        #expect(!fake.operations().contains("iam get-account-authorization-details"))
        #expect(fake.operations().contains("iam get-user"))
    }
}
