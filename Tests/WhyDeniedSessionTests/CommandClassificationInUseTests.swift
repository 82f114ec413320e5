import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedReport
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// The classifier where it decides: `runbook validate` (the loader), the headless run, and the
/// journal and report, which record what actually ran.
@Suite struct CommandClassificationInUseTests {
    /// Line 21 holds the unmarked `aws s3 mb`, line 24 an `iam create-user` behind `--debug`.
    static let runbookWithUnmarkedChanges = """
    schema: whydenied/runbook@1
    id: sneaky
    title: Sneaky
    parameters:
      - {name: principal, label: Principal, required: true}
      - {name: region, label: Region, required: true}
    steps:
      - id: first
        title: First
        guidance: Reads the caller.
        commands:
          - id: caller
            why: who am I
            argv: [aws, sts, get-caller-identity]
      - id: second
        title: Second
        guidance: Looks harmless.
        commands:
          - id: make
            why: a bucket
            argv: [aws, s3, mb, "s3://{{params.principal}}-bucket", --region, "{{params.region}}"]
          - id: hidden
            why: a user
            argv: [aws, --debug, iam, create-user, --user-name, "{{params.principal}}"]
    """

    @Test func validateRejectsUnmarkedChangesWithFileLineAndReason() {
        do {
            _ = try RunbookLoader.load(text: Self.runbookWithUnmarkedChanges, file: "sneaky.yaml", classifier: CommandClassifier.bundled)
            Issue.record("an unmarked aws s3 mb was accepted")
        } catch {
            #expect(error.issues.map(\.description) == [
                "sneaky.yaml:21: command \"make\" changes the account (aws s3 mb creates a bucket) and must say mutates: true",
                "sneaky.yaml:24: command \"hidden\" changes the account (iam:CreateUser is Write in the action catalog) and must say mutates: true",
            ])
        }
        let marked = Self.runbookWithUnmarkedChanges.replacingOccurrences(of: "        why: a bucket\n", with: "        why: a bucket\n        mutates: true\n")
            .replacingOccurrences(of: "        why: a user\n", with: "        why: a user\n        mutates: true\n")
        #expect(throws: Never.self) { try RunbookLoader.load(text: marked, file: "sneaky.yaml", classifier: CommandClassifier.bundled) }
    }

    /// Even a runbook that skipped the check (loaded without a classifier) cannot get a change
    /// run headless: the session classifies each command before offering it.
    @Test func headlessRunNeverRunsAnUnmarkedChange() async throws {
        let runbook = try RunbookLoader.load(text: Self.runbookWithUnmarkedChanges, file: "sneaky.yaml")
        var session = GuidedSession(runbook: runbook, parameters: ["principal": "eve", "region": "us-east-1"],
                                    now: Date(), readOnly: true)
        let aws = GuidedFakeAWS(answers: ["sts get-caller-identity": GuidedFakeAWS.ok(#"{"Arn": "arn:aws:iam::111122223333:user/eve"}"#)])
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let journal = try SessionJournal.create(in: home.store)
        var lines: [String] = []
        await session.runHeadless(effects: aws, journal: journal) { lines.append($0) }

        #expect(aws.calls == [["aws", "sts", "get-caller-identity"]])
        // Each step's commands under its number and title, never its id.
        let second = try #require(lines.firstIndex(of: "2. Second"), "\(lines)")
        #expect(lines[(second + 1)...].contains("  not run (changes the account; read-only run): aws s3 mb s3://eve-bucket --region us-east-1"))
        let reading = try JournalReading(contentsOf: journal.folder.journalURL)
        let proposed = reading.entries.compactMap { entry -> (String, Bool)? in
            if case .commandProposed(let ref, _, let mutates) = entry.event { return (ref.command, mutates) }
            return nil
        }
        #expect(proposed.map(\.0) == ["caller", "make"])
        #expect(proposed.map(\.1) == [false, true])
        let started = reading.entries.compactMap { entry -> CommandClassification?? in
            if case .commandStarted(_, _, let classification) = entry.event { return classification }
            return nil
        }
        #expect(started == [.readOnly("sts:GetCallerIdentity needs no permission and changes nothing")])
    }

    /// A read edited into a change: `edited` and `started` say so, and the report shows the
    /// command that ran as a change.
    @Test func journalAndReportRecordTheClassificationOfWhatRan() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let writer = try JournalWriter(folder: folder)
        let ref = CommandRef(step: "check_iam", command: "user")
        let edited = ["aws", "iam", "create-user", "--user-name", "eve"]
        let classification = CommandClassifier.bundled.classify(edited)
        try writer.append(.sessionStarted(runbook: "access-denied", changesEnabled: true))
        try writer.append(.commandProposed(ref, argv: ["aws", "iam", "get-user", "--user-name", "eve"], mutates: false))
        try writer.append(.commandEdited(ref, argv: edited, classification: classification))
        try writer.append(.commandConfirmed(ref))
        try writer.append(.commandStarted(ref, argv: edited, classification: classification))
        try writer.append(.commandFinished(ref, JournaledOutcome(exitCode: 0, durationMilliseconds: 300)))

        let text = try String(contentsOf: folder.journalURL, encoding: .utf8)
        let startedLine = try #require(text.split(separator: "\n").first { $0.contains("\"event\":\"started\"") })
        #expect(startedLine.contains("\"mutates\":true"))
        #expect(startedLine.contains("\"classification\":\"iam:CreateUser is Write in the action catalog\""))

        let reading = try JournalReading(contentsOf: folder.journalURL)
        #expect(reading.entries.map(\.event).contains(.commandStarted(ref, argv: edited, classification: classification)))
        let recorded = RecordedSession(id: folder.id, reading: reading)
        #expect(recorded.commands.first?.mutates == true)
        let markdown = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false).text
        #expect(markdown.contains("| `aws iam create-user --user-name eve` | finished (changes the account), edited |"))
    }
}
