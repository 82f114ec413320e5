import Testing
@testable import WhyDeniedAnalysis

// The seed case: a bucket policy that denies reads from outside the office range.
// Policy shape from the IAM User Guide, "AWS: Denies access to AWS based on the source IP"
// (reference_policies_examples_aws_deny-ip.html) and the S3 User Guide bucket-policy example
// "Restricting access to specific IP addresses" (example-bucket-policies.html).
@Suite struct EvaluatorSeedCaseTests {
    let bucketPolicy = #"""
    {"Version":"2012-10-17","Statement":[
      {"Sid":"DenyOutsideOffice","Effect":"Deny","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::reports/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}
    ]}
    """#

    func policies() throws -> PolicySet {
        var set = try identityOnly(allowAllS3)
        set.resourcePolicy = resourceSide("bucket policy of reports", try document(bucketPolicy))
        return set
    }

    @Test func requestFromOutsideTheRangeIsExplicitlyDeniedByTheBucketPolicy() throws {
        let request = makeRequest(context: ["aws:SourceIp": ContextValue(.ip, "198.51.100.7")])
        let result = evaluate(request, try policies())
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.policyType == .resourceBased)
        #expect(result.deciding.policy?.name == "bucket policy of reports")
        let statement = try #require(result.deciding.statement)
        #expect(statement.statement.sid == "DenyOutsideOffice")
        #expect(statement.action.matchedPattern == "s3:GetObject")
        #expect(statement.resource?.matchedPattern == "arn:aws:s3:::reports/*")
        let condition = try #require(statement.conditions.first)
        #expect(condition.operator == "NotIpAddress")
        #expect(condition.key == "aws:SourceIp")
        #expect(condition.expectedValues == ["203.0.113.0/24"])
        #expect(condition.requestValues == ["198.51.100.7"])
        #expect(condition.outcome == .matched)
        #expect(result.deciding.summary.contains("198.51.100.7"))
        #expect(result.deciding.summary.contains("NotIpAddress aws:SourceIp"))
    }

    @Test func requestFromInsideTheRangeIsAllowedByTheIdentityPolicy() throws {
        let request = makeRequest(context: ["aws:SourceIp": ContextValue(.ip, "203.0.113.9")])
        let result = evaluate(request, try policies())
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "AllowS3")
        #expect(result.deciding.policyType == .identityBased)
    }

    @Test func withoutSourceIpTheVerdictIsUndecidedNamingTheKey() throws {
        let result = evaluate(makeRequest(), try policies())
        #expect(result.decision == .undecided)
        #expect(result.missingContextKeys == ["aws:SourceIp"])
        #expect(result.deciding.statement?.statement.sid == "DenyOutsideOffice")
        #expect(result.deciding.policyType == .resourceBased)
        #expect(result.deciding.statement?.conditions.first?.keyState == .unknown)
    }

    @Test func withoutSourceIpButNoAllowAnywhereItIsStillDenied() throws {
        // The unknown Deny cannot change the verdict: nothing allows anyway.
        var set = PolicySet()
        set.resourcePolicy = resourceSide("bucket policy of reports", try document(bucketPolicy))
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.missingContextKeys.isEmpty)
        #expect(result.notes.contains { $0.contains("might also deny") && $0.contains("aws:SourceIp") })
    }
}
