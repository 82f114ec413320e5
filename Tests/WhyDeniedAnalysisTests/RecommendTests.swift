import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Builds small snapshots in code for the recommendation and batch tests.
enum SnapshotBuilder {
    static let account = "111122223333"
    static let roleArn = "arn:aws:iam::111122223333:role/DataAnalystRole"

    static func policy(_ name: String, _ json: String, arn: String? = nil, attachedTo: String = roleArn) -> SnapshotPolicy {
        // The fixtures below are valid JSON; a parse failure is a test bug and shows as a null document.
        SnapshotPolicy(name: name, arn: arn, attachedTo: attachedTo, file: "p/\(name).json",
                       document: (try? JSONValue.parse(json)) ?? .null)
    }

    static func sets(identity: [SnapshotPolicy] = [], boundary: SnapshotPolicy? = nil, bucketPolicy: String? = nil,
                     scps: [OrganizationPolicyLevel] = [], accountId: String = account) -> SnapshotPolicySets {
        let resources = bucketPolicy.map {
            [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::analytics-data-bucket", kind: .s3BucketPolicy,
                                    policy: policy("bucket", $0, attachedTo: "arn:aws:s3:::analytics-data-bucket"))]
        } ?? []
        return SnapshotPolicySets(AccountSnapshot(
            accountId: accountId,
            principals: [SnapshotPrincipal(arn: roleArn, policies: identity, permissionsBoundary: boundary)],
            resourcePolicies: resources, serviceControlPolicies: scps))
    }

    static let readOnly = #"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::analytics-data-bucket","arn:aws:s3:::analytics-data-bucket/*"]}]}"#
    static let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
}

@Suite struct RecommendTests {
    let analyzer: (SnapshotPolicySets) -> DeniedEventAnalyzer = { DeniedEventAnalyzer(catalog: .bundled, snapshot: $0) }

    @Test func seedIpRestrictedBucketNamesTheConditionAndTheRequestIp() throws {
        let snapshot = SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot))
        let analysis = analyzer(snapshot).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .explicitDeny)
        #expect(analysis.assessment == "Explicit deny in a resource-based policy")
        let fix = try #require(analysis.fix)
        #expect(fix.kind == .meetCondition)
        #expect(fix.failedConditions.count == 1)
        #expect(fix.failedConditions[0].operator == "NotIpAddress")
        #expect(fix.failedConditions[0].key == "aws:SourceIp")
        #expect(fix.failedConditions[0].expectedValues == ["203.0.113.0/24"])
        #expect(fix.failedConditions[0].requestValues == ["198.51.100.23"])
        #expect(fix.failedConditions[0].advice.contains("allowed network"))
        #expect(fix.summary.contains("198.51.100.23"))
        // Loosening the policy is offered only as an alternative, with a warning.
        #expect(fix.denyEdits.first?.edit == .widenCondition)
        #expect(fix.denyEdits.first?.looksIntentional == true)
        #expect(fix.commands.allSatisfy { $0.alternative })
        let command = try #require(fix.commands.first)
        #expect(Array(command.argv.prefix(5)) == ["aws", "s3api", "put-bucket-policy", "--bucket", "analytics-data-bucket"])
        #expect(command.argv.last?.contains("198.51.100.23/32") == true)
        #expect(fix.policiesToAdd.isEmpty)
    }

    @Test func implicitDenyAddsAnInlineRolePolicyOnTheObjectWithReasons() throws {
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("other", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#)])
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .implicitDeny)
        #expect(analysis.assessment == "Missing allow in an identity-based policy")
        let fix = try #require(analysis.fix)
        #expect(fix.kind == .addAllow)
        let add = try #require(fix.policiesToAdd.first)
        #expect(add.target == .roleInlinePolicy)
        #expect(add.attachmentTargetArn == SnapshotBuilder.roleArn)
        let statement = try #require(add.policy["Statement"]?[0])
        #expect(statement["Effect"]?.stringValue == "Allow")
        #expect(statement["Action"]?.stringValue == "s3:GetObject")
        #expect(statement["Resource"]?.stringValue == "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv")
        #expect(statement["Principal"] == nil)
        // Every element has a one-line reason.
        let elements = Set(add.reasons.map(\.element))
        #expect(elements.isSuperset(of: ["Version", "Statement[0].Sid", "Statement[0].Effect", "Statement[0].Action", "Statement[0].Resource"]))
        #expect(add.reasons.first { $0.element == "Statement[0].Resource" }?.reason.contains("object") == true)
        #expect(fix.commands.map { $0.argv[2] } == ["put-role-policy", "create-policy", "attach-role-policy"])
        #expect(fix.commands.map(\.alternative) == [false, true, true])
        #expect(fix.commands[0].argv[4] == "DataAnalystRole")
        #expect(fix.possibleExtraActions.map(\.action) == ["kms:Decrypt"])
        // The Access Undenied shape.
        let json = analysis.json
        #expect(json["ResultDetails"]?["PoliciesToAdd"]?[0]?["AttachmentTargetArn"]?.stringValue == SnapshotBuilder.roleArn)
        #expect(json["Decision"]?.stringValue == "implicitDeny")
    }

    @Test func wildcardOnlyActionGetsStarWithItsReason() throws {
        let sets = SnapshotBuilder.sets(identity: [])
        let event = try RequestTests.event(#"{"eventName": "ListBuckets", "requestParameters": null, "resources": null}"#)
        let fix = try #require(analyzer(sets).analyse(event).fix)
        let add = try #require(fix.policiesToAdd.first)
        #expect(add.policy["Statement"]?[0]?["Resource"]?.stringValue == "*")
        #expect(add.policy["Statement"]?[0]?["Action"]?.stringValue == "s3:ListAllMyBuckets")
        #expect(add.reasons.first { $0.element == "Statement[0].Resource" }?.reason.contains("no resource type") == true)
    }

    @Test func copyObjectGetsEveryActionInOneStatement() throws {
        let sets = SnapshotBuilder.sets(identity: [])
        let event = try RequestTests.event(#"{"eventName": "CopyObject"}"#)
        let add = try #require(analyzer(sets).analyse(event).fix?.policiesToAdd.first)
        let statements = PolicyJSONEditing.statements(of: add.policy)
        #expect(statements.count == 1)
        #expect(PolicyJSONEditing.stringList(statements[0]["Action"]) == ["s3:PutObject", "s3:GetObject"])
    }

    @Test func explicitDenyOfANamedActionIsLiftedByRemovingIt() throws {
        let deny = SnapshotBuilder.policy("NoRawReads", #"{"Version":"2012-10-17","Statement":[{"Sid":"NoRaw","Effect":"Deny","Action":["s3:DeleteObject","s3:GetObject"],"Resource":"arn:aws:s3:::analytics-data-bucket/*"}]}"#,
                                          arn: "arn:aws:iam::111122223333:policy/NoRawReads")
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly), deny])
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.assessment == "Explicit deny in an identity-based policy")
        let fix = try #require(analysis.fix)
        #expect(fix.kind == .editDeny)
        let edit = try #require(fix.denyEdits.first)
        #expect(edit.edit == .removeAction)
        #expect(edit.editedStatement?["Action"]?.stringValue == "s3:DeleteObject")
        #expect(!edit.looksIntentional)
        let command = try #require(fix.commands.first)
        #expect(Array(command.argv.prefix(5)) == ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::111122223333:policy/NoRawReads"])
        #expect(command.argv.last == "--set-as-default")
        #expect(!command.alternative)
        let denies = analysis.json["ResultDetails"]?["ExplicitDenyPolicies"]?[0]
        #expect(denies?["PolicyName"]?.stringValue == "NoRawReads")
        #expect(denies?["AttachmentTargetArn"]?.stringValue == "DataAnalystRole")
        #expect(denies?["PolicyStatement"]?["Sid"]?.stringValue == "NoRaw")
    }

    @Test func scpWildcardDenyExemptsTheCallerAndWarns() throws {
        let scp = SnapshotBuilder.policy("NoS3", #"{"Version":"2012-10-17","Statement":[{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
                                         arn: "p-nos3", attachedTo: "ou-ab12-34cd5678")
        let full = SnapshotBuilder.policy("FullAWSAccess", SnapshotBuilder.allowAll, arn: "p-FullAWSAccess", attachedTo: "r-ab12")
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)], scps: [
            OrganizationPolicyLevel(level: 0, target: "r-ab12", policies: [full]),
            OrganizationPolicyLevel(level: 1, target: "ou-ab12-34cd5678", policies: [full, scp]),
        ])
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.assessment == "Explicit deny in a service-control policy")
        let fix = try #require(analysis.fix)
        let edit = try #require(fix.denyEdits.first)
        #expect(edit.edit == .addCondition)
        #expect(edit.editedStatement?["Condition"]?["ArnNotEquals"]?["aws:PrincipalArn"]?.stringValue == SnapshotBuilder.roleArn)
        #expect(edit.looksIntentional)
        #expect(fix.warnings.contains { $0.contains("guardrail") })
        #expect(fix.commands.first?.argv.prefix(3) == ["aws", "organizations", "update-policy"])
        #expect(fix.commands.allSatisfy { $0.alternative })
    }

    @Test func boundaryMissingAllowIsFixedInTheBoundary() throws {
        let boundary = SnapshotBuilder.policy("Boundary", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#,
                                              arn: "arn:aws:iam::111122223333:policy/Boundary")
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)], boundary: boundary)
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.assessment == "Missing allow in a permissions boundary policy")
        let fix = try #require(analysis.fix)
        let add = try #require(fix.policiesToAdd.first)
        #expect(add.target == .permissionsBoundary)
        #expect(add.attachmentTargetArn == "arn:aws:iam::111122223333:policy/Boundary")
        let command = try #require(fix.commands.first)
        #expect(command.argv[2] == "create-policy-version")
        // The new version keeps the boundary's statement and adds the missing one.
        let document = try JSONValue.parse(command.argv[6])
        #expect(PolicyJSONEditing.statements(of: document).count == 2)
        #expect(fix.warnings.contains { $0.contains("boundary") })
    }

    @Test func crossAccountCallerNeedsTheBucketPolicyToNameIt() throws {
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)], accountId: "444455556666")
        let event = try RequestTests.event(#"{"recipientAccountId": "444455556666", "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv"}, {"accountId": "444455556666", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::analytics-data-bucket"}]}"#)
        // The caller's account is not the snapshot's: its policies are looked up by ARN all the same.
        let analysis = analyzer(sets).analyse(event)
        #expect(analysis.assessment == "Missing allow in a resource-based policy in cross-account access")
        let fix = try #require(analysis.fix)
        let add = try #require(fix.policiesToAdd.first)
        #expect(add.target == .resourcePolicy)
        #expect(add.attachmentTargetArn == "arn:aws:s3:::analytics-data-bucket")
        #expect(add.policy["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue == SnapshotBuilder.roleArn)
        #expect(fix.commands.first?.argv.prefix(3) == ["aws", "s3api", "put-bucket-policy"])
        #expect(fix.warnings.contains { $0.contains("merge") })
    }

    @Test func missingContextKeyGivesCannotTell() throws {
        let bucket = #"{"Version":"2012-10-17","Statement":[{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::analytics-data-bucket/*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}"#
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)], bucketPolicy: bucket)
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .undecided)
        #expect(analysis.assessment == "Undecided")
        let fix = try #require(analysis.fix)
        #expect(fix.kind == .cannotTell)
        #expect(fix.missingContextKeys.contains { $0.lowercased() == "aws:principalorgid" })
        #expect(analysis.json["MissingContextKeys"] != nil)
    }

    @Test func policiesThatAllowSayNothingToChange() throws {
        let sets = SnapshotBuilder.sets(identity: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)])
        let analysis = analyzer(sets).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .allowed)
        #expect(analysis.assessment == "Allowed")
        #expect(analysis.fix?.kind == .nothingToChange)
        #expect(analysis.errorMessage?.contains("could not find a reason") == true)
    }

    @Test func policyNamesAndSidsAreValidForIam() {
        #expect(PolicyJSONEditing.policyName("whydenied-s3-Get Object/x") == "whydenied-s3-Get-Object-x")
        #expect(PolicyJSONEditing.sid("WhyDenied-GetObject_2") == "WhyDeniedGetObject2")
    }
}
