import Testing
@testable import WhyDeniedEvidence

@Suite("ARN")
struct IdentityARNTests {
    @Test func splitsSixFieldsAndKeepsColonsInResource() throws {
        let arn = try #require(ARN("arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod"))
        #expect(arn.partition == "aws")
        #expect(arn.service == "lambda")
        #expect(arn.region == "us-east-1")
        #expect(arn.account == "123456789012")
        #expect(arn.resource == "function:my-fn:prod")
        #expect(arn.resourceType == "function")
        #expect(arn.resourceId == "my-fn:prod")
        #expect(arn.description == "arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod")
    }

    @Test func slashTypedResource() throws {
        let arn = try #require(ARN("arn:aws:iam::123456789012:role/service-role/Exec"))
        #expect(arn.region == "")
        #expect(arn.resourceType == "role")
        #expect(arn.resourceId == "service-role/Exec")
    }

    @Test func untypedResource() throws {
        let arn = try #require(ARN("arn:aws:sns:us-west-2:123456789012:my-topic"))
        #expect(arn.resourceType == nil)
        #expect(arn.resourceId == "my-topic")
    }

    @Test func s3BucketAndObjectHaveNoType() throws {
        let object = try #require(ARN("arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg"))
        #expect(object.resourceType == nil)
        #expect(object.resourceId == "amzn-s3-demo-bucket/photos/cat.jpg")
        let accessPoint = try #require(ARN("arn:aws:s3:us-west-2:123456789012:accesspoint/ap1"))
        #expect(accessPoint.resourceType == "accesspoint")
        #expect(accessPoint.resourceId == "ap1")
    }

    @Test func otherPartitionsAndSurroundingWhitespace() throws {
        let gov = try #require(ARN("  arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd \n"))
        #expect(gov.partition == "aws-us-gov")
        #expect(gov.resourceType == "key")
        let china = try #require(ARN("arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc"))
        #expect(china.partition == "aws-cn")
        #expect(china.resourceId == "i-0abc")
    }

    @Test(arguments: [
        "", "arn", "arn:", "arn:aws", "arn:aws:s3", "arn:aws:s3:::", "arn::s3:::bucket",
        "arn:aws::us-east-1:1:x", "ARN:aws:s3:::bucket", "arn:AWS:s3:::bucket",
        "arn:aws:s3:::bucket with space", "not an arn", "arn:aws:iam:US-EAST-1:1:x",
    ])
    func rejectsNonARNs(_ text: String) {
        #expect(ARN(text) == nil)
    }
}
