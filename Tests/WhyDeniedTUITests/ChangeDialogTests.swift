import Foundation
import Testing
import WhyDeniedTUI

/// The change dialog: a typed word is a yes (Enter runs it, as `terraform apply` takes "yes"),
/// anything else with Enter declines; a declined change can be offered again from its step.
@Suite struct ChangeDialogTests {
    func changeDialog(changesEnabled: Bool = true) -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        if changesEnabled { ui.press(.function(4), .character("y")) }
        return ui
    }

    static let declined = Effect.skipCommand(Fixture.putBucketPolicy, reason: "declined by the operator")

    @Test func theTypedWordAndEnterRunsTheChange() {
        var ui = changeDialog()
        ui.type("analytics-data-bucket")
        // Run is enabled and focused: the drawn button is reversed.
        let row = (0..<ui.screen.height).first { ui.screen.rowText($0).contains("[ Run ]") }
        #expect(row != nil)
        if let row {
            let column = ui.screen.rowText(row).distance(from: ui.screen.rowText(row).startIndex,
                                                         to: ui.screen.rowText(row).range(of: "[ Run ]")!.lowerBound)
            #expect(ui.screen[row, column].style.reverse)
        }
        ui.press(.enter)
        #expect(ui.effects == [.setChangesEnabled(true), .runCommand(Fixture.putBucketPolicy)])
    }

    @Test func enterWithoutTheWordDeclines() {
        var ui = changeDialog()
        ui.type("analytics-data")
        ui.press(.enter)
        #expect(ui.effects == [.setChangesEnabled(true), Self.declined])
    }

    @Test func tabToCancelAfterTheWordDeclines() {
        var ui = changeDialog()
        ui.type("analytics-data-bucket")
        ui.press(.tab, .enter)
        #expect(ui.effects == [.setChangesEnabled(true), Self.declined])
    }

    @Test func editingTheWordAgainFollowsIt() {
        var ui = changeDialog()
        ui.type("analytics-data-bucket")
        ui.press(.tab)                  // picks Cancel
        ui.press(.backspace)
        ui.type("t")                    // the word again: Run is focused again
        ui.press(.enter)
        #expect(ui.effects == [.setChangesEnabled(true), .runCommand(Fixture.putBucketPolicy)])
    }

    @Test func runCannotBeFocusedBeforeTheWordMatches() {
        var ui = changeDialog()
        ui.press(.tab)
        #expect(ui.state.status == "Type analytics-data-bucket to enable Run.")
        ui.press(.enter)
        #expect(ui.effects == [.setChangesEnabled(true), Self.declined])
    }

    @Test func aReadOnlySessionOnlyDeclines() {
        var ui = changeDialog(changesEnabled: false)
        ui.type("analytics-data-bucket")
        ui.press(.tab)
        #expect(ui.state.status == "The session is read-only: F4 or Ctrl-T enables changes.")
        ui.press(.enter)
        #expect(ui.effects == [Self.declined])
    }

    @Test func aDeclinedChangeIsOfferedAgainWithR() {
        var ui = changeDialog()
        ui.press(.escape)
        #expect(ui.effects.last == Self.declined)
        // The driver answers: the session finished, the implement step's change was declined.
        var after = Fixture.session(current: 7, proposal: nil, done: 8)
        after.finished = true
        after.declinedChangeStep = "implement"
        ui.send(.sessionChanged(after))
        #expect(ui.screen.text.contains("r offer the declined change again"))
        ui.press(.character("r"))
        #expect(ui.effects.last == .offerChangeAgain(stepID: "implement"))
        // The step starts over and the change comes back through the dialog.
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        ui.type("analytics-data-bucket")
        ui.press(.enter)
        #expect(ui.effects.last == .runCommand(Fixture.putBucketPolicy))
    }

    @Test func rSaysWhenNothingWasDeclined() {
        var ui = InMemoryScreen(state: Fixture.state())
        var done = Fixture.session(current: 7, proposal: nil, done: 8)
        done.finished = true
        ui.send(.sessionChanged(done))
        ui.press(.character("r"))
        // r does either; neither can act, and each says why.
        #expect(ui.state.status == "No declined change to offer again. No failed command to try again.")
        #expect(!ui.screen.text.contains("offer the declined change"))
        #expect(ui.effects.isEmpty)
    }
}
