import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Real events for the two verdicts issue 13 §5 names, copied byte-for-byte (re-indented) from
/// ../shared/data/cloudtrail-real (index.md there gives provenance):
/// - `real/panther-vpce-access-denied-awsaccount.json`: panther-labs/panther-analysis @
///   daa10c888566839e9918dfba1cd652743781e5fe, rules/aws_cloudtrail_rules/aws_vpce_access_denied.yml,
///   test "VPC Endpoint Access Denied" (line 414 of panther_cloudtrail_test_events.jsonl): an S3
///   GetObject by a `userIdentity.type` `AWSAccount` caller (`AROAEXAMPLE:session-name` of
///   111111111111) on a bucket of 222222222222.
/// - `real/stratus-runinstances-unauthorized.json`: DataDog/stratus-red-team @
///   7c9a7a5a63dc370260a6528dd0d30476854806c1, docs/detonation-logs/aws.execution.ec2-launch-unusual-instances.json:
///   a `Client.UnauthorizedOperation` RunInstances (anonymized: the message's account differs
///   from recipientAccountId, the region is rewritten to `ca-south-3r`).
enum RealEvents {
    static func load(_ name: String) throws -> CloudTrailEvent {
        let url = AnalysisFixtures.directory.appendingPathComponent("real/\(name)")
        return try CloudTrailEvent(record: try JSONValue.parse(try Data(contentsOf: url)))
    }

    static func awsAccountCaller() throws -> CloudTrailEvent { try load("panther-vpce-access-denied-awsaccount.json") }
    static func runInstances() throws -> CloudTrailEvent { try load("stratus-runinstances-unauthorized.json") }

    /// A snapshot folder on disk (index.json + files), so the tests read the documented format.
    static func snapshot(index: String, files: [String: String]) throws -> SnapshotPolicySets {
        let directory = try AnalysisFixtures.temporaryDirectory()
        try Data(index.utf8).write(to: directory.appendingPathComponent("index.json"))
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return SnapshotPolicySets(try AccountSnapshot.load(from: directory))
    }
}

@Suite struct AccountOnlyCallerTests {
    static let bucketPolicyGrantingNoOne = #"{"Version":"2012-10-17","Statement":[{"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}]}"#
    static let readerPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#

    /// The resource account's snapshot: the bucket policy, and (when `withRole`) the caller's
    /// role, recorded with its unique id as `get-role` gives it (`Role.RoleId`).
    static func sets(withRole: Bool, bucketPolicy: String = bucketPolicyGrantingNoOne) throws -> SnapshotPolicySets {
        let role = withRole
            ? #"{"arn": "arn:aws:iam::111111111111:role/team/Reader", "uniqueId": "AROAEXAMPLE", "policies": [{"name": "read", "file": "read.json"}]}"#
            : ""
        let index = #"""
        {"format": "whydenied-account-snapshot", "formatVersion": 1, "accountId": "222222222222",
         "principals": [\#(role)],
         "resourcePolicies": [{"resourceArn": "arn:aws:s3:::example-bucket", "kind": "s3BucketPolicy", "name": "bucket", "file": "bucket.json"}]}
        """#
        return try RealEvents.snapshot(index: index, files: ["read.json": readerPolicy, "bucket.json": bucketPolicy])
    }

    @Test func anAWSAccountCallerIsNotTheOtherAccountsRoot() throws {
        let denied = try DeniedRequest(event: try RealEvents.awsAccountCaller(), catalog: .bundled)
        #expect(denied.principal.kind != .root)
        #expect(denied.principal.account == "111111111111")
        #expect(denied.principal.arn != "arn:aws:iam::111111111111:root")
        #expect(denied.isCrossAccount)
        #expect(denied.notes.contains { $0.contains("unknown beyond its account") })
    }

    @Test func theUniqueIdFindsTheRoleInTheSnapshotAndTheFixNamesIt() throws {
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: try Self.sets(withRole: true))
            .analyse(try RealEvents.awsAccountCaller())
        let denied = try #require(analysis.denied)
        #expect(denied.principal.kind == .assumedRole)
        #expect(denied.principal.roleArn == "arn:aws:iam::111111111111:role/team/Reader")
        #expect(denied.notes.contains { $0.contains("AROAEXAMPLE") && $0.contains("role/team/Reader") })
        let fix = try #require(analysis.fix)
        let add = try #require(fix.policiesToAdd.first { $0.target == .resourcePolicy })
        #expect(add.policy["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue == "arn:aws:iam::111111111111:role/team/Reader")
        #expect(!fix.warnings.contains { $0.contains("administrators of account 111111111111") })
    }

    @Test func anUnmatchedCallerGetsAnAccountGrantNarrowedToItsIdAndAWarning() throws {
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: try Self.sets(withRole: false))
            .analyse(try RealEvents.awsAccountCaller())
        #expect(analysis.decision == .implicitDeny)
        let fix = try #require(analysis.fix)
        let add = try #require(fix.policiesToAdd.first { $0.target == .resourcePolicy })
        let statement = try #require(add.policy["Statement"]?[0])
        #expect(statement["Principal"]?["AWS"]?.stringValue == "arn:aws:iam::111111111111:root")
        // The unique id from the event narrows the account grant to that role's sessions.
        #expect(statement["Condition"]?["StringLike"]?["aws:userid"]?.stringValue == "AROAEXAMPLE:*")
        #expect(add.reasons.contains { $0.element.hasSuffix("Principal.AWS") && $0.reason.contains("unknown beyond its account") })
        #expect(fix.warnings.contains { $0.contains("administrators of account 111111111111") })
        // Nothing claims the caller is the root user.
        #expect(!analysis.notes.contains { $0.contains("root user is allowed everything") })
        #expect(!(analysis.deciding?.result.notes.contains { $0.contains("root user") } ?? false))
    }

    @Test func aStatementNamingAnotherPrincipalOfTheAccountLeavesTheVerdictOpen() throws {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/Partner"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: try Self.sets(withRole: false, bucketPolicy: policy))
            .analyse(try RealEvents.awsAccountCaller())
        // The caller may be role/Partner or not: the answer depends on who it was.
        #expect(analysis.decision == .undecided)
        #expect(analysis.deciding?.result.missingContextKeys.contains("aws:PrincipalArn") == true)
    }

    @Test func aDenyIsLiftedForTheCallersUniqueIdNotForItsPrincipalId() throws {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"NoOutsiders","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}]}"#
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: try Self.sets(withRole: false, bucketPolicy: policy))
            .analyse(try RealEvents.awsAccountCaller())
        #expect(analysis.decision == .explicitDeny)
        let edit = try #require(analysis.fix?.denyEdits.first)
        let condition = edit.editedStatement?["Condition"]
        #expect(condition?["StringNotLike"]?["aws:userid"]?.stringValue == "AROAEXAMPLE:*")
        #expect(condition?["ArnNotEquals"] == nil)
    }

    @Test func theSnapshotFormatKeepsUniqueIds() throws {
        let sets = try Self.sets(withRole: true)
        let directory = try AnalysisFixtures.temporaryDirectory()
        try sets.snapshot.write(to: directory)
        let index = try JSONValue.parse(try Data(contentsOf: directory.appendingPathComponent("index.json")))
        #expect(index["principals"]?[0]?["uniqueId"]?.stringValue == "AROAEXAMPLE")
    }
}

@Suite struct MultiResourceTypeFixTests {
    /// Every statement resource of a fix's first policy to add.
    static func resources(_ fix: LeastPrivilegeFix) throws -> [String] {
        let add = try #require(fix.policiesToAdd.first)
        return PolicyJSONEditing.statements(of: add.policy).flatMap { PolicyJSONEditing.stringList($0["Resource"]) }
    }

    static func expectedRequired(instanceAccount: String = "751353041310") -> [String] { [
        "arn:aws:ec2:ca-south-3r:\(instanceAccount):instance/*",
        "arn:aws:ec2:ca-south-3r::image/ami-aCBbfd13bdb1d1E4b",
        "arn:aws:ec2:ca-south-3r:900138736586:subnet/subnet-0e540f0c7ffb48ae9",
        "arn:aws:ec2:ca-south-3r:900138736586:security-group/*",
        "arn:aws:ec2:ca-south-3r:900138736586:network-interface/*",
    ] }

    @Test func runInstancesFromTheMessageCoversEveryRequiredResourceType() throws {
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: nil).analyse(try RealEvents.runInstances())
        let fix = try #require(analysis.fix)
        let resources = try Self.resources(fix)
        for arn in Self.expectedRequired() { #expect(resources.contains(arn), "missing \(arn)") }
        #expect(!resources.contains("*"))
        let reasons = try #require(fix.policiesToAdd.first).reasons.filter { $0.element.contains("Resource") }
        func reason(_ value: String) -> String { reasons.first { $0.value == value }?.reason.lowercased() ?? "" }
        #expect(reason("arn:aws:ec2:ca-south-3r::image/ami-aCBbfd13bdb1d1E4b").contains("from the event"))
        #expect(reason("arn:aws:ec2:ca-south-3r:900138736586:security-group/*").contains("template"))
        #expect(reason("arn:aws:ec2:ca-south-3r:900138736586:security-group/*").contains("security-group"))
        #expect(reason("arn:aws:ec2:ca-south-3r:751353041310:instance/*").contains("error message"))
    }

    @Test func runInstancesWithSnapshotCoversEveryRequiredTypeAndTheKeyPairItNames() throws {
        // The real event with a key pair added to its parameters, and the message's account made
        // the recipient's again (the anonymizer rewrote them apart), constructed for this test.
        let event = try RealEvents.runInstances()
        guard case .object(var parameters)? = event.requestParameters else { Issue.record("no parameters"); return }
        parameters["keyName"] = .string("ops-key")
        var withKey = event
        withKey.requestParameters = .object(parameters)
        withKey.errorMessage = event.errorMessage?.replacingOccurrences(of: "751353041310", with: "900138736586")

        let role = "arn:aws:iam::900138736586:role/stratus-red-team-ec2lui-role-idtzskbvtd"
        let index = #"""
        {"format": "whydenied-account-snapshot", "formatVersion": 1, "accountId": "900138736586",
         "principals": [{"arn": "\#(role)", "uniqueId": "AROA13YEHY3VAS32TD341", "policies": [{"name": "describe", "file": "describe.json"}]}]}
        """#
        let describe = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: try RealEvents.snapshot(index: index, files: ["describe.json": describe]))
            .analyse(withKey)
        #expect(analysis.decision == .implicitDeny)
        let fix = try #require(analysis.fix)
        let resources = try Self.resources(fix)
        for arn in Self.expectedRequired(instanceAccount: "900138736586") { #expect(resources.contains(arn), "missing \(arn)") }
        #expect(resources.contains("arn:aws:ec2:ca-south-3r:900138736586:key-pair/ops-key"))
        #expect(fix.policiesToAdd.first?.attachmentTargetArn == role)
    }

    @Test func singleResourceActionsAreUnchanged() throws {
        let denied = try DeniedRequest(event: try RequestTests.seedEvent(), catalog: .bundled)
        let (statements, _) = LeastPrivilegeRecommender(catalog: .bundled)
            .allowStatements(for: denied.requests, denied: denied, principal: nil, sidBase: "X")
        #expect(statements.flatMap { PolicyJSONEditing.stringList($0["Resource"]) } == ["arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv"])
    }
}
