import Testing
import WhyDeniedEvidence
@testable import WhyDeniedAnalysis

/// A denial known only from its pasted message: the request is built from the parsed message,
/// and what only an event carries stays unknown.
@Suite struct ReportedRequestTests {
    static let message = "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::reports/q3.csv\" with an explicit deny in a resource-based policy"

    func reported() throws -> ReportedRequest {
        let parsed = try #require(AuthorizationErrorParser.parseIfAuthorizationError(Self.message))
        return ReportedRequest(principalArn: try #require(parsed.principal?.arn), action: try #require(parsed.action),
                               resourceArn: parsed.resource, region: "us-east-1", message: parsed,
                               sources: [.action: .errorMessage("perform: s3:GetObject")])
    }

    @Test func theRequestComesFromTheMessageAndEventOnlyContextStaysUnknown() throws {
        let denied = try DeniedRequest(reported: try reported(), catalog: .bundled)
        let request = try #require(denied.primaryRequest)
        #expect(request.action == "s3:GetObject")
        #expect(request.resource?.arn == "arn:aws:s3:::reports/q3.csv")
        #expect(denied.resourceTypes["s3:GetObject"] == "object")
        #expect(request.principal.roleArn == "arn:aws:iam::111122223333:role/DataAnalystRole")
        #expect(request.context.lookup("aws:SourceIp") == .unknown)
        #expect(request.context.lookup("aws:SecureTransport") == .unknown)
        #expect(request.context.lookup("aws:RequestedRegion") == .present(ContextValue(.string, "us-east-1")))
        #expect(denied.eventID == nil)
        #expect(denied.notes.contains { $0.contains("A CloudTrail event would have added") && $0.contains("aws:SourceIp") })
        #expect(denied.notes.contains { $0.contains("action: the error message ('perform: s3:GetObject')") })
    }

    @Test func aConditionOnAnUnknownKeyLeavesItUndecidedNamingTheKey() throws {
        let request = try #require(try DeniedRequest(reported: try reported(), catalog: .bundled).primaryRequest)
        var set = try identityOnly(allowAllS3)
        set.resourcePolicy = resourceSide("bucket policy of reports", try document(#"""
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOffice","Effect":"Deny","Principal":"*","Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::reports/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}
            """#))
        let result = evaluate(request, set)
        #expect(result.decision == .undecided)
        #expect(result.missingContextKeys == ["aws:SourceIp"])
        #expect(result.deciding.statement?.statement.sid == "DenyOutsideOffice")
        #expect(result.deciding.summary.contains("203.0.113.0/24"))
        // What each value of the unknown key decides.
        #expect(result.deciding.summary.contains("holds: if it holds, the request is explicitly denied; if not, the policies read allow it."),
                "\(result.deciding.summary)")
    }

    @Test func whenNoStatementMentionsTheActionTheUnknownsDoNotMatter() throws {
        let request = try #require(try DeniedRequest(reported: try reported(), catalog: .bundled).primaryRequest)
        let set = try identityOnly(#"{"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports"}"#)
        #expect(evaluate(request, set).decision == .implicitDeny)
    }

    @Test func aResourceOfTheWrongTypeIsSaidNotGuessed() throws {
        var reported = try reported()
        reported.resourceArn = "arn:aws:s3:::reports"
        let denied = try DeniedRequest(reported: reported, catalog: .bundled)
        #expect(denied.requests.isEmpty)
        #expect(denied.unresolvedResources["s3:GetObject"]?.contains("arn:aws:s3:::reports is not of the type") == true)
    }
}
