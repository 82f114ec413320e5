import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedEvidence
import WhyDeniedRedaction

/// Every decoded field, read from real records.
@Suite("CloudTrail event: decoded fields")
struct CloudTrailEventFieldTests {
    /// The denied `RunInstances` event from the stratus `ec2-launch-unusual-instances` file.
    func runInstances() throws -> CloudTrailEvent {
        let result = try CloudTrailFixtures.read("aws.execution.ec2-launch-unusual-instances.json")
        return try #require(result.events.first { $0.eventID == "1a4debbb-12e9-4bde-b8c7-ea29002bb2a7" })
    }

    @Test func topLevelFieldsOfADeniedAssumedRoleEvent() throws {
        let event = try runInstances()
        #expect(event.eventVersion == "1.09")
        #expect(event.eventTime == CloudTrailFixtures.epoch("2024-08-01T11:30:23Z"))
        #expect(event.eventTimeText == "2024-08-01T11:30:23Z")
        #expect(event.eventSource == "ec2.amazonaws.com")
        #expect(event.eventName == "RunInstances")
        #expect(event.awsRegion == "ca-south-3r")
        #expect(event.errorCode == "Client.UnauthorizedOperation")
        #expect(event.errorMessage?.hasPrefix("You are not authorized to perform this operation. User: arn:aws:sts::751353041310:assumed-role/") == true)
        #expect(event.isDenied)
        #expect(event.recipientAccountId == "900138736586")
        #expect(event.requestID == "b663854b-4ebf-4be3-8de0-9c5471904762")
        #expect(event.readOnly == false)
        #expect(event.managementEvent == true)
        #expect(event.eventType == "AwsApiCall")
        #expect(event.eventCategory == "Management")
        #expect(event.requestParameters?["instanceType"]?.stringValue == "p2.xlarge")
        #expect(event.tlsDetails == CloudTrailEvent.TLSDetails(tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256",
                                                                clientProvidedHostHeader: "ec2.ca-south-3r.amazonaws.com"))
        #expect(event.userAgent?.hasPrefix("stratus-red-team_") == true)
        #expect(event.sourceIPAddress != nil)
        #expect(event.raw["eventName"]?.stringValue == "RunInstances")
        #expect(event.shortID == "1a4debbb")
    }

    @Test func assumedRoleIdentityWithSessionContext() throws {
        let identity = try #require(try runInstances().userIdentity)
        #expect(identity.type == "AssumedRole")
        #expect(identity.arn == "arn:aws:sts::900138736586:assumed-role/stratus-red-team-ec2lui-role-idtzskbvtd/aws-go-sdk-1722511821294449000")  // the anonymiser gave the message and the identity different accounts
        #expect(identity.accountId == "900138736586")
        #expect(identity.accessKeyId?.hasPrefix("ASIA") == true)
        #expect(identity.principalId?.hasSuffix(":aws-go-sdk-1722511821294449000") == true)
        let session = try #require(identity.sessionContext)
        #expect(session.mfaAuthenticated == false)
        #expect(session.creationDate == CloudTrailFixtures.epoch("2024-08-01T11:30:22Z"))
        #expect(session.sessionIssuer?.type == "Role")
        #expect(session.sessionIssuer?.arn == "arn:aws:iam::900138736586:role/stratus-red-team-ec2lui-role-idtzskbvtd")
        #expect(session.sessionIssuer?.userName == "stratus-red-team-ec2lui-role-idtzskbvtd")
        #expect(session.sessionIssuer?.accountId == "900138736586")
        #expect(identity.policyHolderArn == "arn:aws:iam::900138736586:role/stratus-red-team-ec2lui-role-idtzskbvtd")
        #expect(identity.sessionName == "aws-go-sdk-1722511821294449000")
        #expect(identity.principal?.kind == .assumedRole)
    }

    @Test func iamUserIdentity() throws {
        let result = try CloudTrailFixtures.read("aws.persistence.iam-create-user-login-profile.json")
        let event = try #require(result.events.first { $0.errorCode != nil })
        #expect(event.errorCode == "EntityTemporarilyUnmodifiableException")
        #expect(!event.isDenied)
        let identity = try #require(event.userIdentity)
        #expect(identity.type == "IAMUser")
        #expect(identity.userName == "christophe")
        #expect(identity.arn == "arn:aws:iam::070411556318:user/christophe")
        #expect(identity.policyHolderArn == identity.arn)
        #expect(identity.sessionName == nil)
        #expect(identity.principal?.kind == .iamUser)
    }

    @Test func rootAndServiceLinkedRoleFromLookupEvents() throws {
        let result = try CloudTrailFixtures.read("lookup-events_real_cli-v2_max-results-5.json")
        let root = try #require(result.events.first { $0.userIdentity?.type == "Root" })
        #expect(root.userIdentity?.principal?.kind == .root)
        #expect(root.userIdentity?.policyHolderArn == root.userIdentity?.arn)
        let service = try #require(result.events.first { $0.userIdentity?.invokedBy != nil })
        #expect(service.sourceIPAddress == "autoscaling.amazonaws.com")
        #expect(service.userIdentity?.sessionContext?.mfaAuthenticated == false)
        #expect(service.userIdentity?.sessionContext?.creationDateText == "2026-03-07T15:12:33Z")
    }

    @Test func webIdentityFederationAndUnknownKeys() throws {
        let result = try CloudTrailFixtures.read("SerializerVariousUserIdentityTestFile.json")
        let identity = try #require(result.events.first?.userIdentity)
        #expect(identity.sessionContext?.webIdFederationProvider == "webIdFederationDataFederatedProvider1")
        #expect(identity.sessionContext?.webIdFederationAttributes == ["key1": "value1", "key2": "value2"])
        #expect(result.events.first?.resources.first == CloudTrailEvent.CloudTrailResource(arn: "arn:aws:iam:sample1", accountId: "acccountId1", type: nil))
        // Unknown keys stay in the raw record.
        #expect(result.events.first?.raw["userIdentity"]?["newFieldStringType"]?.stringValue == "newFieldString1")
    }

    @Test func allNullFieldsAreAbsentNotErrors() throws {
        let result = try CloudTrailFixtures.read("SerializerAllFieldsNull.json")
        #expect(result.problems.isEmpty)
        let first = try #require(result.events.first)
        #expect(first.eventTime == nil && first.userIdentity == nil && first.resources.isEmpty && first.eventName == nil)
    }

    @Test func resourcesAndVpcEndpointAndOnBehalfOf() throws {
        let record = #"""
        {"eventVersion":"1.10","eventTime":"2024-05-01T10:00:00.123Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt",
         "vpcEndpointId":"vpce-0abc","sharedEventID":"s-1","readOnly":"true",
         "userIdentity":{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"u-1","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-1"},"credentialId":"c-1"},
         "resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}],
         "responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"wJalr","sessionToken":"IQoJ"}}}
        """#
        let event = try CloudTrailEvent(record: JSONValue.parse(record))
        #expect(event.eventTime == Date(timeIntervalSince1970: CloudTrailFixtures.epoch("2024-05-01T10:00:00Z").timeIntervalSince1970 + 0.123))
        #expect(event.vpcEndpointId == "vpce-0abc")
        #expect(event.sharedEventID == "s-1")
        #expect(event.readOnly == true)
        #expect(event.userIdentity?.onBehalfOfUserId == "u-1")
        #expect(event.userIdentity?.onBehalfOfIdentityStoreArn == "arn:aws:identitystore::111122223333:identitystore/d-1")
        #expect(event.userIdentity?.credentialId == "c-1")
        #expect(event.resources == [CloudTrailEvent.CloudTrailResource(arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                                                                       accountId: "111122223333", type: "AWS::KMS::Key")])
        let redacted = try #require(event.redactedResponseElements)
        // One redactor (WhyDeniedRedaction): the whole credentials object goes.
        #expect(redacted["credentials"]?.stringValue == Redactor.placeholder)
        #expect(!redacted.serialized().contains("wJalr"))
    }

    @Test func wrongTypesAreErrorsNamingTheField() throws {
        let cases: [(String, String)] = [
            (#"{"eventName": 42}"#, "eventName"),
            (#"{"eventName": "X", "userIdentity": "me"}"#, "userIdentity"),
            (#"{"eventName": "X", "userIdentity": {"sessionContext": {"sessionIssuer": {"arn": 7}}}}"#, "userIdentity.sessionContext.sessionIssuer.arn"),
            (#"{"eventName": "X", "readOnly": "maybe"}"#, "readOnly"),
            (#"{"eventName": "X", "resources": {}}"#, "resources"),
            (#"{"eventName": "X", "resources": [1]}"#, "resources[0]"),
            (#"{"eventTime": "yesterday"}"#, "eventTime"),
            (#"{"eventTime": "2023-02-30T00:00:00Z"}"#, "eventTime"),
        ]
        for (text, field) in cases {
            #expect(throws: CloudTrailRecordError.self) { try CloudTrailEvent(record: JSONValue.parse(text)) }
            do {
                _ = try CloudTrailEvent(record: JSONValue.parse(text))
            } catch let error as CloudTrailRecordError {
                #expect(error.field == field, "\(text)")
            }
        }
        #expect(throws: CloudTrailRecordError.self) { try CloudTrailEvent(record: .array([])) }
        #expect(throws: CloudTrailRecordError.self) { try CloudTrailEvent(record: JSONValue.parse(#"{"DecodedMessage": "x"}"#)) }
    }

    @Test(arguments: [
        ("AccessDenied", true), ("accessdenied", true), ("AccessDeniedException", true), ("UnauthorizedOperation", true),
        ("Client.UnauthorizedOperation", true), ("UnauthorizedAccess", true), ("KMS.AccessDeniedException", true),
        ("VpceAccessDenied", true), ("AllAccessDisabled", true), ("Client.UnauthorizedAccess", true),
        ("NoSuchBucket", false), ("ThrottlingException", false), ("ExpiredToken", false), ("TrailNotFoundException", false), ("", false),
    ])
    func deniedErrorCodes(code: String, denied: Bool) {
        #expect(DeniedErrorCode.isDenied(code) == denied)
    }

    @Test func deniedSelectionOverAMixedFile() throws {
        let result = try CloudTrailFixtures.read("panther_cloudtrail_test_events_subset.jsonl")
        let codes = Set(result.deniedEvents.compactMap(\.errorCode))
        #expect(codes.isSuperset(of: ["AccessDenied", "Client.UnauthorizedOperation"]))
        #expect(!codes.contains("NoSuchEntity"))
        #expect(result.deniedEvents.allSatisfy { DeniedErrorCode.isDenied($0.errorCode) })
        #expect(result.events.contains { $0.errorCode == "NoSuchEntity" })
    }
}
