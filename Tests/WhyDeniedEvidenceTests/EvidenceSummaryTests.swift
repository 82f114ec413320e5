import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedEvidence

/// What `whydenied parse` prints, from the error-message corpus and the real CloudTrail fixtures.
struct EvidenceSummaryTests {
    static let now = Timestamp.parseISO("2026-11-23T12:00:00Z")!
    /// The seed case's message (an assumed-role session blocked by the bucket policy).
    static let seedMessage = "An error occurred (AccessDenied) when calling the GetObject operation: User: "
        + "arn:aws:sts::123456789012:assumed-role/DataAnalystRole/alice is not authorized to perform: "
        + "s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/q1.csv\" "
        + "with an explicit deny in a resource-based policy"

    @Test func errorMessageFieldsAndWhereEachCameFrom() throws {
        let summary = EvidenceSummary.read(text: Self.seedMessage, now: Self.now)
        #expect(summary.kind == .errorMessage)
        let table = summary.table()
        #expect(table.contains("code            AccessDenied  ← \"error occurred (AccessDenied\""))
        #expect(table.contains("principal kind  assumedRole"))
        #expect(table.contains("role            arn:aws:iam::123456789012:role/DataAnalystRole"))
        #expect(table.contains("decision        explicitDeny"))
        #expect(table.contains("policy type     resourceBased"))
        let json = summary.json()
        #expect(json["kind"]?.stringValue == "error_message")
        #expect(json["error"]?["action"]?.stringValue == "s3:GetObject")
        #expect(json["error"]?["resource"]?.stringValue == "arn:aws:s3:::analytics-data-bucket/reports/q1.csv")
        #expect(json["error"]?["sessionName"]?.stringValue == "alice")
        #expect(json["error"]?["origins"]?["action"]?.stringValue == "not authorized to perform: s3:GetObject")
        let parameters = json["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(parameters == ["principal", "time_frame", "resource", "account_id", "error_message", "action"])
        #expect(json["parameters"]?[0]?["value"]?.stringValue == "arn:aws:iam::123456789012:role/DataAnalystRole")
    }

    @Test func gzipTrailFileListsOnlyDeniedEventsWithMaskedKeys() throws {
        let result = try CloudTrailFixtures.read("DERIVED_stratus-red-team_all-events_Records.json.gz")
        let summary = EvidenceSummary.read(result, now: Self.now)
        #expect(summary.kind == .cloudTrail)
        #expect(summary.eventsRead == result.events.count)
        #expect(summary.deniedCount == result.deniedEvents.count)
        #expect(summary.events.count == result.deniedEvents.count)
        #expect(summary.events.map(\.eventID) == result.deniedEvents.compactMap(\.eventID))
        #expect(summary.events.allSatisfy { !$0.errorCode.isEmpty })
        #expect(summary.table().hasPrefix("CloudTrail: \(result.events.count) event(s) read (Records object), \(result.deniedEvents.count) denied"))
        // Full access key ids never appear; the AKIA/ASIA prefix and last four do.
        for event in result.deniedEvents {
            guard let key = event.userIdentity?.accessKeyId, key.count > 8 else { continue }
            #expect(!summary.table().contains(key))
            #expect(!summary.json().serialized(pretty: false).contains(key))
        }
        #expect(summary.events.contains { $0.accessKeyId?.hasPrefix("ASIA…") == true })
    }

    @Test func allEventsListsEveryEvent() throws {
        let result = try CloudTrailFixtures.read("lookup-events_real_cli-v2_max-results-5.json")
        let summary = EvidenceSummary.read(result, now: Self.now, allEvents: true)
        #expect(summary.events.count == 5)
        #expect(summary.json()["formats"]?[0]?.stringValue == "lookup-events output")
        #expect(summary.events[0].actions == ["ec2:DescribeLaunchTemplateVersions"])
        #expect(EvidenceSummary.read(result, now: Self.now).events.isEmpty)
    }

    @Test func pastedRecordIsReadAsCloudTrail() throws {
        let text = try CloudTrailFixtures.text("cloudtrail-log-file-examples__01.json")
        let summary = EvidenceSummary.read(text: text, now: Self.now, allEvents: true)
        #expect(summary.kind == .cloudTrail)
        #expect(summary.eventsRead > 0)
    }

    @Test func garbageSaysWhyNothingWasRead() {
        let binary = String(decoding: (0..<400).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }, as: UTF8.self)
        let summary = EvidenceSummary.read(text: binary, now: Self.now)
        #expect(summary.kind == .unreadable)
        #expect(summary.problems.contains { $0.hasPrefix("not an AWS authorization error") })
        #expect(summary.table().hasPrefix("Nothing could be read."))

        let truncated = EvidenceSummary.read(text: "{\"Records\": [{\"eventName\": \"GetObject\"", now: Self.now)
        #expect(truncated.kind == .unreadable)
        #expect(truncated.problems.first?.hasPrefix("not CloudTrail content:") == true)
        #expect(truncated.problems.first?.contains("line 1") == true)
    }

    @Test func malformedRecordsAreListedWithTheirPositions() throws {
        let text = """
        {"eventVersion":"1.08","eventTime":"2024-05-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","errorCode":"AccessDenied","eventID":"e-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob","accountId":"111122223333"}}
        {"eventVersion": broken
        """
        let summary = EvidenceSummary.read(text: text, now: Self.now)
        #expect(summary.kind == .cloudTrail)
        #expect(summary.events.map(\.eventID) == ["e-1"])
        #expect(summary.problems.count == 1)
        #expect(summary.problems[0].contains("line 2"))
    }
}
