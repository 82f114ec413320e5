import Foundation
import Testing
import WhyDeniedTerminal
import WhyDeniedTUI

/// Issue 16 §3 "mouse": a press on a step selects it (the step list takes the keys, as Tab
/// would), a press in the main pane gives them back; the wheel scrolls the pager and the help and
/// moves the focused list's selection. A dialog that waits keeps the mouse out, as it does keys.
@Suite struct MouseTests {
    @Test func pressingAStepSelectsItAndThePaneGivesTheKeysBack() {
        var ui = StepFocusTests.gate()
        // Row 2 is step 1 (row 0 the banner, row 1 the list's title).
        ui.send(.mouse(MouseEvent(.press, row: 2, column: 4)))
        #expect(ui.state.stepFocus == 0)
        #expect(ui.screen.text.contains("Step 1 of 8 · Verify dependencies · done"), "\(ui.screen.text)")
        ui.send(.mouse(MouseEvent(.press, row: 4, column: 4)))
        #expect(ui.state.stepFocus == 2)
        ui.send(.mouse(MouseEvent(.wheelUp, row: 4, column: 4)))
        #expect(ui.state.stepFocus == 1)
        ui.send(.mouse(MouseEvent(.press, row: 20, column: 4)))
        #expect(ui.state.stepFocus == 1, "below the last step: nothing")
        ui.send(.mouse(MouseEvent(.press, row: 10, column: 60)))
        #expect(ui.state.stepFocus == nil)
        #expect(ui.screen.text.contains("Next command · read-only"))
        #expect(ui.effects.isEmpty, "a press never runs anything")
    }

    /// A list longer than the screen: the last row of the pane is below the last step drawn, so
    /// a press there selects nothing (it selected the step that would come next, never shown).
    @Test func aPressBelowTheLastStepShownSelectsNothing() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 100, height: 16)))
        var view = Fixture.session(current: 1, proposal: nil)
        view.steps += (9...20).map { StepRow(id: "extra_\($0)", title: "Extra step \($0)") }
        ui.send(.sessionChanged(view))
        // Body rows 1...13: the title on 1, steps 1–11 on 2...12, row 13 is the pane's last and empty.
        #expect(ui.screen.rowText(12).contains("11 Extra step 11"), "\(ui.screen.text)")
        #expect(!ui.screen.rowText(13).contains("Extra step"), "\(ui.screen.text)")
        ui.send(.mouse(MouseEvent(.press, row: 13, column: 4)))
        #expect(ui.state.stepFocus == nil)
        ui.send(.mouse(MouseEvent(.press, row: 12, column: 4)))
        #expect(ui.state.stepFocus == 10)
    }

    @Test func theWheelScrollsThePagerAndTheHelp() {
        var ui = InMemoryScreen(state: Fixture.state())
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: Fixture.callerIdentity, exitCode: 0,
                                      stdout: (1...200).map { "line \($0)" }.joined(separator: "\n"), seconds: 1)]
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        ui.send(.mouse(MouseEvent(.wheelDown, row: 10, column: 10)))
        ui.send(.mouse(MouseEvent(.wheelDown, row: 10, column: 10)))
        #expect(ui.state.pager?.top == 6)
        ui.send(.mouse(MouseEvent(.wheelUp, row: 10, column: 10)))
        #expect(ui.state.pager?.top == 3)
        ui.press(.escape, .character("?"))
        ui.send(.mouse(MouseEvent(.wheelDown, row: 10, column: 10)))
        #expect(ui.state.helpTop == 3)
    }

    @Test func aWaitingDialogKeepsTheMouseOut() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        ui.send(.mouse(MouseEvent(.press, row: 2, column: 4)))
        #expect(ui.state.stepFocus == nil)
        ui.press(.function(10))
        ui.send(.mouse(MouseEvent(.press, row: 2, column: 4)))
        #expect(ui.state.prompt == .quit)
    }

    /// The terminal edge: the shim's reading (1 press, 2 wheel up, 3 wheel down) as events.
    @Test func theShimsMouseReadingDecodes() {
        #expect(KeyDecoder.mouse(kind: 1, row: 3, column: 7) == .mouse(MouseEvent(.press, row: 3, column: 7)))
        #expect(KeyDecoder.mouse(kind: 2, row: 0, column: 0) == .mouse(MouseEvent(.wheelUp, row: 0, column: 0)))
        #expect(KeyDecoder.mouse(kind: 3, row: 0, column: 0) == .mouse(MouseEvent(.wheelDown, row: 0, column: 0)))
        #expect(KeyDecoder.mouse(kind: 0, row: 0, column: 0) == nil)
    }
}
