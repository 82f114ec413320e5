import Foundation
import Testing
import WhyDeniedTUI

/// Issue 16 §5: the key map and the help come from the table the update function dispatches on.
/// On every screen, a key that does something is a key of the table there (so the footer and the
/// help name it), and every key the table binds there is dispatched to its action. Text typed in
/// a field (printable characters and the readline keys, listed once under Parameters) is the
/// field's.
@Suite struct KeyTableTests {
    static let namedKeys: [Key] = [.enter, .tab, .backTab, .escape, .backspace, .delete, .up, .down, .left, .right,
                                   .pageUp, .pageDown, .home, .end]
        + (1...12).map { .function($0) }
        + "abcdefghijklmnopqrstuvwxyz".map { .control($0) }
        + "yYnqrxjkgG?/aeosfvw ".map { .character($0) }

    /// The readline keys the form's table rows name (`editField`): in any text field they edit it.
    static let editingKeys = Set(KeyMap.bindings.filter { $0.action == .editField }.flatMap(\.keys))

    static func screens() -> [(String, GuidedState)] {
        var screens: [(String, GuidedState)] = []
        var form = InMemoryScreen(state: Fixture.state())
        screens.append(("form", form.state))
        form.press(.function(10))
        screens.append(("quit question", form.state))
        form.press(.escape, .function(6))
        form.type("not an error\nsecond line")
        screens.append(("paste text", form.state))
        form.press(.control("d"))
        form.send(.prefillReady(Fixture.seedPrefill))
        screens.append(("paste review", form.state))
        var file = InMemoryScreen(state: Fixture.state())
        file.press(.function(3))
        file.type("events.json")
        screens.append(("event file", file.state))
        var credentials = InMemoryScreen(state: Fixture.state())
        credentials.send(.sessionChanged(CredentialsScreenTests.waiting()))
        screens.append(("credentials", credentials.state))
        var gate = InMemoryScreen(state: Fixture.state())
        gate.send(.sessionChanged(Fixture.session(current: 1, proposal: Fixture.callerIdentity)))
        screens.append(("gate", gate.state))
        gate.press(.function(4))
        screens.append(("enable-changes question", gate.state))
        gate.press(.escape, .character("s"))
        gate.type("not needed")
        screens.append(("skip reason", gate.state))
        gate.press(.escape, .tab)
        screens.append(("step list", gate.state))
        gate.press(.escape, .character("?"))
        screens.append(("help", gate.state))
        var change = InMemoryScreen(state: Fixture.state())
        change.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        screens.append(("change dialog", change.state))
        var finished = InMemoryScreen(state: Fixture.state())
        var done = Fixture.session(current: 7, proposal: nil, done: 8)
        done.finished = true
        done.outputs = [CommandOutput(proposal: Fixture.callerIdentity, exitCode: 0, stdout: "{}", seconds: 1)]
        finished.send(.sessionChanged(done))
        screens.append(("finished", finished.state))
        finished.press(.character("o"))
        screens.append(("pager", finished.state))
        finished.press(.character("/"))
        screens.append(("pager search", finished.state))
        return screens
    }

    /// What a key did, leaving out the one-line feedback (a hint is what an unbound key does).
    static func acted(_ before: GuidedState, _ key: Key) -> Bool {
        var (after, effects) = Guided.update(before, .key(key))
        var before = before
        before.status = nil
        after.status = nil
        before.pager?.message = nil
        after.pager?.message = nil
        return !effects.isEmpty || after != before
    }

    @Test func everyKeyThatActsIsOneTheTableBindsThere() {
        for (name, state) in Self.screens() {
            let typing = KeyMap.contexts(state).contains { [.form, .eventFile, .pasteText, .gateText, .changeDialog, .listSearch, .pagerSearch].contains($0) }
            for key in Self.namedKeys where Self.acted(state, key) {
                if typing, key.text != nil || Self.editingKeys.contains(key) { continue }
                if KeyMap.contexts(state) == [.prompt], KeyMap.action(for: key, in: state) == nil {
                    // The question's "any other key: no" row: the key answers no, and only that.
                    let (after, effects) = Guided.update(state, .key(key))
                    #expect(after.prompt == nil && effects.isEmpty && !after.changesEnabled, "\(name): \(key.name) is not a plain no")
                    continue
                }
                #expect(KeyMap.action(for: key, in: state) != nil, "\(name): \(key.name) acts but the table has no binding for it")
            }
        }
    }

    @Test func everyKeyTheTableBindsIsDispatchedAndInTheHelp() {
        for (name, state) in Self.screens() {
            let contexts = KeyMap.contexts(state)
            let typing = contexts.contains { [.form, .eventFile, .pasteText, .gateText, .changeDialog, .listSearch, .pagerSearch].contains($0) }
            let help = Set(KeyMap.help(state).flatMap(\.1).map(\.1))
            for binding in KeyMap.bindings where contexts.contains(binding.context) {
                #expect(help.contains(binding.help), "\(name): \(binding.label) is not in the help")
                for key in binding.keys {
                    // Where a field takes text, `?` is typed (F1 is the help there).
                    if typing, binding.context == .everywhere, key.text != nil { continue }
                    // A binding that cannot act now says why in one line (r with nothing failed).
                    let after = Guided.update(state, .key(key)).0
                    // In a question, a key that cannot act there (Ctrl-C when it is not the quit question) is a no.
                    let answeredNo = contexts == [.prompt] && after.prompt == nil
                    #expect(KeyMap.action(for: key, in: state) != nil || after.status != nil && after.status != state.status || answeredNo,
                            "\(name): \(key.name) is bound to \(binding.action) but does nothing")
                }
            }
        }
    }

    /// The pager's search field: Enter and Esc are the table's rows, other keys are typed.
    @Test func thePagerSearchKeysAreTheTables() {
        var ui = InMemoryScreen(state: Fixture.state())
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: Fixture.callerIdentity, exitCode: 0,
                                      stdout: (1...100).map { "line \($0)" }.joined(separator: "\n"), seconds: 1)]
        ui.send(.sessionChanged(view))
        ui.press(.character("o"), .character("/"))
        #expect(KeyMap.footer(ui.state).prefix(2) == ["Enter search", "Esc cancel"])
        ui.type("line 50")
        #expect(ui.state.pager?.searchInput?.text == "line 50")
        ui.press(.enter)
        #expect(ui.state.pager?.searchInput == nil)
        #expect(ui.state.pager?.matches == [49])
        ui.press(.character("/"), .character("x"), .escape)
        #expect(ui.state.pager?.searchInput == nil)
        #expect(ui.state.pager != nil, "Esc closes the search field, not the pager")
    }

    /// The form's field keys are the table's: Tab, ↓ and Enter move on because their row says so.
    @Test func theFormMovesBetweenFieldsByTheTable() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.enter, .down, .tab)
        #expect(ui.state.form.focus == 3)
        ui.press(.up, .backTab)
        #expect(ui.state.form.focus == 1)
        ui.press(.backTab, .backTab)
        #expect(ui.state.form.focus == ui.state.form.fields.count - 1, "round the start")
        // PgDn is no key of the form: it neither moves nor edits, and says so.
        ui.press(.pageDown)
        #expect(ui.state.form.focus == ui.state.form.fields.count - 1)
    }

    @Test func theQuestionsKeysAreTheTablesAndTheFooterSaysThem() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(10))
        #expect(KeyMap.footer(ui.state) == ["y yes", "Ctrl-C again quits", "any other key: no"])
        ui.press(.character("n"))
        #expect(ui.state.prompt == nil)
        ui.press(.function(10), .control("c"))
        #expect(ui.effects == [.quit])
        var changes = InMemoryScreen(state: Fixture.state())
        changes.send(.sessionChanged(Fixture.session(current: 1, proposal: Fixture.callerIdentity)))
        changes.press(.function(4))
        #expect(KeyMap.footer(changes.state) == ["y yes", "any other key: no"], "Ctrl-C quits only from the quit question")
        changes.press(.control("c"))
        #expect(changes.state.prompt == nil)
        #expect(!changes.state.changesEnabled)
        #expect(changes.effects.isEmpty)
    }
}
