import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §2 "a failed command can be retried": a step that failed and let the session go on
/// (`on_failure: continue`, an optional command; ✗ in the list) is tried again from the step
/// list: Tab, select it, `r`. The driver starts it over (its failed commands come to the gate;
/// `StepRetryTests` in the session tests show what it reuses and re-evaluates). Where nothing can
/// be retried, `r` says why in one line.
@Suite struct RetryPassedStepTests {
    /// At the resource policies' gate; the trail step failed (a throttled read) and the session went on.
    static func passedFailure(retryable: Bool = true) -> SessionView {
        var view = Fixture.session(current: 5, proposal: Fixture.callerIdentity.with(id: "check_resource/policy", step: "check_resource"))
        view.steps[1].status = .failed
        view.steps[1].retryable = retryable
        view.outputs = [CommandOutput(proposal: Fixture.callerIdentity.with(id: "trails/selectors", step: "trails"), exitCode: 254,
                                      stdout: "", stderr: "An error occurred (ThrottlingException)", seconds: 0.2)]
        return view
    }

    @Test func aFailedStepTheSessionPassedIsRetriedFromTheStepList() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.passedFailure()))
        ui.press(.tab, .character("k"), .character("k"), .character("k"))
        #expect(ui.state.stepFocus == 2)
        #expect(!KeyMap.footer(ui.state).contains("r retry its failed commands"), "step 3 did not fail")
        ui.press(.character("k"))
        #expect(ui.state.stepFocus == 1)
        #expect(KeyMap.footer(ui.state).first == "r retry its failed commands")
        let text = ui.screen.text
        #expect(text.contains("This step failed and the session went on: r runs its failed commands"), "\(text)")
        ui.press(.character("r"))
        #expect(ui.effects == [.retryFailedStep(stepID: "trails")])
        #expect(ui.state.stepFocus == nil, "back to the gate the retried command comes to")
        #expect(ui.state.status == "Trying the failed step again: its failed commands come to the gate…")
    }

    @Test func rOnAStepThatDidNotFailSaysSo() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.passedFailure()))
        ui.press(.tab, .character("g"))
        ui.press(.character("r"))
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "Step 1 has no failed command to try again: r retries a step marked ✗.")
    }

    @Test func rAtTheGateSaysWhereTheFailedStepIs() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.passedFailure()))
        ui.press(.character("r"))
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "To try a failed step (✗) again: Tab, select it with j/k, then r.")
        var none = InMemoryScreen(state: Fixture.state())
        none.send(.sessionChanged(Self.passedFailure(retryable: false)))
        none.press(.character("r"))
        #expect(none.state.status == "No failed command to try again.")
    }

    @Test func notWhileACommandRuns() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.passedFailure()))
        ui.press(.enter)
        #expect(ui.state.running != nil)
        ui.press(.tab, .character("g"), .character("j"))
        #expect(ui.state.stepFocus == 1)
        ui.press(.character("r"))
        #expect(ui.effects.count == 1, "only the run: \(ui.effects)")
        #expect(ui.state.status == "r tries a failed step again once the running command ends.")
    }

    @Test func theHelpSaysWhatRDoesInTheStepList() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.passedFailure()))
        let steps = KeyMap.help(ui.state).first { $0.0 == "Step list (Tab focuses it)" }
        #expect(steps?.1.contains { $0.0 == "r" && $0.1.hasPrefix("the selected step failed (✗): run its failed commands again") } == true)
    }
}
