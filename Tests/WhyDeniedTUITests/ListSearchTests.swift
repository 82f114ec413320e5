import Foundation
import Testing
import WhyDeniedSession
@testable import WhyDeniedTUI

/// Issue 16 §3: `/` search in lists as well as in the pager, one mechanism (`ListSearch`) for every
/// selectable list: the credentials box's profiles and the paste dialog's detected fields.
@Suite struct ListSearchTests {
    static let profiles = ["audit", "dev", "prod-admin", "prod-readonly", "staging"]

    // MARK: the model

    @Test func typingSelectsTheFirstMatchFromTheSelectionAndSaysHowMany() {
        var search = ListSearch()
        search.begin(at: 1)
        #expect(search.type(.character("P"), items: Self.profiles) == 2)
        #expect(search.message == "2 matches")
        #expect(search.type(.character("r"), items: Self.profiles) == 2)
        #expect(search.type(.character("o"), items: Self.profiles) == 2)
        #expect(search.type(.character("d"), items: Self.profiles) == 2)
        #expect(search.type(.character("-"), items: Self.profiles) == 2)
        #expect(search.type(.character("r"), items: Self.profiles) == 3)
        #expect(search.message == "1 match")
    }

    @Test func noMatchSaysSoAndKeepsTheSelection() {
        var search = ListSearch()
        search.begin(at: 3)
        #expect(search.type(.character("z"), items: Self.profiles) == 3)
        #expect(search.message == "no match for \"z\"")
        #expect(search.accept(items: Self.profiles) == 3)
        #expect(search.message == "no match for \"z\"")
        #expect(!search.typing)
    }

    @Test func enterKeepsTheQueryAndNextPreviousWrapSayingSo() {
        var search = ListSearch()
        search.begin(at: 3)
        for c in "prod" { _ = search.type(.character(c), items: Self.profiles) }
        #expect(search.accept(items: Self.profiles) == 3)
        #expect(search.query == "prod")
        #expect(search.message == "match 2 of 2 for \"prod\"")
        #expect(search.step(1, from: 3, items: Self.profiles) == 2)
        #expect(search.message == "match 1 of 2 for \"prod\" · wrapped to the top")
        #expect(search.step(-1, from: 2, items: Self.profiles) == 3)
        #expect(search.message == "match 2 of 2 for \"prod\" · wrapped to the bottom")
        #expect(search.step(-1, from: 3, items: Self.profiles) == 2)
        #expect(search.message == "match 1 of 2 for \"prod\"")
    }

    @Test func enterFromBelowTheLastMatchWrapsToTheTop() {
        var search = ListSearch()
        search.begin(at: 4)
        _ = search.type(.character("d"), items: Self.profiles)
        #expect(search.accept(items: Self.profiles) == 0)
        #expect(search.message == "match 1 of 4 for \"d\" · wrapped to the top")
    }

    @Test func escGoesBackToWhereTheSelectionWas() {
        var search = ListSearch()
        search.begin(at: 4)
        // "a" matches staging, where the search starts; "au" narrows to audit (it wraps).
        #expect(search.type(.character("a"), items: Self.profiles) == 4)
        #expect(search.type(.character("u"), items: Self.profiles) == 0)
        #expect(search.cancel() == 4)
        #expect(!search.typing)
        #expect(search.message == nil)
    }

    @Test func nWithoutASearchSaysPressSlashFirst() {
        var search = ListSearch()
        #expect(search.step(1, from: 2, items: Self.profiles) == 2)
        #expect(search.message == "no search: press / first")
    }

    // MARK: on screen: the credentials box's profiles (session screen)

    static func waiting() -> SessionView {
        var view = Fixture.session(current: 0, proposal: nil)
        view.credentials = CredentialsCheck(
            after: .credentials(.missing, message: "Unable to locate credentials."),
            profile: nil, stepID: "verify", profiles: profiles)
        return view
    }

    @Test func slashInTheProfilesOpensAPromptAndTypingMovesTheHighlight() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.send(.sessionChanged(Self.waiting()))
        ui.press(.character("/"))
        ui.type("prod")
        #expect(ui.state.profileChoice == 2)
        expectScreen(ui.screen, "list-search-profiles-typing", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox
             Steps                       │ Step 1 of 8 · Verify dependencies · running
             ▶ 1 Verify dependencies     │ Checks which identity your credentials resolve
             · 2 Check trails            │ to. Every later command runs as this caller.
             · 3 Look up events          │
             · 4 Parse events            │ ┌─ Credentials needed ─────────────────────────┐
             · 5 Check IAM               │ │ No AWS credentials: the AWS CLI found none   │
             · 6 Check resource policies │ │ for the default profile (no access keys in   │
             · 7 Recommend               │ │ the environment or its files, no SSO or role │
             · 8 Implement               │ │ set up).                                     │
                                         │ │                                              │
                                         │ │ Configured profiles (Enter checks with ▶):   │
                                         │ │   audit                                      │
                                         │ │   dev                                        │
                                         │ │ ▶ prod-admin                                 │
                                         │ │   prod-readonly                              │
                                         │ │   staging                                    │
                                         │ │                                              │
                                         │ │ r checks again as before · q quits (exit     │
                                         │ │ status 2)                                    │
                                         │ │ No AWS account at hand? `whydenied demo`     │
                                         │ └──────────────────────────────────────────────┘
             /prod   2 matches
             Enter go to match · Esc cancel · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
        #expect(ui.screen.cursor?.row == 22)
        ui.press(.enter)
        #expect(ui.state.status == "match 1 of 2 for \"prod\"")
        ui.press(.character("n"))
        #expect(ui.state.profileChoice == 3)
        ui.press(.character("n"))
        #expect(ui.state.profileChoice == 2)
        #expect(ui.screen.rowText(22).contains("match 1 of 2 for \"prod\" · wrapped to the top"), "\(ui.screen.rowText(22))")
        ui.press(.character("N"))
        #expect(ui.state.profileChoice == 3)
        #expect(ui.state.status == "match 2 of 2 for \"prod\" · wrapped to the bottom")
        // Enter checks with the profile the search found.
        ui.press(.enter)
        #expect(ui.effects == [.checkCredentials(profile: "prod-readonly")])
    }

    @Test func escInThePromptRestoresTheProfileAndDoesNotQuit() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.send(.sessionChanged(Self.waiting()))
        ui.press(.character("j"), .character("/"))
        ui.type("stag")
        #expect(ui.state.profileChoice == 4)
        ui.press(.escape)
        #expect(ui.state.profileChoice == 1)
        #expect(ui.state.prompt == nil)
        #expect(!ui.state.listSearch.typing)
        // Letters typed in the prompt were the query, not keys: q did not ask to quit, r did not check.
        ui.press(.character("/"))
        ui.type("qr")
        #expect(ui.state.prompt == nil)
        #expect(ui.effects.isEmpty)
        #expect(ui.screen.rowText(22).contains("/qr   no match for \"qr\""), "\(ui.screen.rowText(22))")
        ui.press(.enter)
        #expect(ui.state.status == "no match for \"qr\"")
        #expect(ui.state.profileChoice == 1)
    }

    /// A search belongs to its list: when the profiles go (the check passed elsewhere) and come
    /// back, no stale prompt takes the keys and n has nothing to repeat.
    @Test func aSearchEndsWithItsList() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.send(.sessionChanged(Self.waiting()))
        ui.press(.character("/"))
        ui.type("pr")
        ui.send(.sessionChanged(Fixture.session(current: 0, proposal: Fixture.callerIdentity)))
        #expect(!ui.state.listSearch.typing)
        ui.send(.sessionChanged(Self.waiting()))
        #expect(!ui.screen.rowText(22).contains("/pr"), "\(ui.screen.rowText(22))")
        ui.press(.character("n"))
        #expect(ui.state.status == "no search: press / first")
        ui.press(.character("q"))
        #expect(ui.state.prompt == .quit)
    }

    @Test func theFooterAndTheHelpComeFromTheKeyTable() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 200, height: 40)))
        ui.send(.sessionChanged(Self.waiting()))
        #expect(ui.screen.rowText(39).contains("/ search · n/N next/prev"), "\(ui.screen.rowText(39))")
        let groups = KeyMap.help(ui.state)
        #expect(groups.first { $0.0 == "Lists (profiles, detected fields)" }?.1.map(\.0) == ["/", "n/N", "N"])
        ui.press(.character("/"))
        #expect(ui.screen.rowText(39).hasPrefix(" Enter go to match · Esc cancel · F1/Ctrl-G help"), "\(ui.screen.rowText(39))")
    }

    // MARK: the same mechanism in the paste dialog's detected fields

    @Test func theDetectedFieldsListSearchesTheSameWay() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.press(.function(6))
        ui.type(Fixture.seedError)
        ui.press(.function(2))
        ui.send(.prefillReady(Fixture.seedPrefill))
        ui.press(.character("/"))
        ui.type("123456789012")
        // principal (row 0) contains the account id too: the first match from the selection.
        #expect(ui.state.paste?.selection == 0)
        ui.press(.enter, .character("n"))
        #expect(ui.state.paste?.selection == 3)
        #expect(ui.state.status == "match 2 of 2 for \"123456789012\"")
        ui.press(.character("/"))
        ui.type("s3:Get")
        #expect(ui.state.paste?.selection == 1)
        ui.press(.escape)
        #expect(ui.state.paste?.selection == 3)
        // The list keys still work after a search: Space toggles the selected field.
        ui.press(.character(" "))
        #expect(ui.state.paste?.accepted == [true, true, true, false])
    }
}
