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
