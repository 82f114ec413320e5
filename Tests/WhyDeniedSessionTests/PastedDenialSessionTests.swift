import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedRunbook
import WhyDeniedSession

/// The session takes the paste dialog's reading of the message as it is (`pasted:`): its facts
/// and, without an event, its reported request come from that value, not from parsing the
/// `error_message` text again.
struct PastedDenialSessionTests {
    static let message = "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized "
        + "to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/q3.csv\" with an explicit deny "
        + "in a resource-based policy"

    @Test func thePastedDenialIsTheSessionsReading() throws {
        let parsed = try AuthorizationErrorParser.parse(Self.message).get()
        let runbook = try RunbookFixture.loaded()
        let session = GuidedSession(runbook: runbook, parameters: [
            "principal": "DataAnalystRole", "time_frame": "1 hour ago", "region": "us-east-1", "error_message": Self.message,
        ], now: Date(), readOnly: true, pasted: .errorMessage(parsed))
        #expect(session.pastedDenial == parsed)
        #expect(session.engine.facts["denial.action"]?.stringValue == "s3:GetObject")
        let reported = try ReportedDenial.request(message: session.pastedDenial, parameters: session.engine.parameters,
                                                  facts: session.engine.facts)
        #expect(reported.message == parsed)
        #expect(reported.resourceArn == "arn:aws:s3:::analytics-data-bucket/reports/q3.csv")
    }
}
