import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §1–2: nothing the operator needs exists only in a cut line. The pager scrolls
/// sideways or wraps, and marks where a line goes on; the findings page holds the fix commands
/// and the last notice (the rollback) in full and keeps action and resource at 80 columns; the
/// step list is as wide as its titles; a cut anywhere ends in "…"; the help scrolls.
@Suite struct ReadEverythingTests {
    static let kmsCommand = "aws kms put-key-policy --key-id arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab "
        + "--policy-name default --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowAnalyst\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/DataAnalystRole\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}'"

    static let rollback = "Changed key policy of arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab. "
        + "Backup: /tmp/s/backups/key-policy.json. Roll back with: aws kms put-key-policy --key-id "
        + "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab --policy-name default "
        + "--policy file:///tmp/s/backups/key-policy.json"

    func pager(_ text: String, size: TerminalSize) -> InMemoryScreen {
        let cat = CommandProposal(id: "c", stepID: "trails", argv: ["aws", "cloudtrail", "lookup-events"], why: "Reads events.")
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: cat, exitCode: 0, stdout: text, seconds: 0.4)]
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        return ui
    }

    @Test func longLinesAreMarkedScrollSidewaysAndWrap() {
        let long = "sourceIPAddress: 198.51.100.7 · userAgent: aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64.ubuntu.22 "
            + "prompt/off command/s3api.get-object · END"
        var ui = pager("short line\n" + long + "\nlast", size: TerminalSize(width: 60, height: 16))
        #expect(ui.screen.rowText(2) == "short line")
        #expect(ui.screen.rowText(3) == "sourceIPAddress: 198.51.100.7 · userAgent: aws-cli/2.15.0 P»")
        ui.press(.character("l"))
        #expect(ui.screen.rowText(3) == "« userAgent: aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86»")
        // A line scrolled off whole still says there is text to the left.
        #expect(ui.screen.rowText(2) == "«")
        ui.press(.character("w"))
        expectScreen(ui.screen, "pager-wrapped", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1
             $ aws cloudtrail lookup-events · exit 0
            short line
            sourceIPAddress: 198.51.100.7 · userAgent: aws-cli/2.15.0 P»
            ython/3.11.6 Linux/6.5 exe/x86_64.ubuntu.22 prompt/off comm»
            and/s3api.get-object · END
            last







            lines 1-3 of 3 · wrap · wrap on: long lines continue on the…
             ↓/j scroll · Esc/q back · w wrap · / search · ?/F1 help
            """)
        ui.press(.character("h"))
        #expect(ui.state.pager?.message == "wrap is on: every line is shown whole (w turns it off)")
        ui.press(.character("w"))
        #expect(ui.screen.rowText(3) == "sourceIPAddress: 198.51.100.7 · userAgent: aws-cli/2.15.0 P»")
    }

    @Test func wrappedSearchHighlightsTheMatchOnItsRow() {
        var ui = pager(String(repeating: "x", count: 70) + "NEEDLE", size: TerminalSize(width: 60, height: 16))
        ui.press(.character("w"), .character("/"))
        ui.type("needle")
        ui.press(.enter)
        #expect(ui.screen.rowText(3) == String(repeating: "x", count: 11) + "NEEDLE")
        let reversed = (0..<60).filter { ui.screen[3, $0].style.reverse }
        #expect(reversed == Array(11..<17))
        #expect(!(0..<60).contains { ui.screen[2, $0].style.reverse })
    }

    @Test func wrappedGGoesToTheLastRows() {
        let text = (1...30).map { "line \($0) " + String(repeating: "·", count: 100) }.joined(separator: "\n")
        var ui = pager(text, size: TerminalSize(width: 60, height: 16))
        ui.press(.character("w"), .character("G"))
        // 12 rows: each line takes two, so the last six lines show, the last one whole.
        #expect(ui.state.pager?.top == 24)
        #expect(ui.screen.rowText(12).hasPrefix("line 30 "))
        #expect(ui.screen.rowText(14) == "lines 25-30 of 30 · wrap")
    }

    func kmsSession() -> SessionView {
        var view = Fixture.session(current: 7, proposal: nil, done: 8)
        view.finished = true
        view.findings = [FindingRow(time: "2026-11-18T10:41:07Z", principal: "assumed-role/DataAnalystRole/analyst-session",
                                    action: "kms:Decrypt",
                                    resource: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                                    errorCode: "AccessDenied")]
        view.recommendation = RecommendationView(
            headline: "allow kms:Decrypt for DataAnalystRole in the key policy",
            policy: #"{"Sid":"AllowAnalyst","Action":"kms:Decrypt"}"#,
            reasons: [.init(element: "Action = kms:Decrypt", reason: "the denied call")],
            commands: [.init(purpose: "Replace the key policy", line: Self.kmsCommand)],
            codeRenderings: [.init(name: "Terraform", text: "resource \"aws_kms_key_policy\" \"fix\" {\n  key_id = \"1234abcd\"\n}"),
                             .init(name: "CloudFormation", text: "Type: AWS::KMS::Key\nProperties:\n  KeyPolicy: {}")])
        view.notice = Self.rollback
        view.steps[1].status = .skipped
        view.steps[1].why = "skipped: the trail lookup was not needed (the error message named the request)"
        return view
    }

    @Test func findingsAt80ColumnsKeepActionResourceFixCommandAndRollbackInFull() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.send(.sessionChanged(kmsSession()))
        ui.press(.character("f"))
        let lines = ui.state.pager?.lines ?? []
        #expect(Array(lines.prefix(5)) == [
            "Denied events (1)",
            "  2026-11-18T10:41:07Z · AccessDenied",
            "    principal assumed-role/DataAnalystRole/analyst-session",
            "    action    kms:Decrypt",
            "    resource  arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-",
        ])
        // Broken after a separator, and the rest under the value.
        #expect(lines[5] == "              1234567890ab")
        #expect(lines.contains("  $ " + Self.kmsCommand))
        #expect(lines.contains("  " + Self.rollback))
        #expect(lines.contains("  ↷ 2 Check trails: skipped: the trail lookup was not needed (the error message named the request)"))
        // Wrapped, the whole command is on screen: its rows put together are the command.
        ui.press(.character("w"), .character("/"))
        ui.type("put-key-policy --key-id arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab --policy-name")
        ui.press(.enter)
        let rows = (2..<22).map { ui.screen.rowText($0) }
        let start = rows.firstIndex { $0.hasPrefix("  $ aws kms put-key-policy") } ?? 0
        let joined = rows[start...].prefix { !$0.isEmpty }.map { $0.hasSuffix("»") ? String($0.dropLast()) : $0 }.joined()
        #expect(joined == "  $ " + Self.kmsCommand)
    }

    @Test func vSwitchesTheFixBetweenJSONTerraformAndCloudFormation() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 100, height: 40)))
        ui.send(.sessionChanged(kmsSession()))
        #expect(ui.screen.text.contains("as JSON policy · v: JSON policy / Terraform / CloudFormation"))
        ui.press(.character("v"))
        #expect(ui.state.status == "The fix is shown as Terraform (v switches).")
        #expect(ui.screen.text.contains("  resource \"aws_kms_key_policy\" \"fix\" {"))
        ui.press(.character("f"), .character("v"))
        #expect(ui.state.pager?.lines.contains("  shown as CloudFormation · v: JSON policy / Terraform / CloudFormation") == true)
        #expect(ui.state.pager?.lines.contains("  Type: AWS::KMS::Key") == true)
        ui.press(.character("y"))
        #expect(ui.effects.last == .copyToClipboard("Type: AWS::KMS::Key\nProperties:\n  KeyPolicy: {}"))
        #expect(ui.state.pager?.message == "Copied the fix as CloudFormation (47 characters) to the clipboard.")
    }

    @Test func theStepListFollowsItsLongestTitleAndMarksACut() {
        let titles = ["Verify dependencies", "Decode the encoded authorization message", "Check CloudTrail trails",
                      "Look up the denied events", "Read the trail's log files in S3", "Parse the denied requests",
                      "Check identity-based policies", "Check resource-based policies", "Check the VPC endpoint policy",
                      "Recommend a least-privilege fix", "Implement the fix", "Verify the fix"]
        let view = SessionView(steps: titles.enumerated().map { StepRow(id: "s\($0.offset)", title: $0.element) },
                               currentStep: 11, proposal: Fixture.callerIdentity, context: Fixture.context)
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 200, height: 60)))
        ui.send(.sessionChanged(view))
        #expect(ui.screen.rowText(3) == " · 2 Decode the encoded authorization message │")
        #expect(ui.screen.rowText(12) == " · 11 Implement the fix" + String(repeating: " ", count: 23) + "│")
        ui.resize(to: TerminalSize(width: 80, height: 24))
        // Two fifths of 80 columns: the longest titles are cut, and say so.
        #expect(ui.screen.rowText(3).hasPrefix(" · 2 Decode the encoded author… │"))
        #expect(ui.screen.rowText(11).hasPrefix(" · 10 Recommend a least-privil… │"))
    }

    @Test func aCutLineEndsInAnEllipsis() {
        var screen = ScreenBuffer(size: TerminalSize(width: 12, height: 3))
        screen.put("Check resource policies", row: 0, column: 0)
        screen.put("fits exactly", row: 1, column: 0)
        screen.put("日本語の文字です", row: 2, column: 0, maxWidth: 7)
        #expect(screen.rowText(0) == "Check resou…")
        #expect(screen.rowText(1) == "fits exactly")
        #expect(screen.rowText(2) == "日本語…")
    }

    @Test func theHelpScrollsAt80x24() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.send(.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity)))
        ui.press(.character("?"))
        #expect(ui.screen.rowText(2) == " │ Command gate                                                               │")
        ui.press(.character("j"))
        #expect(ui.state.helpTop == 1)
        #expect(ui.screen.rowText(2).hasPrefix(" │   Enter/F5                 run the shown command"))
        ui.press(.character("G"))
        #expect(ui.screen.rowText(1).contains("j/k scroll"))
        let last = (2...20).map { ui.screen.rowText($0) }.filter { $0.contains("close the help") }
        #expect(last.count == 1)
        ui.press(.character("q"))
        #expect(!ui.state.helpVisible)
        #expect(ui.state.prompt == nil)
    }
}
