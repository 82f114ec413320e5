import Foundation
import Testing
import WhyDeniedSession
import WhyDeniedTUI

/// Issue 14 §2: the resource account's profile (`resource_profile`) is asked in the form, not only
/// by `--resource-profile`; empty, it says when it is needed. The form stays usable at 80x24: with
/// ten fields it takes one row each, the focused field's check on the last row.
@Suite struct ResourceProfileFieldTests {
    static func focusedOnResourceProfile(_ size: TerminalSize) -> InMemoryScreen {
        var ui = InMemoryScreen(state: Fixture.state(size))
        let index = ui.state.form.fields.firstIndex { $0.name == "resource_profile" } ?? 0
        for _ in 0..<index { ui.press(.tab) }
        return ui
    }

    @Test func theResourceProfileFieldFitsAt80x24AndSaysWhenItIsNeeded() {
        let ui = Self.focusedOnResourceProfile(TerminalSize(width: 80, height: 24))
        expectScreen(ui.screen, "form-resource-profile-80x24", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox

             Parameters: type them, or F6 to paste an error message or CloudTrail event.

              Principal (user/role name or ARN) *
              Time frame *                         1 hour ago
              Region *                             us-east-1
              Resource (ARN or name)
              Account id
              Action (service:Action)
              Error message
              AWS profile                          sandbox
              Organization profile (SCP reads)
            ▸ Resource account profile







             · optional · needed only when the resource is in another account

             F2/Ctrl-S start · F6/Ctrl-V paste · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
    }

    @Test func itsValueStartsTheSessionAsTheResourceProfile() {
        var ui = Self.focusedOnResourceProfile(TerminalSize(width: 80, height: 24))
        ui.type("partner data")
        #expect(ui.state.form.problems(now: Fixture.now).contains { $0.name == "resource_profile" })
        ui.press(.control("u"))
        ui.type("partner-data")
        ui.press(.tab)
        ui.type("DataAnalystRole")
        ui.press(.function(2))
        guard case .startSession(let parameters, _, _)? = ui.effects.last else {
            Issue.record("no session started: \(ui.effects)")
            return
        }
        #expect(parameters["resource_profile"] == "partner-data")
    }
}
