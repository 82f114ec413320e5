import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §2: a failed step that stopped the session is not a dead end. Once the operator fixed
/// the cause, `r` has its failed command proposed again; it waits at the gate like any command
/// (Enter runs it, a change would open its dialog) and, on success, the session goes on.
@Suite struct RetryFailedStepTests {
    /// Stopped on the first step's failed command, which the driver can propose again.
    static func halted(retryable: Bool = true) -> SessionView {
        var view = Fixture.session(current: 0, proposal: nil, done: 0)
        view.steps[0].status = .failed
        view.steps[0].why = "failed: `aws sts get-caller-identity` failed with exit status 255"
        view.currentStep = nil
        view.finished = true
        view.stopped = true
        view.notice = "Stopped in \"Verify dependencies\": the endpoint stopped answering"
        view.retryableStep = retryable ? "verify" : nil
        return view
    }

    @Test func theStoppedScreenOffersRAndTheFooterSaysIt() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.halted()))
        let text = ui.screen.text
        #expect(text.contains("Session stopped: a step failed and the runbook stops there."), "\(text)")
        #expect(text.contains("Fixed the cause (e.g. refreshed the credentials)? r proposes the"), "\(text)")
        #expect(text.contains("failed command again and the session goes on from there."), "\(text)")
        #expect(!text.contains("Nothing left to run"), "\(text)")
        #expect(ui.screen.rowText(29).hasPrefix(" r retry the failed command · "), "\(ui.screen.rowText(29))")
        #expect(!text.contains("offer the declined change"))
    }

    @Test func rProposesTheFailedCommandAgainThroughTheGate() {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            if case .retryFailedStep = effect { return [.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity))] }
            return []
        }
        ui.send(.sessionChanged(Self.halted()))
        ui.press(.character("r"))
        #expect(ui.effects == [.retryFailedStep(stepID: "verify")])
        // Not run yet: it waits at the gate for the operator's Enter, as any command does.
        #expect(ui.state.running == nil)
        #expect(ui.screen.text.contains("Next command · read-only"), "\(ui.screen.text)")
        ui.press(.enter)
        #expect(ui.effects.last == .runCommand(Fixture.callerIdentity))
    }

    @Test func aFailedStepsMutationComesBackThroughTheChangeDialog() {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            if case .retryFailedStep = effect { return [.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy))] }
            return []
        }
        var view = Self.halted()
        view.retryableStep = "implement"
        ui.send(.sessionChanged(view))
        ui.press(.character("r"))
        #expect(ui.effects == [.retryFailedStep(stepID: "implement")])
        #expect(ui.screen.text.contains("This command CHANGES your account"))
        ui.press(.enter)
        #expect(ui.effects.last == .skipCommand(Fixture.putBucketPolicy, reason: "declined by the operator"),
                "Enter without the word declines, as for any change")
    }

    @Test func withNothingToRetryRSaysSo() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.halted(retryable: false)))
        #expect(!ui.screen.rowText(29).contains("retry"))
        ui.press(.character("r"))
        #expect(ui.effects.isEmpty)
        // r does either; neither can act, and each says why.
        #expect(ui.state.status == "No declined change to offer again. No failed command to try again.")
    }

    @Test func theFocusedFailedStepSaysRTriesItAgain() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.halted()))
        ui.press(.tab)
        #expect(ui.state.stepFocus == 0)
        let text = ui.screen.text
        #expect(text.contains("failed: `aws sts get-caller-identity` failed with exit status 255"), "\(text)")
        #expect(text.contains("This step stopped the session: r proposes its failed command again."), "\(text)")
        ui.press(.character("r"))
        #expect(ui.effects == [.retryFailedStep(stepID: "verify")])
        #expect(ui.state.stepFocus == nil, "back to the gate the retry comes to")
    }
}
