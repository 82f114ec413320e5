import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

@Suite struct RequestTests {
    let catalog = ActionCatalog.bundled

    static func seedEvent() throws -> CloudTrailEvent {
        let text = try String(contentsOf: AnalysisFixtures.seedEvents, encoding: .utf8)
        let record = try #require(try JSONValue.parse(text)["Records"]?[0])
        return try CloudTrailEvent(record: record)
    }

    /// The seed event with some fields replaced (a JSON object merged over the record).
    static func event(_ overrides: String) throws -> CloudTrailEvent {
        let text = try String(contentsOf: AnalysisFixtures.seedEvents, encoding: .utf8)
        guard case .object(var record) = try #require(try JSONValue.parse(text)["Records"]?[0]),
              case .object(let changes) = try JSONValue.parse(overrides) else {
            throw DeniedRequestError(eventID: nil, problem: "bad test input")
        }
        for (key, value) in changes.entries { record[key] = value.isNull ? nil : value }
        return try CloudTrailEvent(record: .object(record))
    }

    @Test func seedGetObjectTargetsTheObjectNotTheBucket() throws {
        let denied = try DeniedRequest(event: try Self.seedEvent(), catalog: catalog)
        #expect(denied.requests.map(\.action) == ["s3:GetObject"])
        #expect(denied.requests[0].resource?.arn == "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv")
        #expect(denied.resourceTypes["s3:GetObject"] == "object")
        #expect(denied.call.hints.map(\.action) == ["kms:Decrypt"])
        #expect(denied.principal.kind == .assumedRole)
        #expect(denied.principal.roleArn == "arn:aws:iam::111122223333:role/DataAnalystRole")
        #expect(!denied.isCrossAccount)
        #expect(denied.eventID == "3e5f8a1c-0b7d-4d5e-9a63-1f2e3d4c5b6a")
    }

    @Test func seedContextCarriesNetworkPrincipalAndSessionKeys() throws {
        let context = try DeniedRequest(event: try Self.seedEvent(), catalog: catalog).context
        #expect(context["aws:SourceIp"] == ContextValue(.ip, "198.51.100.23"))
        #expect(context["aws:RequestedRegion"]?.values == ["eu-west-1"])
        #expect(context["aws:PrincipalArn"]?.values == ["arn:aws:iam::111122223333:role/DataAnalystRole"])
        #expect(context["aws:PrincipalAccount"]?.values == ["111122223333"])
        #expect(context["aws:PrincipalType"]?.values == ["AssumedRole"])
        #expect(context["aws:userid"]?.values == ["AROAEXAMPLEID12345678:analyst-session"])
        #expect(context.lookup("aws:username") == .absent)
        #expect(context["aws:SecureTransport"]?.values == ["true"])
        #expect(context["aws:MultiFactorAuthPresent"]?.values == ["false"])
        #expect(context.lookup("aws:MultiFactorAuthAge") == .absent)
        #expect(context["aws:TokenIssueTime"]?.values == ["2026-11-23T09:58:00Z"])
        #expect(context["aws:CurrentTime"]?.values == ["2026-11-23T10:02:11Z"])
        #expect(context["aws:EpochTime"]?.values == ["1795428131"])
        #expect(context["aws:ViaAWSService"]?.values == ["false"])
        #expect(context.lookup("aws:SourceVpce") == .absent)
        #expect(context["aws:ResourceAccount"]?.values == ["111122223333"])
        // Nothing in the event says which org the caller belongs to: unknown, not absent.
        #expect(context.lookup("aws:PrincipalOrgID") == .unknown)
    }

    @Test func listObjectsV2NeedsListBucketOnTheBucketWithPrefixKeys() throws {
        let event = try Self.event(#"""
        {"eventName": "ListObjects", "requestParameters": {"bucketName": "analytics-data-bucket", "prefix": "reports/", "delimiter": "/", "max-keys": 1000},
         "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::analytics-data-bucket"}]}
        """#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.map(\.action) == ["s3:ListBucket"])
        #expect(denied.requests[0].resource?.arn == "arn:aws:s3:::analytics-data-bucket")
        #expect(denied.context["s3:prefix"]?.values == ["reports/"])
        #expect(denied.context["s3:delimiter"]?.values == ["/"])
        #expect(denied.context["s3:max-keys"] == ContextValue(.number, "1000"))
    }

    @Test func objectArnIsBuiltFromParametersWhenResourcesAreMissing() throws {
        let event = try Self.event(#"{"eventName": "PutObject", "resources": null}"#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.map(\.action) == ["s3:PutObject"])
        #expect(denied.requests[0].resource?.arn == "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv")
    }

    @Test func copyObjectNeedsPutAndGet() throws {
        let event = try Self.event(#"{"eventName": "CopyObject"}"#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.map(\.action) == ["s3:PutObject", "s3:GetObject"])
        #expect(denied.requests.allSatisfy { $0.resource?.arn.hasSuffix("/reports/2026/q3.csv") == true })
    }

    @Test func wildcardOnlyActionsGetNoResource() throws {
        let event = try Self.event(#"{"eventName": "ListBuckets", "requestParameters": null, "resources": null}"#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.map(\.action) == ["s3:ListAllMyBuckets"])
        #expect(denied.requests[0].resource == nil)
        #expect(denied.unresolvedResources.isEmpty)
    }

    @Test func unresolvableResourceIsNamedNotGuessed() throws {
        let event = try Self.event(#"{"eventSource": "sqs.amazonaws.com", "eventName": "SendMessage", "requestParameters": {}, "resources": null}"#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.isEmpty)
        #expect(denied.unresolvedResources["sqs:SendMessage"]?.contains("queue") == true)
        #expect(denied.notes.contains { $0.contains("No resource for sqs:SendMessage") })
    }

    @Test func sqsQueueArnIsBuiltFromTheQueueUrl() throws {
        let event = try Self.event(#"{"eventSource": "sqs.amazonaws.com", "eventName": "SendMessage", "resources": null, "requestParameters": {"queueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs"}}"#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.requests.first?.resource?.arn == "arn:aws:sqs:eu-west-1:111122223333:jobs")
    }

    @Test func iamUserWithLongTermKeysHasNoMfaKeysAndAUsername() throws {
        let event = try Self.event(#"""
        {"userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::111122223333:user/ana",
                          "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLE", "userName": "ana"},
         "tlsDetails": null, "vpcEndpointId": "vpce-0a1b2c3d"}
        """#)
        let denied = try DeniedRequest(event: event, catalog: catalog, principalTags: ["team": "data"])
        let context = denied.context
        #expect(denied.principal.kind == .iamUser)
        #expect(context["aws:username"]?.values == ["ana"])
        #expect(context["aws:PrincipalType"]?.values == ["User"])
        #expect(context.lookup("aws:MultiFactorAuthPresent") == .absent)
        #expect(context["aws:SourceVpce"]?.values == ["vpce-0a1b2c3d"])
        #expect(context.lookup("aws:SourceVpc") == .unknown)
        #expect(context.lookup("aws:SecureTransport") == .unknown)
        #expect(context["aws:PrincipalTag/team"]?.values == ["data"])
    }

    @Test func callsThroughAServiceSetCalledVia() throws {
        let event = try Self.event(#"""
        {"sourceIPAddress": "athena.amazonaws.com",
         "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s", "accountId": "111122223333",
                          "invokedBy": "athena.amazonaws.com",
                          "sessionContext": {"attributes": {"creationDate": "2026-11-23T09:00:00Z", "mfaAuthenticated": "true"}}}}
        """#)
        let context = try DeniedRequest(event: event, catalog: catalog).context
        #expect(context["aws:ViaAWSService"]?.values == ["true"])
        #expect(context["aws:CalledVia"]?.values == ["athena.amazonaws.com"])
        #expect(context.lookup("aws:SourceIp") == .absent)
        #expect(context["aws:MultiFactorAuthAge"]?.values == ["3731"])
    }

    @Test func crossAccountCallerSeenFromTheResourceSide() throws {
        let event = try Self.event(#"""
        {"userIdentity": {"type": "AWSAccount", "principalId": "AROAOTHER:job", "accountId": "444455556666"}}
        """#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        // Not the account's root: some role of it, known by unique id only (issue 13 §5).
        #expect(denied.principal.kind == .accountOnly)
        #expect(denied.principal.uniqueId == "AROAOTHER")
        #expect(denied.context["aws:PrincipalAccount"]?.values == ["444455556666"])
        #expect(denied.context["aws:PrincipalArn"] == nil)
        #expect(denied.isCrossAccount)
        #expect(denied.notes.contains { $0.contains("444455556666") })
    }

    @Test func errorMessageActionIsPrimary() throws {
        let event = try Self.event(#"""
        {"eventName": "GetObject", "errorMessage": "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/abcd because no identity-based policy allows the kms:Decrypt action"}
        """#)
        let denied = try DeniedRequest(event: event, catalog: catalog)
        #expect(denied.actionInErrorMessage == "kms:Decrypt")
        #expect(denied.unresolvedResources["kms:Decrypt"] == nil)
        #expect(denied.primaryRequest?.action == "kms:Decrypt")
        #expect(denied.primaryRequest?.resource?.arn == "arn:aws:kms:eu-west-1:111122223333:key/abcd")
        #expect(denied.requests.map(\.action) == ["kms:Decrypt", "s3:GetObject"])
        // One reader of the message for every view: the parser's reading, through EventDenial.
        #expect(EventDenial(try Self.event(#"""
            {"eventName": "GetObject", "errorMessage": "User: arn:aws:iam::111122223333:user/x is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" because no identity-based policy allows the s3:GetObject action"}
            """#)).messageResource == "arn:aws:s3:::b/k")
        #expect(EventDenial(try Self.event(#"{"eventName": "GetObject", "errorMessage": "Access Denied"}"#)).messageAction == nil)
        #expect(EventDenial(try Self.event(#"{"eventName": "ListObjects", "errorMessage": "User: arn:aws:iam::111122223333:user/x is not authorized to perform: s3:ListBucket."}"#)).messageAction == "s3:ListBucket")
    }

    @Test func eventsWithoutCallerOrApiAreClearErrors() throws {
        #expect(throws: DeniedRequestError.self) {
            try DeniedRequest(event: try Self.event(#"{"userIdentity": null}"#), catalog: catalog)
        }
        #expect(throws: DeniedRequestError.self) {
            try DeniedRequest(event: try Self.event(#"{"eventSource": null}"#), catalog: catalog)
        }
    }
}
