import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §2 "move around": Tab gives the step list the keys, any step can be selected (j/k,
/// g/G, `/`) to see its commands and their outputs (the right pane, Enter: the pager), and Tab or
/// Esc goes back to the gate. The focus shows (a reversed " Steps " title, a heavy edge) and the
/// footer says what Tab does.
@Suite struct StepFocusTests {
    static let identityOutput = CommandOutput(
        proposal: Fixture.callerIdentity, exitCode: 0,
        stdout: #"{"UserId":"AIDAEXAMPLE","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/operator"}"#,
        seconds: 0.4, summary: "caller user/operator")
    static let describeTrails = CommandProposal(
        id: "trails/describe", stepID: "trails", argv: ["aws", "cloudtrail", "describe-trails", "--output", "json"],
        why: "Finds the trails.")

    /// At the third step's gate, the first step's command done.
    static func atTheLookUp() -> SessionView {
        var view = Fixture.session(current: 2, proposal: Fixture.callerIdentity.with(id: "lookup/events", step: "lookup"))
        view.outputs = [identityOutput]
        view.steps[1].status = .skipped
        view.steps[1].why = "skipped: no trail is needed for this request"
        return view
    }

    static func gate(_ size: TerminalSize = TerminalSize(width: 100, height: 30)) -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(atTheLookUp()))
        return ui
    }

    @Test func tabFocusesTheStepListAndTheFocusShows() {
        var ui = Self.gate()
        #expect(KeyMap.footer(ui.state).contains("Tab steps"))
        #expect(ui.screen.rowText(1).hasPrefix(" Steps  "), "\(ui.screen.text)")
        ui.press(.tab)
        #expect(ui.state.stepFocus == 2)
        let text = ui.screen.text
        #expect(ui.screen.rowText(1).hasPrefix(" Steps "), "\(text)")
        #expect(ui.screen[1, 1].style.reverse, "the title is reversed while the list has the keys")
        #expect(ui.screen.rowText(5).contains("┃"), "a heavy edge marks the focused list:\n\(text)")
        #expect(ui.screen.rowText(29).hasPrefix(" ↓/j choose · Enter its outputs · Tab/Esc back"), "\(ui.screen.rowText(29))")
        // The gate is not drawn while the list has the keys: Enter does not run the command.
        #expect(!text.contains("Next command"), "\(text)")
        ui.press(.enter)
        #expect(ui.effects.isEmpty)
        #expect(ui.state.pager != nil)
    }

    @Test func jkgGSelectAStepAndTheRightPaneShowsItsCommands() {
        var ui = Self.gate()
        ui.press(.tab, .character("g"))
        #expect(ui.state.stepFocus == 0)
        var text = ui.screen.text
        #expect(text.contains("Step 1 of 8 · Verify dependencies · done"), "\(text)")
        #expect(text.contains("$ aws sts get-caller-identity --output json"), "\(text)")
        #expect(text.contains("→ exit 0, 0.4s · caller user/operator"), "\(text)")
        ui.press(.character("j"))
        text = ui.screen.text
        #expect(text.contains("Step 2 of 8 · Check trails · skipped"), "\(text)")
        #expect(text.contains("skipped: no trail is needed for this request"), "\(text)")
        #expect(text.contains("No command of this step ran in this session."), "\(text)")
        ui.press(.character("G"))
        #expect(ui.state.stepFocus == 7)
        #expect(ui.screen.text.contains("Not reached yet."))
        ui.press(.character("j"))
        #expect(ui.state.stepFocus == 7, "stays on the last step")
        ui.press(.up, .character("k"))
        #expect(ui.state.stepFocus == 5)
    }

    @Test func enterShowsTheStepsOutputsInThePagerAndBackReturnsToTheList() {
        var ui = Self.gate()
        ui.press(.tab, .character("g"), .enter)
        let pager = try! #require(ui.state.pager)
        #expect(pager.title == "Step 1 of 8 · Verify dependencies · done")
        let text = ui.screen.text
        #expect(text.contains("$ aws sts get-caller-identity --output json"), "\(text)")
        #expect(text.contains("\"Arn\": \"arn:aws:iam::123456789012:user/operator\""), "pretty-printed:\n\(text)")
        ui.press(.character("y"))
        #expect(ui.effects == [.copyToClipboard("aws sts get-caller-identity --output json")])
        ui.press(.character("q"))
        #expect(ui.state.pager == nil)
        #expect(ui.state.stepFocus == 0, "back in the list where it was")
        ui.press(.tab)
        #expect(ui.state.stepFocus == nil)
        #expect(ui.screen.text.contains("Next command · read-only"))
        ui.press(.enter)
        #expect(ui.effects.last.map { if case .runCommand = $0 { true } else { false } } == true)
    }

    @Test func escLeavesTheListAndSlashSearchesIt() {
        var ui = Self.gate()
        ui.press(.tab)
        ui.type("/resource")
        #expect(ui.state.stepFocus == 5, "Check resource policies")
        ui.press(.enter)
        #expect(ui.state.status == "match 1 of 1 for \"resource\"")
        ui.type("/zzz")
        #expect(ui.state.stepFocus == 5)
        ui.press(.escape)
        #expect(ui.state.stepFocus == 5, "Esc cancels the search, the list keeps the keys")
        ui.press(.escape)
        #expect(ui.state.stepFocus == nil)
    }

    @Test func theChangeDialogAndTheCredentialsBoxKeepTheKeys() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        ui.press(.tab)
        #expect(ui.state.stepFocus == nil)
        #expect(!KeyMap.footer(ui.state).contains("Tab steps"))

        var waiting = InMemoryScreen(state: Fixture.state())
        waiting.send(.sessionChanged(CredentialsScreenTests.waiting()))
        #expect(!KeyMap.footer(waiting.state).contains("Tab steps"))
        waiting.press(.tab)
        #expect(waiting.state.stepFocus == nil)

        // A change proposed while the list has the keys takes them back.
        var gate = Self.gate()
        gate.press(.tab)
        gate.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        #expect(gate.state.stepFocus == nil)
        #expect(gate.screen.text.contains("This command CHANGES your account"))
    }

    @Test func whileACommandRunsTheListCanBeReadAndXStillCancels() {
        var ui = Self.gate()
        ui.press(.enter, .tab, .character("g"))
        #expect(ui.state.stepFocus == 0)
        #expect(ui.screen.text.contains("Running 0.0s: aws sts get-caller-identity"), "\(ui.screen.text)")
        ui.press(.character("x"))
        #expect(ui.effects.last == .cancelRunningCommand)
    }

    @Test func afterTheEndTabStartsOnTheLastStepThatDidSomething() {
        var ui = InMemoryScreen(state: Fixture.state())
        var done = Fixture.session(current: 0, proposal: nil, done: 5)
        done.currentStep = nil
        done.finished = true
        ui.send(.sessionChanged(done))
        ui.press(.tab)
        #expect(ui.state.stepFocus == 4)
    }

    @Test func theHelpListsTheStepListKeys() {
        let ui = Self.gate()
        let steps = KeyMap.help(ui.state).first { $0.0 == "Step list (Tab focuses it)" }
        #expect(steps?.1.map(\.0) == ["↓/j", "↑/k", "g/G", "G", "Enter", "r", "Tab/Esc"])
        #expect(KeyMap.help(ui.state).flatMap(\.1).contains { $0.0 == "Tab" && $0.1.hasPrefix("focus the step list") })
    }

    /// At 80x24 the list, its focus and the selected step's commands are all on screen.
    @Test func focusedListAt80x24() {
        var ui = Self.gate(TerminalSize(width: 80, height: 24))
        ui.press(.tab, .character("g"))
        let text = ui.screen.text
        #expect(text.contains("$ aws sts get-caller-identity --output json"), "\(text)")
        #expect(text.contains("→ exit 0, 0.4s"), "\(text)")
        #expect(ui.screen.rowText(23).hasPrefix(" ↓/j choose · Enter its outputs · Tab/Esc back"), "\(text)")
        #expect(ui.screen.rowText(23).contains("q quit"), "\(ui.screen.rowText(23))")
    }
}

extension CommandProposal {
    func with(id: String, step: String) -> CommandProposal {
        var copy = self
        copy.id = id
        copy.stepID = step
        return copy
    }
}
