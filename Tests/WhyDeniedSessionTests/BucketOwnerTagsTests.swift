import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
@testable import WhyDeniedSession

/// A bucket a CloudFormation stack made carries the stack's tags; a fix to its policy belongs in
/// the stack (the next deployment puts the policy back), so the session reads the bucket's tags
/// (`get-bucket-tagging`, NoSuchTagSet an answer) and the owner of a bucket-policy fix is the stack.
/// Before, a bucket was always "directly managed" and its policy fix offered as a direct change.
@Suite struct BucketOwnerTagsTests {
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
}
