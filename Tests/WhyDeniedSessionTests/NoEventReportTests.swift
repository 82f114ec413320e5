import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedReport
import WhyDeniedSession
import WhyDeniedTestSupport

/// Why no event was found reaches the journal and, from it alone, the report (Markdown and
/// JSON): each finding with its command marked not run, and the "too recent" one with the time
/// to look again and the read-only lookup that would. Against moto, with paste-only scenarios.
@Suite struct NoEventReportTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var scenario: String
        var reason: String
        var changes: Bool
        var testDescription: String { scenario }
    }

    static let cases = [
        Case(scenario: "kms-key-policy-paste", reason: "too_recent", changes: false),
        Case(scenario: "user-no-allow-paste", reason: "data_event_not_selected", changes: true),
    ]

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: cases)
    func theFindingsAreJournaledAndReported(expected: Case) async throws {
        let store = SessionStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("no-event-report-\(UUID().uuidString.prefix(8))"))
        defer { try? FileManager.default.removeItem(at: store.root) }
        let recording = try await ScenarioRecordings.shared.recording(expected.scenario)
        let parameters = recording.parameters
        do {
            let journal = try SessionJournal.create(in: store)
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: recording.replayRunner(), journal: journal)
            let live = session.findings.whyNoEvent
            #expect(live.first?.reason.rawValue == expected.reason, "\(live)")

            // The report reads the journal only, as for a resumed or crashed session.
            let recorded = RecordedSession(id: journal.folder.id, reading: try JournalReading(contentsOf: journal.folder.journalURL))
            let report = SessionReport(session: recorded)
            #expect(report.whyNoEvent.map(\.reason) == live.map(\.reason.rawValue))
            let finding = try #require(report.whyNoEvent.first)
            #expect(finding.commandStatus == "not run")
            #expect(finding.commandChanges == expected.changes)
            let command = try #require(finding.command)
            #expect(CommandClassifier.bundled.classify(command).mutates == expected.changes)
            if expected.reason == "too_recent" {
                #expect(command.prefix(3) == ["aws", "cloudtrail", "lookup-events"])
                #expect(finding.lookAgainAfter != nil)
                #expect(finding.explanation.contains("Look again in"))
            }

            let json = report.jsonValue
            #expect(json["why_no_event"]?[0]?["reason"]?.stringValue == expected.reason)
            #expect(json["why_no_event"]?[0]?["command_status"]?.stringValue == "not run")
            #expect(json["why_no_event"]?[0]?["command"]?[0]?.stringValue == "aws")
            // `whydenied resume ID` shows them too, from the journal.
            if WhyDeniedBinary.exists {
                let resumed = try await WhyDeniedBinary.running(["resume", journal.folder.url.path])
                #expect(resumed.stdout.contains("Why no event was found:"), "\(resumed.stdout)\n\(resumed.stderr)")
                #expect(resumed.stdout.contains(expected.changes ? "To change it (changes the account), not run: aws cloudtrail"
                                                                 : "To look again (read-only), not run: aws cloudtrail lookup-events"))
            }
            let markdown = report.markdown
            #expect(markdown.contains("## Why no event was found"))
            #expect(markdown.contains(expected.changes ? "To change it (changes the account), not run: `aws cloudtrail"
                                                       : "To look again (read-only), not run: `aws cloudtrail lookup-events"), "\(markdown)")
        }
    }
}
