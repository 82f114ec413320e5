import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// A bucket a CloudFormation stack made carries the stack's tags; a fix to its policy belongs in
/// the stack (the next deployment puts the policy back), so the session reads the bucket's tags
/// (`get-bucket-tagging`, NoSuchTagSet an answer) and the owner of a bucket-policy fix is the stack.
/// Before, a bucket was always "directly managed" and its policy fix offered as a direct change.
@Suite struct ResourceOwnerTagsTests {
    static let stackTags = """
        {"TagSet": [{"Key": "aws:cloudformation:stack-name", "Value": "data-lake"},
                    {"Key": "aws:cloudformation:logical-id", "Value": "ReportsBucket"}]}
        """

    @Test func theSessionReadsTheBucketsTagsAndTheStackOwnsItsPolicy() async throws {
        var session = try GuidedSessionTests.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("s3api get-bucket-tagging", GuidedFakeAWS.ok(Self.stackTags))
        await session.runHeadless(effects: aws) { _ in }
        #expect(aws.operations().contains("s3api get-bucket-tagging"))

        let bucketArn = "arn:aws:s3:::\(CIDeployerCase.bucket)"
        let facts = CapturedAccount.resourceOwnerFacts(captures: session.engine.captures, facts: session.engine.facts, partition: "aws")
        #expect(facts.map(\.arn) == [bucketArn])
        let snapshot = AccountSnapshot(accountId: CIDeployerCase.account, ownerFacts: facts)
        #expect(FixTargetOwner.classify(snapshot.fixTargetFacts(for: bucketArn)) == .cloudFormation(stack: "data-lake", logicalId: "ReportsBucket"))
    }

    @Test func aBucketWithoutTagsIsDirectlyManaged() async throws {
        var session = try GuidedSessionTests.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        await session.runHeadless(effects: aws) { _ in }
        #expect(aws.operations().contains("s3api get-bucket-tagging"))
        // NoSuchTagSet is an answer: no tags, never a failed read.
        #expect(session.engine.captures["bucket_tags"] != nil || !session.failedPolicyReads.values.contains { $0.read.contains("get-bucket-tagging") })
        let bucketArn = "arn:aws:s3:::\(CIDeployerCase.bucket)"
        let facts = CapturedAccount.resourceOwnerFacts(captures: session.engine.captures, facts: session.engine.facts, partition: "aws")
        let snapshot = AccountSnapshot(accountId: CIDeployerCase.account, ownerFacts: facts)
        #expect(FixTargetOwner.classify(snapshot.fixTargetFacts(for: bucketArn)) == .direct)
    }

    // A KMS key's tags (`kms list-resource-tags`, TagKey/TagValue) place its key-policy fix.
    @Test func aKeysTagsNameItsOwner() throws {
        let arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let tags = try JSONValue.parse(#"[{"TagKey": "ManagedBy", "TagValue": "terraform"}]"#)
        let facts = CapturedAccount.resourceOwnerFacts(captures: ["key_tags": tags],
                                                       facts: ["resource.policy_kind": .string("key"), "resource.arn": .string(arn)], partition: "aws")
        let snapshot = AccountSnapshot(accountId: "111122223333", ownerFacts: facts)
        guard case .infrastructureAsCode(let tool, _) = FixTargetOwner.classify(snapshot.fixTargetFacts(for: arn)) else {
            Issue.record("\(FixTargetOwner.classify(snapshot.fixTargetFacts(for: arn)))")
            return
        }
        #expect(tool == "terraform")
    }

    @Test func theRunbookReadsAKeysTags() throws {
        let runbook = try RunbookFixture.loaded()
        let plan = RunbookPlan(runbook: runbook, parameters: ["principal": "app", "region": "us-east-1"],
                               facts: ["principal.kind": .string("role"), "resource.service": .string("kms"), "resource.policy_kind": .string("key"),
                                       "resource.id": .string("1234abcd")])
        #expect(plan.commands.map(\.argv).contains(["aws", "kms", "list-resource-tags", "--key-id", "1234abcd", "--region", "us-east-1"]))
    }
}
