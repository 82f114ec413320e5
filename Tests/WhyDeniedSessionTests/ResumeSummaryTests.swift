import Testing
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 16 §4: `whydenied resume ID` speaks the operator's words: step titles and the commands
/// themselves, never a step id (`look_up_events`) or a command id (`check_iam.get_role`).
@Suite struct ResumeSummaryTests {
    @Test func stepsAreTitledAndCommandsShownAsRun() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        let role = CommandRef(step: "check_iam", command: "get_role")
        let roleArgv = ["aws", "iam", "get-role", "--role-name", "DataAnalystRole"]
        try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        try journal.append(.stepSkipped(step: "look_up_events", reason: "the event was pasted"))
        try journal.append(.commandProposed(role, argv: roleArgv, mutates: false))
        try journal.append(.commandConfirmed(role))
        try journal.append(.commandStarted(role, argv: roleArgv))
        try journal.append(.commandFinished(role, JournaledOutcome(exitCode: 0, durationMilliseconds: 420)))
        try journal.append(.stepFailed(step: "check_resource_policies", reason: "check_resource_policies.bucket_acl: AccessDenied"))
        let attached = CommandRef(step: "check_iam", command: "attached_role_policies")
        try journal.append(.commandProposed(attached, argv: ["aws", "iam", "list-attached-role-policies", "--role-name", "DataAnalystRole"], mutates: false))
        try journal.append(.commandConfirmed(attached))
        let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        let runbook = try RunbookFixture.loaded(classifier: .bundled)

        let text = ResumeSummary.text(session, runbook: runbook)

        #expect(text.contains("  \(runbook.step("look_up_events")!.title): skipped: the event was pasted"), "\(text)")
        #expect(text.contains("  \(runbook.step("check_resource_policies")!.title): failed: `aws s3api get-bucket-acl`: AccessDenied"), "\(text)")
        #expect(text.contains("  aws iam get-role --role-name DataAnalystRole: exit 0, 420 ms"), "\(text)")
        #expect(text.contains("  aws iam list-attached-role-policies --role-name DataAnalystRole\n") || text.hasSuffix("  aws iam list-attached-role-policies --role-name DataAnalystRole"), "\(text)")
        for id in ["look_up_events", "check_resource_policies", "check_iam.get_role", "check_iam.attached_role_policies", "check_iam"] {
            #expect(!text.contains(id), "\(id) shown: \(text)")
        }
    }
}
