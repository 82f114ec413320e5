import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedSession

/// Why no event was found, from what the session read; each reason with its command.
struct NoEventDiagnosisTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-02T06:00:00Z")!
    static let trail = NoEventDiagnosis.Trail(arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events",
                                              homeRegion: "us-east-1", isLogging: true, dataResourceTypes: [])

    static func inputs(action: String, start: TimeInterval = -3600, end: TimeInterval = 0,
                       trails: [NoEventDiagnosis.Trail]? = [trail]) -> NoEventDiagnosis.Inputs {
        NoEventDiagnosis.Inputs(action: action, resourceArn: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv",
                                region: "us-east-1", timeStart: now.addingTimeInterval(start), timeEnd: now.addingTimeInterval(end),
                                now: now, callerAccount: "111122223333", trails: trails)
    }

    @Test func aDataEventNoTrailSelectsIsSaidWithTheSelectorThatWouldRecordIt() throws {
        let findings = NoEventDiagnosis.diagnose(Self.inputs(action: "s3:GetObject"))
        #expect(findings.map(\.reason) == [.dataEventNotSelected])
        let finding = try #require(findings.first)
        #expect(finding.explanation.contains("AWS::S3::Object"))
        #expect(finding.commandChanges)
        let command = try #require(finding.command)
        #expect(Array(command.prefix(5)) == ["aws", "cloudtrail", "put-event-selectors", "--trail-name", Self.trail.arn])
        let selectors = try JSONValue.parse(command[6])
        // Management events are kept: put-event-selectors replaces the trail's selectors.
        #expect(selectors[0]?["FieldSelectors"]?[0]?["Equals"]?[0]?.stringValue == "Management")
        #expect(selectors[1]?["FieldSelectors"]?[1]?["Equals"]?[0]?.stringValue == "AWS::S3::Object")
        #expect(selectors[1]?["FieldSelectors"]?[2]?["StartsWith"]?[0]?.stringValue == "arn:aws:s3:::analytics-data-bucket/")
    }

    @Test func aSelectedDataEventIsNotBlamed() {
        var selecting = Self.trail
        selecting.dataResourceTypes = ["AWS::S3::Object"]
        let findings = NoEventDiagnosis.diagnose(Self.inputs(action: "s3:GetObject", end: -3600, trails: [selecting]))
        #expect(findings.isEmpty)
    }

    @Test func aFreshManagementEventSaysTheTimeLeftAndHowToLookAgain() throws {
        let findings = NoEventDiagnosis.diagnose(Self.inputs(action: "kms:Decrypt", end: -5 * 60))
        #expect(findings.map(\.reason) == [.tooRecent])
        let finding = try #require(findings.first)
        #expect(finding.explanation.contains("in 10 minutes"), "\(finding.explanation)")
        #expect(finding.explanation.contains("06:10"))
        #expect(!finding.commandChanges)
        #expect(finding.command?.prefix(3) == ["aws", "cloudtrail", "lookup-events"])
        #expect(finding.command?.contains("AttributeKey=EventName,AttributeValue=Decrypt") == true)
    }

    @Test func anOldManagementEventIsNeitherTooRecentNorBlamedOnSelectors() {
        #expect(NoEventDiagnosis.diagnose(Self.inputs(action: "kms:Decrypt", start: -7200, end: -3600)).isEmpty)
    }

    @Test func pastTheEventHistoryOffersAthena() throws {
        var inputs = Self.inputs(action: "iam:CreateUser", start: -120 * 86_400, end: -119 * 86_400)
        inputs.athenaQuery = ("SELECT 1", "primary", "s3://whydenied-trail-logs/athena-results/")
        let finding = try #require(NoEventDiagnosis.diagnose(inputs).first)
        #expect(finding.reason == .pastEventHistory)
        #expect(finding.explanation.contains("120 days ago"))
        #expect(finding.command?.prefix(3) == ["aws", "athena", "start-query-execution"])
        #expect(finding.commandChanges)
    }

    @Test func aTrailOfAnotherRegionOrAccountOrNotLoggingIsNamed() {
        let elsewhere = NoEventDiagnosis.Trail(arn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-only", homeRegion: "eu-west-1",
                                               isLogging: true, dataResourceTypes: [])
        let organization = NoEventDiagnosis.Trail(arn: "arn:aws:cloudtrail:us-east-1:999988887777:trail/org", homeRegion: "us-east-1",
                                                  multiRegion: true, organization: true, isLogging: true, dataResourceTypes: [])
        var stopped = Self.trail
        stopped.isLogging = false
        let reasons = NoEventDiagnosis.diagnose(Self.inputs(action: "kms:Decrypt", start: -7200, end: -3600,
                                                            trails: [elsewhere, organization, stopped])).map(\.reason)
        #expect(reasons == [.trailInAnotherRegion, .trailInAnotherAccount, .trailNotLogging])
        #expect(NoEventDiagnosis.diagnose(Self.inputs(action: "kms:Decrypt", start: -7200, end: -3600, trails: [])).map(\.reason) == [.noTrail])
    }

    @Test func theInputsComeFromWhatTheSessionCaptured() {
        let captures: [String: JSONValue] = [
            "caller_account": .string("111122223333"),
            "trail_scopes": .array([.object(JSONObject([("trail", .string(Self.trail.arn)), ("home_region", .string("us-east-1")),
                                                       ("multi_region", .bool(false)), ("organization", .bool(false))]))]),
            "trail_statuses": .array([.object(JSONObject([("trail", .string(Self.trail.arn)), ("is_logging", .bool(true))]))]),
            "trail_selectors": .array([.object(JSONObject([("trail", .string(Self.trail.arn)), ("management_events", .bool(true)),
                                                          ("data_resource_types", .array([]))]))]),
        ]
        let facts: [String: JSONValue] = ["denial.action": .string("s3:GetObject"), "time.start": .string("2026-12-02T05:00:00Z"),
                                          "time.end": .string("2026-12-02T06:00:00Z")]
        let inputs = NoEventDiagnosis.inputs(captures: captures, facts: facts, parameters: ["region": "us-east-1"], now: Self.now)
        #expect(inputs.trails == [Self.trail])
        #expect(inputs.action == "s3:GetObject")
        #expect(NoEventDiagnosis.diagnose(inputs).map(\.reason) == [.dataEventNotSelected])
    }
}
