import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedEvidence

/// One test per accepted input shape, each from a fixture in the real shape.
@Suite("CloudTrail reader: input formats")
struct CloudTrailReaderFormatTests {
    @Test func singleRecordFromTheUserIdentityDocExample() throws {
        let result = try CloudTrailFixtures.read("cloudtrail-event-reference-user-identity__01.json")
        #expect(result.formats == [.singleRecord])
        #expect(result.events.count == 1)
        #expect(result.problems.isEmpty)
        #expect(result.events[0].userIdentity?.type == "AssumedRole")
    }

    @Test func recordsObjectFromTheLogFileExample() throws {
        let result = try CloudTrailFixtures.read("cloudtrail-log-file-examples__01.json")
        #expect(result.formats == [.recordsObject])
        #expect(result.events.map(\.eventName) == ["StartInstances"])
        #expect(result.positions[0].recordIndex == 0)
        #expect(result.positions[0].line == 1)  // `{"Records": [{` is on the first line
    }

    @Test func insightsRecordsAreRead() throws {
        let result = try CloudTrailFixtures.read("cloudtrail-log-file-examples__07.json")
        #expect(result.events.count == 2)
        #expect(result.events.allSatisfy { $0.eventType == "AwsCloudTrailInsight" && $0.eventCategory == "Insight" })
        #expect(result.events[0].sharedEventID == "EXAMPLE2-1729-42f1-b735-5d8c0EXAMPLE")
        #expect(result.events[0].raw["insightDetails"]?["state"]?.stringValue == "Start")
    }

    @Test func topLevelListFromStratus() throws {
        let result = try CloudTrailFixtures.read("aws.defense-evasion.organizations-leave.json")
        #expect(result.formats == [.recordList])
        #expect(result.events.count == 3)
        #expect(result.deniedEvents.map(\.eventName) == ["LeaveOrganization"])
        #expect(result.positions.map(\.recordIndex) == [0, 1, 2])
        #expect(result.positions[0].line == 2)
    }

    @Test func newlineDelimitedRecordsWithLogstashKeys() throws {
        let result = try CloudTrailFixtures.read("ec2_proxy_s3_exfiltration_2020-09-14011940.json")
        #expect(result.formats == [.recordLines])
        #expect(result.events.count == 103)
        #expect(result.problems.isEmpty)
        #expect(result.events[0].raw["@version"]?.stringValue == "1")
        #expect(result.positions[5].line == 6)
    }

    @Test func wrappedRecordsPerLineFromPanther() throws {
        let result = try CloudTrailFixtures.read("panther_cloudtrail_test_events_subset.jsonl")
        #expect(result.events.count == 103)
        #expect(result.problems.isEmpty)
        // Space-separated times without a zone are read as UTC.
        let spaced = try #require(result.events.first { $0.eventTimeText == "2025-01-21 17:49:47.000000000" })
        #expect(spaced.eventTime == CloudTrailFixtures.epoch("2025-01-21T17:49:47Z"))
        #expect(result.deniedEvents.count >= 30)
    }

    @Test func concatenatedPrettyRecords() throws {
        let result = try CloudTrailFixtures.read("CONSTRUCTED_concatenated-records.json")
        #expect(result.formats == [.recordLines])
        #expect(result.events.count == 3)
        #expect(result.positions.map(\.recordIndex) == [0, 1, 2])
        #expect(result.positions[0].line == 1)
    }

    @Test func lookupEventsRealCLIv2Output() throws {
        let result = try CloudTrailFixtures.read("lookup-events_real_cli-v2_max-results-5.json")
        #expect(result.formats == [.lookupEvents])
        #expect(result.events.count == 5)
        #expect(result.problems.isEmpty)
        let first = result.events[0]
        #expect(first.eventID == "cfece4ca-b016-4184-902e-b5b797085789")
        #expect(first.eventName == "DescribeLaunchTemplateVersions")
        #expect(first.userIdentity?.invokedBy == "autoscaling.amazonaws.com")
        #expect(first.userIdentity?.policyHolderArn == "arn:aws:iam::420228061920:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
        #expect(first.readOnly == true)
        #expect(result.events.contains { $0.userIdentity?.type == "Root" && $0.tlsDetails != nil })
    }

    @Test func lookupEventsDocExampleWithLocalOffset() throws {
        let result = try CloudTrailFixtures.read("lookup-events_aws-cli-docs-example.json")
        #expect(result.events.count == 1)
        let event = result.events[0]
        #expect(event.eventType == "AwsConsoleSignIn")
        #expect(event.eventTime == CloudTrailFixtures.epoch("2016-01-26T21:42:12Z"))
        #expect(event.userIdentity?.sessionContext?.sessionIssuer?.userName == "my-role")
    }

    @Test func lookupEventsOuterEventTimeIsUsedWhenTheRecordLacksOne() throws {
        let text = #"{"Events": [{"EventId": "x", "EventTime": 1424476529.0, "CloudTrailEvent": "{\"eventName\":\"ConsoleLogin\",\"eventID\":\"x\"}"}, {"EventId": "y", "EventTime": "2021-11-18T09:41:02-08:00", "CloudTrailEvent": "{\"eventName\":\"GetObject\"}"}]}"#
        let result = try CloudTrailReader.read(text: text)
        #expect(result.events[0].eventTime == Date(timeIntervalSince1970: 1424476529))
        #expect(result.events[1].eventTime == CloudTrailFixtures.epoch("2021-11-18T17:41:02Z"))
    }

    @Test func filterLogEventsOutput() throws {
        let result = try CloudTrailFixtures.read("CONSTRUCTED_filter-log-events_from-stratus.json")
        #expect(result.formats == [.filterLogEvents])
        #expect(result.events.count == 6)
        #expect(result.deniedEvents.map(\.errorCode) == ["AccessDenied", "Client.UnauthorizedOperation"])
    }

    @Test func logsSubscriptionPayload() throws {
        let text = #"{"owner":"123456789012","logGroup":"CloudTrail","logStream":"123456789012_CloudTrail_us-east-1","messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1432826855000,"message":"{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"},\"eventTime\":\"2015-05-28T15:27:35Z\",\"eventName\":\"DescribeTrails\"}"}]}"#
        let result = try CloudTrailReader.read(text: text)
        #expect(result.formats == [.logsSubscription])
        #expect(result.events.first?.userIdentity?.type == "Root")
    }

    @Test func gzipRecordsFile() throws {
        let result = try CloudTrailFixtures.read("DERIVED_stratus-red-team_all-events_Records.json.gz")
        #expect(result.formats == [.recordsObject])
        #expect(result.events.count == 310)
        #expect(result.problems.isEmpty)
        #expect(result.deniedEvents.count == 51)
        #expect(result.events.filter { $0.errorCode == "AccessDenied" }.count == 5)
        #expect(result.events.filter { $0.errorCode == "Client.UnauthorizedOperation" }.count == 46)
    }

    @Test func awsLibraryGzipFixture() throws {
        let result = try CloudTrailFixtures.read("SerializerTestFileCompact.json.gz")
        #expect(result.events.count == 6)
        #expect(result.events[0].requestParameters?["clusterIdentifier"]?.stringValue == "my-redshift-cluster")
    }

    @Test func s3TrailDirectoryIsReadRecursivelyAndDigestsAreSkipped() throws {
        let result = try CloudTrailReader.read(path: CloudTrailFixtures.path("s3-trail"))
        #expect(result.filesRead == 2)
        #expect(result.events.count == 316)
        #expect(result.problems.isEmpty)
        #expect(!result.positions.contains { $0.source.contains("Digest") })
        #expect(CloudTrailReader.trailFiles(under: CloudTrailFixtures.path("s3-trail")).count == 2)
    }

    @Test func recordPastedAsAJSONString() throws {
        let record = #"{"eventName":"GetObject","eventSource":"s3.amazonaws.com","errorCode":"AccessDenied"}"#
        let quoted = JSONValue.string(record).serialized()
        let result = try CloudTrailReader.read(text: quoted)
        #expect(result.events.first?.isDenied == true)
    }

    @Test func hardWrappedRecordIsRepairedAndNoted() throws {
        let text = "{\"eventName\": \"GetBucketVersioning\", \"errorCode\": \"AccessDenie\n   d\", \"eventSource\": \"s3.amazonaws.com\"}"
        let result = try CloudTrailReader.read(text: text)
        #expect(result.events.first?.errorCode == "AccessDenied")
        #expect(result.notes.count == 1)
    }

    @Test func emptyListsAreNotErrors() throws {
        #expect(try CloudTrailReader.read(text: "[]").events.isEmpty)
        #expect(try CloudTrailReader.read(text: #"{"Records": []}"#).events.isEmpty)
        #expect(try CloudTrailReader.read(text: #"{"Events": [], "NextToken": "abc"}"#).formats == [.lookupEvents])
    }
}
