import Foundation
import Testing
import WhyDeniedTUI

@Suite struct GateScreenTests {
    /// A UI past the form, showing `proposal` in step `current`.
    func session(_ proposal: CommandProposal, current: Int, size: TerminalSize = TerminalSize(width: 100, height: 30))
        -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(Fixture.session(current: current, proposal: proposal)))
        return ui
    }

    @Test func readOnlyGateShowsTheResolvedCommandAndWhy() {
        let ui = session(Fixture.callerIdentity, current: 0)
        expectScreen(ui.screen, "gate-read-only", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve to. Every later
             · 2 Check trails            │ command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Next command · read-only ───────────────────────────────────────┐
             · 5 Check IAM               │ │ $ aws sts get-caller-identity --output json                      │
             · 6 Check resource policies │ │ Why: Shows which account and identity every later command will   │
             · 7 Recommend               │ │ run as.                                                          │
             · 8 Implement               │ │                                                                  │
                                         │ │ Enter run · s skip · e edit · a run all read-only of this step · │
                                         │ │ y copy · q quit                                                  │
                                         │ └──────────────────────────────────────────────────────────────────┘
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │

             Enter/F5 run · s/F8 skip · e edit · Tab steps · a run all read-only · ?/F1 help · q quit · o output
            """)
    }

    @Test func enterRunsAndShowsTheSpinnerWithElapsedTime() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.enter)
        #expect(ui.effects == [.runCommand(Fixture.callerIdentity)])
        ui.send(.tick(Fixture.now.addingTimeInterval(2.35)))
        expectScreen(ui.screen, "gate-running", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve to. Every later
             · 2 Check trails            │ command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ⠸ Running 2.4s · x or Ctrl-C cancels
             · 5 Check IAM               │ $ aws sts get-caller-identity --output json
             · 6 Check resource policies │
             · 7 Recommend               │
             · 8 Implement               │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │

             x/Ctrl-C cancel · o last output · Tab steps · ?/F1 help · q quit · f findings
            """)
        ui.press(.character("x"))
        #expect(ui.effects.last == .cancelRunningCommand)
    }

    @Test func skipAsksForAReasonAndRecordsIt() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.character("s"), .enter)
        #expect(ui.effects.isEmpty)
        ui.type("no credentials on this laptop")
        expectScreen(ui.screen, "gate-skip", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve to. Every later
             · 2 Check trails            │ command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Next command · read-only ───────────────────────────────────────┐
             · 5 Check IAM               │ │ $ aws sts get-caller-identity --output json                      │
             · 6 Check resource policies │ │ Why: Shows which account and identity every later command will   │
             · 7 Recommend               │ │ run as.                                                          │
             · 8 Implement               │ │                                                                  │
                                         │ │ Why skip it? (recorded; Enter confirms, Esc goes back)           │
                                         │ │ > no credentials on this laptop                                  │
                                         │ └──────────────────────────────────────────────────────────────────┘
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
             Type why you skip it (it goes into the session record).
             Enter confirm · Esc back · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
        ui.press(.enter)
        #expect(ui.effects == [.skipCommand(Fixture.callerIdentity, reason: "no credentials on this laptop")])
    }

    @Test func editedArgumentsAreRecheckedBeforeTheyRun() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.character("e"), .control("u"))
        ui.type("aws iam delete-role --role-name DataAnalystRole")
        ui.press(.enter)
        expectScreen(ui.screen, "gate-edit-refused", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve to. Every later
             · 2 Check trails            │ command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Next command · read-only ───────────────────────────────────────┐
             · 5 Check IAM               │ │ $ aws sts get-caller-identity --output json                      │
             · 6 Check resource policies │ │ Why: Shows which account and identity every later command will   │
             · 7 Recommend               │ │ run as.                                                          │
             · 8 Implement               │ │                                                                  │
                                         │ │ Edit the command (Enter checks and keeps it, Esc goes back):     │
                                         │ │ > aws iam delete-role --role-name DataAnalystRole                │
                                         │ │ ✗ changes the account (iam:DeleteRole is Write in the action     │
                                         │ │ catalog); the session is read-only, so it is not run             │
                                         │ └──────────────────────────────────────────────────────────────────┘
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │

             Enter confirm · Esc back · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
        ui.press(.control("u"))
        ui.type("aws sts get-caller-identity --query '[Account, Arn]'")
        ui.press(.enter)
        #expect(ui.state.session?.proposal?.argv == ["aws", "sts", "get-caller-identity", "--query", "[Account, Arn]"])
        ui.press(.enter)
        var edited = Fixture.callerIdentity
        edited.argv = ["aws", "sts", "get-caller-identity", "--query", "[Account, Arn]"]
        edited.edited = true
        #expect(ui.effects == [.runCommand(edited)])
    }

    /// Issue 12: the deny-list missed global options before the service; the classifier reads
    /// them wherever they are, and an edit that becomes a change needs the change dialog.
    @Test func anEditIntoAChangeOpensTheChangeDialogWhenChangesAreEnabled() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.function(4), .character("y"))
        ui.press(.character("e"), .control("u"))
        ui.type("aws --debug iam create-user --user-name eve")
        ui.press(.enter)
        expectScreen(ui.screen, "gate-edit-into-change", """
             whydenied │ CHANGES ENABLED │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox
             ┌─ This command CHANGES your account ────────────────────────────────────────────────────────────┐
             │ $ aws --debug iam create-user --user-name eve                                                  │
             │ Why: You edited a read into a change: iam:CreateUser is Write in the action catalog.           │
             │ (the session gave no before/after document for this change)                                    │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │ Type iam-create-user to enable Run:                                                            │
             │                                                                                                │
             │ [ Cancel ]  [ Run (disabled) ]                                                                 │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘
             Edited into a change: type iam-create-user to run it, or Cancel.
             word+Enter runs (else declines) · F4/Ctrl-T changes on/off · Esc cancel · F1/Ctrl-G help
            """)
        // Tab cannot reach a disabled Run: the focus stays on Cancel until the word is typed.
        ui.press(.tab)
        #expect(ui.effects == [.setChangesEnabled(true)])
        ui.type("iam-create-user")
        ui.press(.enter)
        var edited = Fixture.callerIdentity
        edited.argv = ["aws", "--debug", "iam", "create-user", "--user-name", "eve"]
        edited.edited = true
        edited.mutates = true
        edited.why = "You edited a read into a change: iam:CreateUser is Write in the action catalog."
        edited.confirmWord = "iam-create-user"
        #expect(ui.effects == [.setChangesEnabled(true), .runCommand(edited)])
    }

    @Test func anEditThatSendsTheCommandElsewhereIsRefused() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.function(4), .character("y"))
        for line in ["aws sts get-caller-identity --output json --endpoint-url=https://collector.example",
                     "aws --region eu-west-1 sts get-caller-identity --output json",
                     "aws sts get-caller-identity --output json --prof prod-admin"] {
            ui.press(.character("e"), .control("u"))
            ui.type(line)
            ui.press(.enter)
            guard case .editing(_, let problem) = ui.state.gate else {
                Issue.record("\(line) was accepted")
                ui.press(.escape)
                continue
            }
            #expect(problem?.contains("can't be changed in an edit: this command runs with none (the session's own)") == true, "\(line): \(problem ?? "")")
            ui.press(.escape)
        }
        #expect(ui.effects == [.setChangesEnabled(true)])
    }

    @Test func runAllReadOnlyRunsTheStepsNextCommandsWithoutAsking() {
        let describe = CommandProposal(id: "trails/describe", stepID: "trails",
                                       argv: ["aws", "cloudtrail", "describe-trails"], why: "Lists trails.")
        let status = CommandProposal(id: "trails/status", stepID: "trails",
                                     argv: ["aws", "cloudtrail", "get-trail-status", "--name", "main"], why: "Is it logging?")
        let nextStep = CommandProposal(id: "lookup/events", stepID: "lookup",
                                       argv: ["aws", "cloudtrail", "lookup-events"], why: "Finds the denied event.")
        var ui = session(describe, current: 1)
        ui.press(.character("a"))
        ui.send(.commandFinished(CommandOutput(proposal: describe, exitCode: 0, stdout: "{}", seconds: 0.2)))
        ui.send(.sessionChanged(Fixture.session(current: 1, proposal: status)))
        ui.send(.commandFinished(CommandOutput(proposal: status, exitCode: 0, stdout: "{}", seconds: 0.2)))
        ui.send(.sessionChanged(Fixture.session(current: 2, proposal: nextStep)))
        #expect(ui.effects == [.runCommand(describe), .runCommand(status)])
        #expect(ui.state.running == nil)
    }

    @Test func mutatingCommandOpensTheChangeDialogReadOnly() {
        var ui = session(Fixture.putBucketPolicy, current: 7)
        expectScreen(ui.screen, "gate-mutating-read-only", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             ┌─ This command CHANGES your account ────────────────────────────────────────────────────────────┐
             │ $ aws s3api put-bucket-policy --bucket analytics-data-bucket --policy file://fix.json          │
             │ Why: Lets the analyst's address through the bucket policy's IP condition.                      │
             │ Change to bucket policy of analytics-data-bucket:                                              │
             │   …                                                                                            │
             │         "Condition": {                                                                         │
             │           "NotIpAddress": {                                                                    │
             │ -           "aws:SourceIp": "203.0.113.0/24"                                                   │
             │ +           "aws:SourceIp": [                                                                  │
             │ +             "203.0.113.0/24",                                                                │
             │ +             "198.51.100.7/32"                                                                │
             │ +           ]                                                                                  │
             │           }                                                                                    │
             │         }                                                                                      │
             │   …                                                                                            │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │ The session is READ-ONLY: F4 enables changes. Enter or Esc declines.                           │
             │                                                                                                │
             │ [ Cancel ]  [ Run (disabled) ]                                                                 │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘

             word+Enter runs (else declines) · F4/Ctrl-T changes on/off · Esc cancel · F1/Ctrl-G help
            """)
        // Enter on the default button (Cancel) declines; nothing runs.
        ui.press(.enter)
        #expect(ui.effects == [.skipCommand(Fixture.putBucketPolicy, reason: "declined by the operator")])
    }

    @Test func mutationNeedsChangesEnabledAndTheTypedWord() {
        var ui = session(Fixture.putBucketPolicy, current: 7)
        ui.press(.tab)
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "The session is read-only: F4 or Ctrl-T enables changes.")
        ui.press(.function(4), .character("n"))
        #expect(!ui.state.changesEnabled)
        ui.press(.function(4), .character("y"))
        #expect(ui.effects == [.setChangesEnabled(true)])
        ui.type("analytics")
        expectScreen(ui.screen, "gate-mutating-enabled", """
             whydenied │ CHANGES ENABLED │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox
             ┌─ This command CHANGES your account ────────────────────────────────────────────────────────────┐
             │ $ aws s3api put-bucket-policy --bucket analytics-data-bucket --policy file://fix.json          │
             │ Why: Lets the analyst's address through the bucket policy's IP condition.                      │
             │ Change to bucket policy of analytics-data-bucket:                                              │
             │   …                                                                                            │
             │         "Condition": {                                                                         │
             │           "NotIpAddress": {                                                                    │
             │ -           "aws:SourceIp": "203.0.113.0/24"                                                   │
             │ +           "aws:SourceIp": [                                                                  │
             │ +             "203.0.113.0/24",                                                                │
             │ +             "198.51.100.7/32"                                                                │
             │ +           ]                                                                                  │
             │           }                                                                                    │
             │         }                                                                                      │
             │   …                                                                                            │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │ Type analytics-data-bucket to enable Run: analytics                                            │
             │                                                                                                │
             │ [ Cancel ]  [ Run (disabled) ]                                                                 │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘
             Changes enabled: mutating commands still need the typed word.
             word+Enter runs (else declines) · F4/Ctrl-T changes on/off · Esc cancel · F1/Ctrl-G help
            """)
        ui.press(.tab)
        #expect(ui.effects == [.setChangesEnabled(true)])
        #expect(ui.state.status == "Type analytics-data-bucket to enable Run.")
        ui.type("-data-bucket")
        ui.press(.enter)
        #expect(ui.effects == [.setChangesEnabled(true), .runCommand(Fixture.putBucketPolicy)])
    }

    @Test func quitAsksFirstAndDefaultsToStaying() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.character("q"), .enter)
        #expect(ui.effects.isEmpty)
        #expect(ui.state.prompt == nil)
        ui.press(.character("q"))
        expectScreen(ui.screen, "gate-quit", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve to. Every later
             · 2 Check trails            │ command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Next command · read-only ───────────────────────────────────────┐
             · 5 Check IAM               │ │ $ aws sts get-caller-identity --output json                      │
             · 6 Check resource policies │ │ Why: Shows which account and identity every later command will   │
             · 7 Recommend               │ │ run as.                                                          │
             · 8 Implement               │ │                                                                  │
                                         │ │ Enter run · s skip · e edit · a run all read-only of this step · │
                                         │ │ y┌─ Quit ───────────────────────┐                                │
                                         │ └──│ Quit whydenied?              │────────────────────────────────┘
                                         │    │                              │
                                         │    │ y quit · any other key stays │
                                         │    │                              │
                                         │    │ [ Quit ]  [ Stay ]           │
                                         │    └──────────────────────────────┘
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │

             y yes · Ctrl-C again quits · any other key: no
            """)
        ui.press(.character("y"))
        #expect(ui.effects == [.quit])
    }

    @Test func helpOverlayListsTheKeysOfThisScreen() {
        var ui = session(Fixture.callerIdentity, current: 0)
        ui.press(.character("?"))
        expectScreen(ui.screen, "gate-help", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
                 ┌─ Keys · 1-25 of 88, j/k scroll ────────────────────────────────────────────────────────┐
                 │ Command gate                                                                           │
                 │   Enter/F5                 run the shown command                                       │
                 │   s/F8                     skip it (asks the reason, recorded)                         │
                 │   e                        edit the arguments (checked again)                          │
                 │   a                        run every read-only command of this step                    │
                 │   y                        copy the command (OSC 52 clipboard)                         │
                 │                                                                                        │
                 │ Skip reason / edited command                                                           │
                 │   Enter                    confirm                                                     │
                 │   Esc                      back to the command                                         │
                 │                                                                                        │
                 │ Change dialog                                                                          │
                 │   word+Enter               runs once the typed word matches, otherwise declines        │
                 │   Tab                      Cancel ↔ Run (once Run is enabled)                          │
                 │   Esc                      decline (recorded; nothing changes)                         │
                 │   F4/Ctrl-T                enable / disable changes for the session                    │
                 │                                                                                        │
                 │ Session                                                                                │
                 │   o                        output of the last command                                  │
                 │   f                        findings, explanation, the fix and its commands in full     │
                 │   v                        show the fix as the JSON policy, Terraform or               │
                 │                            CloudFormation                                              │
                 │   F4/Ctrl-T                enable / disable changes for the session                    │
                 │   F9/Ctrl-R                export the report                                           │
                 │   q                        quit (asks): the session is the top                         │
                 └────────────────────────────────────────────────────────────────────────────────────────┘

             Esc/?/q close help · ↓/j scroll · F10/Ctrl-Q quit
            """)
        ui.press(.escape)
        #expect(!ui.state.helpVisible)
    }

    @Test func findingsAndRecommendationAreShownAndPageable() {
        var view = Fixture.session(current: 6, proposal: nil, done: 6)
        view.findings = [FindingRow(time: "2026-11-18T10:41:07Z", principal: "assumed-role/DataAnalystRole/analyst-session",
                                    action: "s3:GetObject", resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv",
                                    errorCode: "AccessDenied")]
        view.explanation = ["Denied by statement DenyOutsideOffice of the bucket policy of analytics-data-bucket:",
                            "explicit Deny, because aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24."]
        view.recommendation = RecommendationView(
            headline: "add 198.51.100.7/32 to DenyOutsideOffice's NotIpAddress",
            policy: #"{"Sid":"DenyOutsideOffice","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.7/32"]}}}"#,
            reasons: [.init(element: "aws:SourceIp", reason: "the analyst's address from the denied event")])
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(view))
        expectScreen(ui.screen, "session-recommendation", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 7 of 8 · Recommend · running
             ✓ 1 Verify dependencies     │
             ✓ 2 Check trails            │
             ✓ 3 Look up events          │ Waiting for the session…
             ✓ 4 Parse events            │ Denied events: 1 · s3:GetObject on
             ✓ 5 Check IAM               │ arn:aws:s3:::analytics-data-bucket/reports/q3.csv (f)
             ✓ 6 Check resource policies │ Denied by statement DenyOutsideOffice of the bucket policy of
             ▶ 7 Recommend               │ analytics-data-bucket:
             · 8 Implement               │ explicit Deny, because aws:SourceIp 198.51.100.7 is not in
                                         │ 203.0.113.0/24.
                                         │
                                         │ Recommendation: add 198.51.100.7/32 to DenyOutsideOffice's
                                         │ NotIpAddress
                                         │   {
                                         │     "Sid": "DenyOutsideOffice",
                                         │     "Condition": {
                                         │       "NotIpAddress": {
                                         │         "aws:SourceIp": [
                                         │           "203.0.113.0/24",
                                         │           "198.51.100.7/32"
                                         │         ]
                                         │       }
                                         │     }
                                         │   }
                                         │
                                         │
                                         │

             Tab steps · e export report · ?/F1 help · q quit · o output · f findings · y copy fix
            """)
        ui.press(.character("f"))
        expectScreen(ui.screen, "findings-pager", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Findings and recommendation
            Denied events (1)
              2026-11-18T10:41:07Z · AccessDenied
                principal assumed-role/DataAnalystRole/analyst-session
                action    s3:GetObject
                resource  arn:aws:s3:::analytics-data-bucket/reports/q3.csv

            Explanation
              Denied by statement DenyOutsideOffice of the bucket policy of analytics-data-bucket:
              explicit Deny, because aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24.

            Recommendation: add 198.51.100.7/32 to DenyOutsideOffice's NotIpAddress
              {
                "Sid": "DenyOutsideOffice",
                "Condition": {
                  "NotIpAddress": {
                    "aws:SourceIp": [
                      "203.0.113.0/24",
                      "198.51.100.7/32"
                    ]
                  }
                }
              }

            Why each element
              aws:SourceIp: the analyst's address from the denied event

            lines 1-25 of 25
             ↓/j scroll · Esc/q back · w wrap · / search · PgDn/Space page · →/l sideways · ?/F1 help
            """)
    }
}
