import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedRunbook
import WhyDeniedSession

/// Issue 12 item 4, the principal's side: a failed read of an identity policy, or of a list call
/// that enumerates them, is not "no policy". The scripted ci-deployer case (user with only
/// s3:ListBucket, denied s3:PutObject, bucket without policy) is an implicit deny when every read
/// answers; with a read failing, a policy that could grant it is unknown: Undecided, exit 3.
@Suite struct UnreadIdentityPolicyTests {
    static func accessDenied(_ operation: String, _ action: String) -> GuidedFakeAWS.Answer {
        GuidedFakeAWS.error("""

            An error occurred (AccessDenied) when calling the \(operation) operation: User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: \(action) on resource: user ci-deployer

            """)
    }

    static func run(_ answers: [String: GuidedFakeAWS.Answer]) async throws -> GuidedSession {
        let runbook = try RunbookFixture.loaded()
        var session = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
        await session.runHeadless(effects: GuidedFakeAWS(answers: answers)) { _ in }
        return session
    }

    @Test func aFailedListOfGroupsLeavesTheirPoliciesUnknown() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam list-groups-for-user"] = Self.accessDenied("ListGroupsForUser", "iam:ListGroupsForUser")
        let session = try await Self.run(answers)
        let findings = session.findings
        #expect(findings.verdict == .undecided)
        #expect(findings.decidingPolicy?.type == .identityBased)
        #expect(findings.decidingPolicy?.name == "groups of user ci-deployer and their policies")
        let why = try #require(findings.explanation)
        #expect(why.contains("could not be read (aws iam list-groups-for-user --user-name ci-deployer failed:"), "\(why)")
        #expect(session.headlessExitStatus == 3)
    }

    // Each foreach item is its own read: one inline policy that failed is named, by its name.
    @Test func aFailedInlinePolicyReadIsNamedByItsItem() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam list-user-policies"] = GuidedFakeAWS.ok(#"{"PolicyNames": ["DeployWrites"]}"#)
        answers["iam get-user-policy"] = GuidedFakeAWS.error("\nCould not connect to the endpoint URL: \"https://iam.amazonaws.com/\"\n", exit: 255)
        let session = try await Self.run(answers)
        let read = try #require(session.failedPolicyReads["identity_policies DeployWrites"])
        #expect(read.read.hasPrefix("aws iam get-user-policy --user-name ci-deployer --policy-name DeployWrites"))
        #expect(session.findings.verdict == .undecided)
        #expect(session.findings.decidingPolicy?.name == "inline policy DeployWrites of user ci-deployer")
        #expect(session.headlessExitStatus == 3)
    }

    @Test func aFailedReadOfAGroupsPoliciesNamesTheGroup() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam list-groups-for-user"] = GuidedFakeAWS.ok(#"{"Groups": [{"GroupName": "Deployers", "Arn": "arn:aws:iam::111122223333:group/Deployers"}]}"#)
        answers["iam list-group-policies"] = GuidedFakeAWS.ok(#"{"PolicyNames": []}"#)
        answers["iam list-attached-group-policies"] = Self.accessDenied("ListAttachedGroupPolicies", "iam:ListAttachedGroupPolicies")
        let session = try await Self.run(answers)
        #expect(session.findings.verdict == .undecided)
        #expect(session.findings.decidingPolicy?.name == "managed policies attached to group Deployers")
        #expect(session.failedPolicyReads["attached_group_policy_arns Deployers"] != nil)
    }

    // A Deny that was read (the bucket policy) decides whatever the unread policies say.
    @Test func aDenyReadInTheBucketPolicyStillDecides() async throws {
        var answers = CIDeployerCase.answers()
        answers["iam list-groups-for-user"] = Self.accessDenied("ListGroupsForUser", "iam:ListGroupsForUser")
        answers["s3api get-bucket-policy"] = GuidedFakeAWS.ok("""
            {"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Sid\\":\\"NoCIWrites\\",\\"Effect\\":\\"Deny\\",\\"Principal\\":{\\"AWS\\":\\"arn:aws:iam::111122223333:user/ci-deployer\\"},\\"Action\\":\\"s3:PutObject\\",\\"Resource\\":\\"arn:aws:s3:::deploy-artifacts/*\\"}]}"}
            """)
        let session = try await Self.run(answers)
        #expect(session.findings.verdict == .explicitDeny)
        #expect(session.findings.decidingStatement == "NoCIWrites")
        #expect(session.headlessExitStatus == 0)
    }
}
