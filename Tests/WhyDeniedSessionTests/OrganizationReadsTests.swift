import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// Issue 14 §1: the SCPs on the principal's account path are read (describe-organization,
/// list-parents up to the root, describe-organizational-unit, list-policies-for-target,
/// describe-policy) and evaluated, the deciding statement named with its policy id and the
/// level it is attached to. Outputs are in the shapes the real CLI prints (the Organizations API
/// reference's response syntax; the same shapes moto 5.2 returns, checked against it). AWS's
/// refusal of a member account's reads (AccessDeniedException) is not something moto does, so it
/// is recorded real-format stderr here.
@Suite struct OrganizationReadsTests {
    static let account = CIDeployerCase.account
    static let root = "r-a1b2"
    static let workloads = "ou-a1b2-w0rk10ad"
    static let prod = "ou-a1b2-pr0dpr0d"
    static let rcpFullAccess = "p-RCPFullAWSAccess"

    // MARK: parsers

    @Test func listParentsGivesTheOUOrNothingAtTheRoot() throws {
        let ou = try OutputParsers.parse("organization_parent", output: try JSONValue.parse("""
            {"Parents": [{"Id": "\(Self.prod)", "Type": "ORGANIZATIONAL_UNIT"}]}
            """), item: nil)
        #expect(ou.value == .array([.string(Self.prod)]))
        let root = try OutputParsers.parse("organization_parent", output: try JSONValue.parse("""
            {"Parents": [{"Id": "\(Self.root)", "Type": "ROOT"}]}
            """), item: nil)
        #expect(root.value == .array([]))
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("organization_parent", output: try JSONValue.parse(#"{"Parents": []}"#), item: nil)
        }
    }

    @Test func describePolicyDecodesTheContentString() throws {
        let parsed = try OutputParsers.parse("organization_policy", output: try JSONValue.parse(Self.describePolicy(
            id: "p-4cg0soi8", name: "DenyDeploys", statement: #"{\"Sid\":\"NoPuts\",\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}"#)),
            item: .string("p-4cg0soi8"))
        let value = try #require(parsed.value)
        #expect(value["id"]?.stringValue == "p-4cg0soi8")
        #expect(value["name"]?.stringValue == "DenyDeploys")
        #expect(value["document"]?["Statement"]?[0]?["Sid"]?.stringValue == "NoPuts")
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("organization_policy", output: try JSONValue.parse("""
                {"Policy": {"PolicySummary": {"Id": "p-x"}, "Content": "not json"}}
                """), item: nil)
        }
    }

    // MARK: the session

    static func describePolicy(id: String, name: String, statement: String) -> String {
        """
        {"Policy": {"PolicySummary": {"Id": "\(id)", "Arn": "arn:aws:organizations::999988887777:policy/o-exampleorg/service_control_policy/\(id)",
          "Name": "\(name)", "Description": "", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": \(id == "p-FullAWSAccess")},
          "Content": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[\(statement)]}"}}
        """
    }

    static func policies(_ ids: [(String, String)]) -> String {
        let items = ids.map { id, name in
            #"{"Id": "\#(id)", "Arn": "arn:aws:organizations::999988887777:policy/o-exampleorg/service_control_policy/\#(id)", "Name": "\#(name)", "Description": "", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": \#(id == "p-FullAWSAccess")}"#
        }
        return #"{"Policies": [\#(items.joined(separator: ", "))]}"#
    }

    /// The organization: root → OU Workloads → OU Prod → the account; FullAWSAccess everywhere and,
    /// on Prod, DenyDeploys denying s3:PutObject.
    static func organizationAnswers() -> [String: GuidedFakeAWS.Answer] {
        let full = #"{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"#
        let deny = #"{\"Sid\":\"NoDeploysToProd\",\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}"#
        let rcpFull = #"{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}"#
        return [
            "organizations describe-organization": GuidedFakeAWS.ok("""
                {"Organization": {"Id": "o-exampleorg", "Arn": "arn:aws:organizations::999988887777:organization/o-exampleorg",
                  "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::999988887777:account/o-exampleorg/999988887777",
                  "MasterAccountId": "999988887777", "MasterAccountEmail": "admin@example.com",
                  "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}}
                """),
            "organizations list-parents": { argv in
                let child = argv[argv.firstIndex(of: "--child-id")! + 1]
                let parent = child == account ? (prod, "ORGANIZATIONAL_UNIT") : child == prod ? (workloads, "ORGANIZATIONAL_UNIT") : (root, "ROOT")
                return GuidedFakeAWS.ok(#"{"Parents": [{"Id": "\#(parent.0)", "Type": "\#(parent.1)"}]}"#)(argv)
            },
            "organizations describe-organizational-unit": { argv in
                let id = argv[argv.firstIndex(of: "--organizational-unit-id")! + 1]
                return GuidedFakeAWS.ok(#"{"OrganizationalUnit": {"Id": "\#(id)", "Arn": "arn:aws:organizations::999988887777:ou/o-exampleorg/\#(id)", "Name": "\#(id == prod ? "Prod" : "Workloads")"}}"#)(argv)
            },
            "organizations list-policies-for-target": { argv in
                let target = argv[argv.firstIndex(of: "--target-id")! + 1]
                // RCPs enabled too: RCPFullAWSAccess is on every level and cannot be detached.
                if argv.contains("RESOURCE_CONTROL_POLICY") { return GuidedFakeAWS.ok(policies([(rcpFullAccess, "RCPFullAWSAccess")]))(argv) }
                let attached = target == prod ? [("p-FullAWSAccess", "FullAWSAccess"), ("p-4cg0soi8", "DenyDeploys")] : [("p-FullAWSAccess", "FullAWSAccess")]
                return GuidedFakeAWS.ok(policies(attached))(argv)
            },
            "organizations describe-policy": { argv in
                let id = argv[argv.firstIndex(of: "--policy-id")! + 1]
                if id == rcpFullAccess { return GuidedFakeAWS.ok(describePolicy(id: id, name: "RCPFullAWSAccess", statement: rcpFull))(argv) }
                return GuidedFakeAWS.ok(id == "p-4cg0soi8" ? describePolicy(id: id, name: "DenyDeploys", statement: deny)
                                                           : describePolicy(id: id, name: "FullAWSAccess", statement: full))(argv)
            },
        ]
    }

    static func run(_ answers: [String: GuidedFakeAWS.Answer], parameters: [String: String] = CIDeployerCase.parameters) async throws -> (GuidedSession, GuidedFakeAWS) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: GuidedSessionTests.now, readOnly: true)
        let aws = GuidedFakeAWS(answers: answers)
        await session.runHeadless(effects: aws) { _ in }
        return (session, aws)
    }

    /// ci-deployer's own policy allows s3:PutObject on the bucket: only an SCP can deny it.
    static func answersWithIdentityAllow() -> [String: GuidedFakeAWS.Answer] {
        var answers = CIDeployerCase.answers()
        answers["iam get-policy-version"] = GuidedFakeAWS.ok("""
            {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Sid": "Deploy", "Effect": "Allow",
              "Action": ["s3:ListBucket", "s3:PutObject"], "Resource": ["arn:aws:s3:::\(CIDeployerCase.bucket)", "arn:aws:s3:::\(CIDeployerCase.bucket)/*"]}]},
              "VersionId": "v1", "IsDefaultVersion": true}}
            """)
        return answers
    }

    @Test func theDecidingSCPIsNamedWithItsIdAndItsOUPath() async throws {
        let answers = Self.answersWithIdentityAllow().merging(Self.organizationAnswers()) { _, org in org }
        let (session, aws) = try await Self.run(answers)
        let operations = aws.operations()
        #expect(operations.filter { $0 == "organizations list-parents" }.count == 3, "\(operations)")
        // SCPs, then RCPs, at the account and its three parents.
        #expect(operations.filter { $0 == "organizations list-policies-for-target" }.count == 8)
        #expect(aws.calls.filter { $0.contains("RESOURCE_CONTROL_POLICY") }.count == 4, "\(aws.calls)")
        // FullAWSAccess and RCPFullAWSAccess are attached at every level but read once.
        #expect(operations.filter { $0 == "organizations describe-policy" }.count == 3)
        for call in aws.calls where call.dropFirst().first == "organizations" {
            #expect(!CommandClassifier.bundled.classify(call).mutates, "\(call)")
        }
        let findings = session.findings
        #expect(findings.verdict == .explicitDeny, "\(session.notes)")
        #expect(findings.decidingStatement == "NoDeploysToProd")
        #expect(findings.decidingPolicy?.type == .serviceControlPolicy)
        #expect(findings.decidingPolicy?.name == "DenyDeploys (p-4cg0soi8)")
        let why = try #require(findings.explanation)
        #expect(why.contains("at OU Workloads/Prod (\(Self.prod))"), "\(why)")
    }

    // AWS refuses a member account's organization reads: the SCPs are unknown, not absent, and the
    // identity Allow is not enough to say "allowed".
    @Test func refusedOrganizationReadsMakeTheVerdictUndecided() async throws {
        var answers = Self.answersWithIdentityAllow().merging(Self.organizationAnswers()) { _, org in org }
        answers["organizations list-parents"] = GuidedFakeAWS.error("""

            An error occurred (AccessDeniedException) when calling the ListParents operation: You don't have permissions to access this resource.

            """)
        let (session, _) = try await Self.run(answers)
        let findings = session.findings
        #expect(findings.verdict == .undecided, "\(session.notes)")
        #expect(findings.decidingPolicy?.type == .serviceControlPolicy)
        let why = try #require(findings.explanation)
        #expect(why.contains("SCPs on the path of account \(Self.account)"), "\(why)")
        #expect(why.contains("list-parents --child-id \(Self.account) failed"), "\(why)")
        #expect(why.contains("--org-profile"), "\(why)")
        #expect(session.headlessExitStatus == 3)
    }

    // Only the RCP listings refused: the SCPs allow, and the bucket is the caller's account's, so
    // the unknown RCPs could still deny: Undecided, naming them.
    @Test func refusedRCPReadsMakeAnS3VerdictUndecided() async throws {
        var answers = Self.answersWithIdentityAllow().merging(Self.organizationAnswers()) { _, org in org }
        let listing = try #require(answers["organizations list-policies-for-target"])
        answers["organizations list-policies-for-target"] = { argv in
            guard argv.contains("RESOURCE_CONTROL_POLICY") else {
                // The SCP path without its Deny: only FullAWSAccess everywhere.
                return argv.contains(Self.prod) ? GuidedFakeAWS.ok(Self.policies([("p-FullAWSAccess", "FullAWSAccess")]))(argv) : listing(argv)
            }
            return GuidedFakeAWS.failed(argv, "\nAn error occurred (AccessDeniedException) when calling the ListPoliciesForTarget operation: You don't have permissions to access this resource.\n")
        }
        let (session, _) = try await Self.run(answers)
        let findings = session.findings
        #expect(findings.verdict == .undecided, "\(session.notes)")
        let why = try #require(findings.explanation)
        #expect(why.contains("RCPs on the path of account \(Self.account)"), "\(why)")
        #expect(why.contains("RESOURCE_CONTROL_POLICY"), "\(why)")
    }

    // The same refusal where the identity side already denies: the SCPs cannot change that.
    @Test func refusedOrganizationReadsLeaveADenyDecided() async throws {
        var answers = CIDeployerCase.answers().merging(Self.organizationAnswers()) { _, org in org }
        answers["organizations describe-organization"] = GuidedFakeAWS.error("""

            An error occurred (AccessDeniedException) when calling the DescribeOrganization operation: You don't have permissions to access this resource.

            """)
        let (session, _) = try await Self.run(answers)
        #expect(session.findings.verdict == .implicitDeny, "\(session.notes)")
        #expect(session.findings.decidingPolicy?.type != .serviceControlPolicy)
    }

    // SCPs not enabled in the organization: no level lists one (AWS keeps at least one SCP on
    // every root, OU and account while they are, DetachPolicy API reference). Nothing to apply,
    // never "no SCP allows it".
    @Test func anOrganizationWithoutSCPsEnabledRestrictsNothing() async throws {
        var answers = Self.answersWithIdentityAllow().merging(Self.organizationAnswers()) { _, org in org }
        answers["organizations list-policies-for-target"] = GuidedFakeAWS.ok(#"{"Policies": []}"#)
        let (session, _) = try await Self.run(answers)
        #expect(session.findings.verdict == .allowed, "\(session.notes)")
    }

    // Not in an organization, asked with the account's own credentials: no SCPs, decided.
    @Test func anAccountInNoOrganizationHasNoSCPs() async throws {
        let (session, _) = try await Self.run(Self.answersWithIdentityAllow())
        #expect(session.findings.verdict == .allowed, "\(session.notes)")
    }

    // Not in an organization says nothing of the principal's account when another profile asked.
    @Test func notInUseThroughTheOrganizationProfileIsNotAnAnswer() async throws {
        var parameters = CIDeployerCase.parameters
        parameters["org_profile"] = "org-management"
        let (session, _) = try await Self.run(Self.answersWithIdentityAllow(), parameters: parameters)
        #expect(session.findings.verdict == .undecided, "\(session.notes)")
        let why = try #require(session.findings.explanation)
        #expect(why.contains("profile org-management"), "\(why)")
    }
}
