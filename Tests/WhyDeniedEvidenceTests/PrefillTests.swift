import Foundation
import Testing
@testable import WhyDeniedEvidence

@Suite("Prefill")
struct PrefillTests {
    let now = Timestamp.parseISO("2024-08-02T09:00:00Z")!

    @Test func assumedRoleEventMapsToItsRole() throws {
        let prefill = Prefill.from(text: try CloudTrailFixtures.text("aws.defense-evasion.organizations-leave.json"), now: now)
        #expect(prefill.evidence == .cloudTrail(eventID: "16903cbd-fdff-4818-82f2-d66ad09aaf57", formats: [.recordList]))
        #expect(prefill.values == [
            "principal": "arn:aws:iam::307578594326:role/stratus-red-team-leave-org-role",
            "account_id": "307578594326",
            "region": "euiso-south-3r",
            "time_frame": "2024-08-02T08:15:00Z,2024-08-02T08:45:00Z",
            "error_message": "User: arn:aws:sts::307578594326:assumed-role/stratus-red-team-leave-org-role/aws-go-sdk-1722587398902687000 is not authorized to perform: organizations:LeaveOrganization on resource: * because no identity-based policy allows the organizations:LeaveOrganization action",
            "action": "organizations:LeaveOrganization",
        ])
        #expect(prefill["principal"]?.origin == "event 16903cbd: userIdentity.sessionContext.sessionIssuer.arn")
        #expect(prefill["time_frame"]?.origin == "event 16903cbd: eventTime 2024-08-02T08:30:00Z ± 15 minutes")
        #expect(prefill["region"]?.origin == "event 16903cbd: awsRegion")
        #expect(prefill["action"]?.origin.hasPrefix("event 16903cbd: errorMessage") == true)
        #expect(prefill.notes.contains { $0.contains("session 'aws-go-sdk-1722587398902687000'") })
        #expect(prefill.notes.contains { $0.contains("identity-based policy") })
        // Parameters come in runbook order.
        #expect(prefill.parameters.map(\.name) == ["principal", "time_frame", "region", "account_id", "error_message", "action"])
    }

    @Test func ec2DenialTakesActionAndResourceFromTheEvent() throws {
        let text = try CloudTrailFixtures.text("aws.execution.ec2-launch-unusual-instances.json")
        let prefill = Prefill.from(text: text, now: now)
        #expect(prefill["action"]?.value == "ec2:RunInstances")
        // The message's resource wins when the error parser reads one; else the request's ids.
        let event = try #require(try CloudTrailReader.read(text: text).deniedEvents.first)
        if let fromMessage = AuthorizationErrorParser.parseIfAuthorizationError(event.errorMessage!)?.resource, ARN(fromMessage) != nil {
            #expect(prefill["resource"]?.value == fromMessage)
        } else {
            #expect(prefill["resource"]?.value == "arn:aws:ec2:ca-south-3r::image/ami-aCBbfd13bdb1d1E4b")
            #expect(prefill["resource"]?.origin == "event 1a4debbb: requestParameters.instancesSet.items[].imageId")
        }
    }

    @Test func eventMessageResourceBeatsTheRequestParameters() throws {
        let record = #"""
        {"eventID": "abcdef12-0000", "eventTime": "2024-08-02T08:00:00Z", "eventSource": "sqs.amazonaws.com", "eventName": "SendMessage",
         "awsRegion": "eu-west-1", "recipientAccountId": "111122223333", "errorCode": "AccessDenied",
         "errorMessage": "User: arn:aws:iam::111122223333:user/ops is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:111122223333:orders because no identity-based policy allows the sqs:sendmessage action",
         "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ops", "accountId": "111122223333"},
         "requestParameters": {"queueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/other"}}
        """#
        let prefill = Prefill.from(text: record, now: now)
        #expect(prefill["resource"]?.value == "arn:aws:sqs:eu-west-1:111122223333:orders")
        #expect(prefill["resource"]?.origin.hasPrefix("event abcdef12: errorMessage '") == true)
        #expect(prefill["action"]?.value == "sqs:sendmessage")
        #expect(prefill["principal"]?.value == "arn:aws:iam::111122223333:user/ops")
    }

    @Test func latestDeniedEventOfAGzipFileIsUsed() throws {
        let result = try CloudTrailFixtures.read("DERIVED_stratus-red-team_all-events_Records.json.gz")
        let prefill = Prefill.from(events: result, now: now)
        let latest = try #require(result.deniedEvents.max { $0.eventTime! < $1.eventTime! })
        #expect(prefill.evidence == .cloudTrail(eventID: latest.eventID, formats: [.recordsObject]))
        #expect(prefill.notes.first == "51 denied events found; using the latest (event \(latest.shortID), \(latest.eventName!))")
    }

    @Test func eventWithoutDenialIsUsedButNoted() throws {
        let prefill = Prefill.from(text: try CloudTrailFixtures.text("cloudtrail-log-file-examples__01.json"), now: now)
        #expect(prefill.notes.first?.contains("no event has an access-denied error code") == true)
        #expect(prefill["principal"]?.value == "arn:aws:iam::123456789012:user/Alice")
        #expect(prefill["principal"]?.origin == "event (no eventID): userIdentity.arn")
        #expect(prefill["resource"]?.value == "arn:aws:ec2:us-east-2:123456789012:instance/i-ebeaf9e2")
        #expect(prefill["time_frame"] != nil)
        #expect(prefill.notes.contains { $0.contains("90 days") })
    }

    @Test func lookupEventsOutputPrefills() throws {
        let prefill = Prefill.from(text: try CloudTrailFixtures.text("lookup-events_aws-cli-docs-example.json"), now: now)
        #expect(prefill["principal"]?.value == "arn:aws:iam::123456789012:role/my-role")
        #expect(prefill["region"]?.value == "us-east-1")
    }

    @Test func errorMessageWithAssumedRole() {
        let text = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/Dev/ana is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::reports/q1.csv\" because no identity-based policy allows the s3:GetObject action"
        let prefill = Prefill.from(text: text, now: now)
        #expect(prefill.evidence == .errorMessage)
        #expect(prefill["principal"]?.value == "arn:aws:iam::123456789012:role/Dev")
        #expect(prefill["principal"]?.origin.hasPrefix("error message: '") == true)
        #expect(prefill["principal"]?.origin.contains("arn:aws:sts::123456789012:assumed-role/Dev/ana") == true)
        #expect(prefill["action"]?.value == "s3:GetObject")
        #expect(prefill["resource"]?.value == "arn:aws:s3:::reports/q1.csv")
        #expect(prefill["account_id"]?.value == "123456789012")
        #expect(prefill["error_message"]?.value == text)
        #expect(prefill["region"] == nil)  // neither ARN carries a region
        #expect(prefill["time_frame"]?.value == "2024-08-02T08:00:00Z,2024-08-02T09:00:00Z")
        #expect(prefill["time_frame"]?.origin.hasPrefix("default:") == true)
        #expect(prefill.notes.contains { $0.contains("session 'ana'") })
    }

    @Test func regionComesFromARegionalARNInTheMessage() {
        let text = "An error occurred (AccessDenied) when calling the SendMessage operation: User: arn:aws:iam::111122223333:user/ops is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:eu-west-1:111122223333:orders because no identity-based policy allows the sqs:SendMessage action"
        let prefill = Prefill.from(text: text, now: now)
        #expect(prefill["region"]?.value == "eu-west-1")
        #expect(prefill["region"]?.origin == "error message: region of arn:aws:sqs:eu-west-1:111122223333:orders")
        #expect(prefill["principal"]?.value == "arn:aws:iam::111122223333:user/ops")
        #expect(prefill["resource"]?.value == "arn:aws:sqs:eu-west-1:111122223333:orders")
        #expect(prefill.notes.contains { $0.contains("identity-based policy") })
    }

    @Test func nothingUsefulIsAProblemNotACrash() throws {
        #expect(Prefill.from(text: "   ", now: now).problems == ["nothing was pasted"])
        let csv = Prefill.from(text: try CloudTrailFixtures.text("aws_s3_honeybucketlogs_first-20-lines.csv"), now: now)
        #expect(csv.parameters.isEmpty)
        #expect(csv.problems.count == 1)
        let json = Prefill.from(text: #"{"hello": "world"}"#, now: now)
        #expect(json.parameters.isEmpty)
        #expect(json.problems.first?.contains("not CloudTrail") == true)
    }
}
