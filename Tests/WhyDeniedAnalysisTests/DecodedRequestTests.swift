import Foundation
import Testing
import WhyDeniedEvidence
@testable import WhyDeniedAnalysis

/// A decoded authorization message applied to a denied request: its context values become known
/// values, so a condition the event cannot answer is decided. The decoded output is the AWS CLI's
/// own recorded example (Tests/WhyDeniedEvidenceTests/Fixtures/decoded-authorization/README.md);
/// moto does not implement `sts decode-authorization-message`.
@Suite struct DecodedRequestTests {
    let catalog = ActionCatalog.bundled

    static func decoded(_ name: String) throws -> DecodedAuthorization {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("WhyDeniedEvidenceTests/Fixtures/decoded-authorization/\(name)")
        return try DecodedAuthorization.read(String(contentsOf: path, encoding: .utf8))
    }

    /// The RunInstances call of the CLI example as CloudTrail records it (no instance type in it).
    static func runInstancesEvent() throws -> CloudTrailEvent {
        try RequestTests.event(#"""
        {"eventSource": "ec2.amazonaws.com", "eventName": "RunInstances", "awsRegion": "us-east-1",
         "errorCode": "Client.UnauthorizedOperation",
         "errorMessage": "You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLEWodyRNrtlQ",
         "userIdentity": {"type": "AssumedRole", "principalId": "AROA123456789EXAMPLE:Ana",
           "arn": "arn:aws:sts::111122223333:assumed-role/Developer/Ana", "accountId": "111122223333",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA123456789EXAMPLE",
             "arn": "arn:aws:iam::111122223333:role/Developer", "accountId": "111122223333", "userName": "Developer"},
             "attributes": {"creationDate": "2026-11-23T00:00:00Z", "mfaAuthenticated": "false"}}},
         "requestParameters": {"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]},
           "instanceType": null},
         "resources": null, "recipientAccountId": "111122223333"}
        """#)
    }

    static let denyLargeInstances = #"""
    {"Version":"2012-10-17","Statement":[
      {"Sid":"AllowEC2","Effect":"Allow","Action":"ec2:*","Resource":"*"},
      {"Sid":"DenyLargeInstances","Effect":"Deny","Action":"ec2:RunInstances","Resource":"*",
       "Condition":{"StringNotEquals":{"ec2:InstanceType":"t3.micro"}}}]}
    """#

    func policies() throws -> PolicySet {
        var set = PolicySet()
        set.identityPolicies = [attached("DeveloperPolicy", try document(Self.denyLargeInstances), on: .role, holderName: "Developer")]
        return set
    }

    @Test func withoutTheDecodedMessageTheResourceAndTheInstanceTypeAreUnknown() throws {
        let denied = try DeniedRequest(event: try Self.runInstancesEvent(), catalog: catalog)
        #expect(denied.unresolvedResources["ec2:RunInstances"] != nil, "the event lists no resource")
        // Even given the resource, the event's context cannot answer the Deny's condition.
        let request = AuthorizationRequest(principal: denied.principal, action: "ec2:RunInstances",
                                           resource: RequestResource(arn: "arn:aws:ec2:us-east-1:111122223333:instance/*"),
                                           context: denied.context)
        let result = PolicyEvaluator().evaluate(request, against: try policies())
        #expect(result.decision == .undecided)
        #expect(result.missingContextKeys.contains("ec2:InstanceType"))
    }

    @Test func theDecodedMessageDecidesItAndNamesTheMatchedStatement() throws {
        var denied = try DeniedRequest(event: try Self.runInstancesEvent(), catalog: catalog)
        denied.apply(try Self.decoded("awscli-example-run-instances.json"), catalog: catalog)
        #expect(denied.context["ec2:InstanceType"]?.values == ["t2.micro"])
        let request = try #require(denied.primaryRequest, "\(denied.notes)")
        #expect(request.action == "ec2:RunInstances")
        #expect(request.resource?.arn == "arn:aws:ec2:us-east-1:111122223333:instance/*", "context.resource fills what the event lacks")
        #expect(denied.resourceTypes["ec2:RunInstances"] == "instance")
        #expect(denied.unresolvedResources["ec2:RunInstances"] == nil)
        #expect(request.context["ec2:InstanceType"]?.values == ["t2.micro"])
        let result = PolicyEvaluator().evaluate(request, against: try policies())
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.statement?.statement.sid == "DenyLargeInstances")
        #expect(denied.notes.contains { $0.contains("explicit deny") && $0.contains("VisualEditor0 (Deny ec2:RunInstances on *)") })
        #expect(denied.notes.contains { $0.contains("18 context value(s)") })
        #expect(!denied.notes.contains { $0.hasPrefix("No resource for ec2:RunInstances") })
    }

    @Test func theSourceIpIsKnownAndTypedAsAnAddress() throws {
        let context = RequestContext().applying(try Self.decoded("stop-instances-source-ip.json"), catalog: catalog)
        #expect(context.lookup("aws:SourceIp") == .present(ContextValue(.ip, "198.51.100.23")))
        #expect(context.lookup("ec2:ResourceTag/Team") == .present(ContextValue(.string, "analytics")))
        #expect(context.lookup("aws:SourceVpce") == .unknown, "a key the message does not carry stays unknown")
    }
}
