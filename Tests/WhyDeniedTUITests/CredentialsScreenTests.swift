import Foundation
import Testing
import WhyDeniedSession
import WhyDeniedTUI

/// Issue 16 §2: a check that failed on the credentials is not a dead end. The session shows what
/// is missing, the configured profiles (↓/j, Enter checks with one and runs the check at once),
/// `r` checks again as before, the demo is named, and `q` asks before it quits.
@Suite struct CredentialsScreenTests {
    static func waiting(profiles: [String] = ["audit", "dev"]) -> SessionView {
        var view = Fixture.session(current: 0, proposal: nil)
        view.credentials = CredentialsCheck(
            after: .credentials(.missing, message: "Unable to locate credentials. You can configure credentials by running \"aws configure\"."),
            profile: nil, stepID: "verify", profiles: profiles)
        return view
    }

    @Test func showsWhatIsMissingTheProfilesAndTheDemo() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.waiting()))
        let text = ui.screen.text
        #expect(text.contains("Credentials needed"), "\(text)")
        #expect(text.contains("No AWS credentials: the AWS CLI found none for the default"), "\(text)")
        #expect(text.contains("▶ audit"), "\(text)")
        #expect(text.contains("  dev"), "\(text)")
        #expect(text.contains("whydenied demo"), "\(text)")
        #expect(ui.screen.rowText(29).hasPrefix(" Enter check with this profile · ↓/j choose · r check again"),
                "\(ui.screen.rowText(29))")
        #expect(!text.contains("Session stopped"))
    }

    @Test func enterChecksWithTheHighlightedProfileAndRunsTheCheck() {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            // The driver proposes the check again once the profile is set.
            if case .checkCredentials = effect { return [.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity))] }
            return []
        }
        ui.send(.sessionChanged(Self.waiting()))
        ui.press(.character("j"), .down, .enter)
        #expect(ui.effects == [.checkCredentials(profile: "dev"), .runCommand(Fixture.callerIdentity)])
        #expect(ui.state.running != nil)
    }

    @Test func rChecksAgainAsBeforeAndKUpStaysInTheList() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.waiting()))
        ui.press(.up, .character("k"))
        #expect(ui.state.profileChoice == 0)
        ui.press(.character("r"))
        #expect(ui.effects == [.checkCredentials(profile: nil)])
        #expect(ui.state.session?.credentials == nil)
    }

    @Test func noProfilesSaysSoAndEnterDoesNotCheck() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.waiting(profiles: [])))
        #expect(ui.screen.text.contains("No profiles are configured"))
        ui.press(.enter)
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "No profiles are configured: set credentials up, then r checks again.")
    }

    /// Quitting there asks first; the final state still waits for credentials (the binary exits 2).
    @Test func qAndEscAskBeforeQuitting() {
        for key in [Key.character("q"), .escape] {
            var ui = InMemoryScreen(state: Fixture.state())
            ui.send(.sessionChanged(Self.waiting()))
            ui.press(key)
            #expect(ui.state.prompt == .quit)
            ui.press(.character("y"))
            #expect(ui.effects == [.quit])
            #expect(ui.state.session?.credentials != nil)
        }
    }

    @Test func theHelpListsTheCredentialsKeys() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Self.waiting()))
        let groups = KeyMap.help(ui.state)
        let credentials = groups.first { $0.0 == "No working credentials" }
        #expect(credentials?.1.map(\.0) == ["Enter", "↓/j", "↑/k", "r", "Esc/q"])
    }
}
