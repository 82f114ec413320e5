import Foundation
import Testing
import WhyDeniedTUI

@Suite struct PagerTests {
    static let trails = #"{"trailList":[{"Name":"main","S3BucketName":"trail-logs","IsMultiRegionTrail":true,"# +
        #""CloudWatchLogsLogGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}]}"#

    func pagerUI(stdout: String, size: TerminalSize = TerminalSize(width: 100, height: 30)) -> InMemoryScreen {
        let describe = CommandProposal(id: "trails/describe", stepID: "trails",
                                       argv: ["aws", "cloudtrail", "describe-trails"], why: "Lists trails.")
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: describe, exitCode: 0, stdout: stdout, seconds: 0.4)]
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        return ui
    }

    @Test func jsonOutputIsPrettyPrintedAndSearchable() {
        var ui = pagerUI(stdout: Self.trails)
        expectScreen(ui.screen, "pager-pretty", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             $ aws cloudtrail describe-trails · exit 0
            {
              "trailList": [
                {
                  "Name": "main",
                  "S3BucketName": "trail-logs",
                  "IsMultiRegionTrail": true,
                  "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"
                }
              ]
            }
















            lines 1-10 of 10 · JSON pretty
             ↓/j scroll · Esc/q back · w wrap · / search · PgDn/Space page · →/l sideways · ?/F1 help
            """)
        ui.press(.character("/"))
        ui.type("loggroup")
        ui.press(.enter)
        #expect(ui.state.pager?.top == 6)
        #expect(ui.state.pager?.message == "match 1 of 1")
        ui.press(.character("J"))
        #expect(ui.state.pager?.lines.count == 1)
        ui.press(.escape)
        #expect(ui.state.pager == nil)
    }

    @Test func longOutputPagesAndSearchesWithNextAndPrevious() {
        let text = (1...20_000).map { "line \($0)" + ($0 % 5000 == 0 ? " AccessDenied" : "") }.joined(separator: "\n")
        var ui = pagerUI(stdout: text, size: TerminalSize(width: 80, height: 24))
        ui.press(.pageDown, .pageDown)
        #expect(ui.state.pager?.top == 40)
        ui.press(.character("G"))
        #expect(ui.state.pager?.top == 20_000 - 20)
        ui.press(.character("g"), .character("/"))
        ui.type("accessdenied")
        ui.press(.enter, .character("n"), .character("n"))
        #expect(ui.state.pager?.top == 14_999)
        ui.press(.character("N"))
        #expect(ui.state.pager?.top == 9_999)
        expectScreen(ui.screen, "pager-search", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox
             $ aws cloudtrail describe-trails · exit 0
            line 10000 AccessDenied
            line 10001
            line 10002
            line 10003
            line 10004
            line 10005
            line 10006
            line 10007
            line 10008
            line 10009
            line 10010
            line 10011
            line 10012
            line 10013
            line 10014
            line 10015
            line 10016
            line 10017
            line 10018
            line 10019
            lines 10000-10019 of 20000 · match 2 of 4
             ↓/j scroll · Esc/q back · w wrap · / search · PgDn/Space page · ?/F1 help
            """)
    }
}

@Suite struct ResizeTests {
    // Ten fields do not fit two rows each at 80x24: one row each, the focused field's check on the last row.
    @Test func formAt80x24() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.resize(to: TerminalSize(width: 80, height: 24))
        expectScreen(ui.screen, "form-80x24", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox

             Parameters: type them, or F6 to paste an error message or CloudTrail event.

            ▸ Principal (user/role name or ARN) *
              Time frame *                         1 hour ago
              Region *                             us-east-1
              Resource (ARN or name)
              Account id
              Action (service:Action)
              Error message
              AWS profile                          sandbox
              Organization profile (SCP reads)
              Resource account profile







             ! required

             F2/Ctrl-S start · F6/Ctrl-V paste · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
    }

    @Test func sessionAt80x24And200x60() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 1, proposal: CommandProposal(
            id: "trails/describe", stepID: "trails",
            argv: ["aws", "cloudtrail", "describe-trails", "--region", "us-east-1", "--output", "json"],
            why: "Lists the trails of this region and the ones shadowed here from other regions."))))
        ui.resize(to: TerminalSize(width: 80, height: 24))
        expectScreen(ui.screen, "session-80x24", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox
             Steps                       │ Step 2 of 8 · Check trails · running
             ✓ 1 Verify dependencies     │ Finds the trails that record management events
             ▶ 2 Check trails            │ and where they deliver logs.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Next command · read-only ───────────────────┐
             · 5 Check IAM               │ │ $ aws cloudtrail describe-trails --region    │
             · 6 Check resource policies │ │ us-east-1 --output json                      │
             · 7 Recommend               │ │ Why: Lists the trails of this region and the │
             · 8 Implement               │ │ ones shadowed here from other regions.       │
                                         │ │                                              │
                                         │ │ Enter run · s skip · e edit · a run all      │
                                         │ │ read-only of this step · y copy · q quit     │
                                         │ └──────────────────────────────────────────────┘
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │
                                         │

             Enter/F5 run · s/F8 skip · e edit · Tab steps · ?/F1 help · q quit
            """)
        ui.resize(to: TerminalSize(width: 200, height: 60))
        #expect(ui.screen.size == TerminalSize(width: 200, height: 60))
        expectScreen(ui.screen, "session-200x60", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as user/operator
             Steps                       │ Step 2 of 8 · Check trails · running
             ✓ 1 Verify dependencies     │ Finds the trails that record management events and where they deliver logs.
             ▶ 2 Check trails            │
             · 3 Look up events          │ ┌─ Next command · read-only ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┐
             · 4 Parse events            │ │ $ aws cloudtrail describe-trails --region us-east-1 --output json                                                                                                    │
             · 5 Check IAM               │ │ Why: Lists the trails of this region and the ones shadowed here from other regions.                                                                                  │
             · 6 Check resource policies │ │                                                                                                                                                                      │
             · 7 Recommend               │ │ Enter run · s skip · e edit · a run all read-only of this step · y copy · q quit                                                                                     │
             · 8 Implement               │ └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
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

             Enter/F5 run · s/F8 skip · e edit · Tab steps · a run all read-only · ?/F1 help · q quit · o output · f findings · y copy · v fix as JSON/Terraform/CFN · F4/Ctrl-T changes on/off · F9/Ctrl-R export
            """)
    }

    @Test func tooSmallSaysSo() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.resize(to: TerminalSize(width: 40, height: 10))
        expectScreen(ui.screen, "too-small", """
            Terminal too small (40x10): whydenied
            needs at least 60x16. Enlarge the
            window; F10 quits.







            """)
    }
}

/// The TUI redacts what it draws itself: an output page holding secrets (here unredacted on
/// purpose, as a caller that forgot would pass them) shows none of them.
@Suite struct OutputPageRedactionTests {
    @Test func outputPageDrawsNoSecret() {
        let logEvents = #"{"events":[{"message":"{\"eventName\":\"PutSecretValue\",\"requestParameters\":{\"secretId\":\"prod/db\",\"secretString\":\"CANARY30 escaped\"}}"}],"# +
            #""Credentials":{"AccessKeyId":"ASIAQWERTYUIOPASDF12","SessionToken":"CANARY31noprefix"},"token":"CANARY32"}"#
        let describe = CommandProposal(id: "trails/lookup", stepID: "trails",
                                       argv: ["aws", "logs", "filter-log-events", "--log-group-name", "trail"], why: "Reads the trail.")
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: describe, exitCode: 0, stdout: logEvents,
                                      stderr: "Authorization: Bearer CANARY33\npassword=CANARY34", seconds: 0.4)]
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 200, height: 40)))
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        let text = ui.screen.text
        #expect(text.contains("prod/db"))
        #expect(!text.contains("CANARY"), "\(text)")
        #expect(!text.contains("ASIAQWERTYUIOPASDF12"))
    }
}
