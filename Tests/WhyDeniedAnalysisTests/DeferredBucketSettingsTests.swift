import Testing
@testable import WhyDeniedAnalysis

/// A batch reads each bucket's Block Public Access only where the first analysis shows it could
/// change the verdict, and its tags only where a fix would add to its policy.
@Suite struct DeferredBucketSettingsTests {
    let userB = "arn:aws:iam::444455556666:user/bea"
    let publicRead = #"{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#
    let partnerRead = #"{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#

    /// bea (another account, allowed s3:* by her own policy) reading from bucket reports, whose
    /// Block Public Access the batch has not read yet.
    func firstPass(bucketPolicy statement: String) throws -> EventAnalysis {
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.resourcePolicy = resourceSide("bucket policy of reports", try document(#"{"Version":"2012-10-17","Statement":[\#(statement)]}"#))
        var controls = S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)
        controls.bucketBlock = .unread(read: "", reason: DeferredBucketSettings.reason(bucket: "reports"))
        controls.accountBlock = .notSet
        set.s3Bucket = controls
        let request = makeRequest(userB, resourceAccount: accountA)
        let result = evaluate(request, set)
        let analysed = AnalysedRequest(request: request, policies: set, result: result)
        return EventAnalysis(eventID: "e", assessment: "", decision: result.decision, analysed: [analysed], deciding: analysed)
    }

    @Test func aPublicGrantItCouldBlockIsReadInFull() throws {
        let analysis = try firstPass(bucketPolicy: publicRead)
        #expect(analysis.decision == .undecided)
        #expect(analysis.deciding?.result.deciding.summary.contains("was not given (not read: a batch reads it only") == true,
                "\(analysis.deciding?.result.deciding.summary ?? "")")
        #expect(DeferredBucketSettings.bucketsToRead(after: [analysis]) == ["reports"])
    }

    @Test func aGrantItCannotBlockStaysAndSaysSo() throws {
        let analysis = try firstPass(bucketPolicy: partnerRead)
        #expect(analysis.decision == .allowed)
        let notes = analysis.deciding?.result.notes ?? []
        #expect(notes.contains { $0.contains("S3 Block Public Access of bucket reports\" was not given (not read:") && $0.contains("whatever it says") },
                "\(notes)")
        #expect(!notes.contains { $0.contains("failed") }, "nothing failed: \(notes)")
        #expect(DeferredBucketSettings.bucketsToRead(after: [analysis]).isEmpty)
    }

    /// A fix that adds to a bucket's policy needs the bucket's tags (who owns the policy); one that
    /// adds to a role does not. Each bucket once, in order.
    @Test func aFixAddingToABucketPolicyNamesItsBucket() throws {
        func placed(_ target: String) -> EventAnalysis {
            var analysis = EventAnalysis(eventID: "e", assessment: "", decision: .implicitDeny)
            analysis.placements = [FixPlacement(targetArn: target, owner: .direct, code: nil, facts: FixTargetFacts(arn: target))]
            return analysis
        }
        let results = [placed("arn:aws:iam::111122223333:role/App"), placed("arn:aws:s3:::logs"), placed("arn:aws:s3:::logs"),
                       try firstPass(bucketPolicy: publicRead)]
        #expect(DeferredBucketSettings.bucketsToRead(after: results) == ["logs", "reports"])
    }
}
