import Foundation
import Testing
import WhyDeniedTUI

extension InMemoryScreen {
    /// Where the screen shows `text` first (at or below `row`): row and column of its first cell.
    func place(of text: String, from row: Int = 0) -> (row: Int, column: Int)? {
        for r in row..<screen.height {
            let cells = (0..<screen.width).map { screen[r, $0].text }
            for c in 0..<screen.width where cells[c...].joined().hasPrefix(text) { return (r, c) }
        }
        return nil
    }

    /// A left press on the middle of the first place the screen shows `text`.
    mutating func click(_ text: String, from row: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let at = place(of: text, from: row) else {
            Issue.record("\(text) is not on the screen:\n\(screen.text)", sourceLocation: sourceLocation)
            return
        }
        send(.mouse(MouseEvent(.press, row: at.row, column: at.column + CharacterWidth.of(text) / 2)))
    }
}

/// Issue 16 §3 "mouse: click a step, a button, a field": a press on a form field focuses it with
/// the cursor where it landed; a press on a footer hint, a dialog's button or a prompt's button
/// acts as its key would, so a change never runs from a click without the typed word. Every
/// press lands where the tests find the text drawn: the geometry is the drawing's.
@Suite struct MouseClickTests {
    @Test func aPressOnAFieldFocusesItWithTheCursorWhereItLanded() {
        var ui = InMemoryScreen(state: Fixture.state())
        #expect(ui.state.form.focus == 0)
        ui.click("Region")
        #expect(ui.state.form.focus == 2)
        // On the value: the cursor goes before the character pressed ("us-|east-1").
        let value = ui.place(of: "us-east-1", from: ui.place(of: "Region")!.row)!
        ui.send(.mouse(MouseEvent(.press, row: value.row, column: value.column + 3)))
        #expect(ui.state.form.focus == 2)
        #expect(ui.screen.cursor?.column == value.column + 3, "the terminal cursor is where the press landed")
        ui.type("x")
        #expect(ui.state.form.value(of: "region") == "us-xeast-1")
        // The check row below a field belongs to it too; the heading above the fields to none.
        let error = ui.place(of: "Error message")!
        ui.send(.mouse(MouseEvent(.press, row: error.row + 1, column: 10)))
        #expect(ui.state.form.focus == 6)
        ui.send(.mouse(MouseEvent(.press, row: 2, column: 10)))
        #expect(ui.state.form.focus == 6)
        #expect(ui.effects.isEmpty)
    }

    @Test func aPressOnAFieldAt80x24WithOneRowPerField() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        ui.click("Action (service:Action)")
        #expect(ui.state.form.focus == 5)
        ui.click("AWS profile")
        #expect(ui.state.form.focus == 7)
    }

    @Test func footerHintsActAsTheirKeys() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 24)))
        // Start with the principal missing: the same check as F2.
        ui.click("F2/Ctrl-S start", from: 23)
        #expect(ui.state.status?.hasPrefix("Not started: principal") == true, "\(ui.state.status ?? "")")
        ui.click("F6/Ctrl-V paste", from: 23)
        #expect(ui.state.paste != nil)
        ui.click("Esc back to form", from: 23)
        #expect(ui.state.paste == nil)
        ui.click("F10/Ctrl-Q quit", from: 23)
        #expect(ui.state.prompt == .quit)
        #expect(ui.effects.isEmpty)
        // Between two hints (the separator) nothing happens.
        let separator = ui.place(of: " · ", from: 23)!
        ui.send(.mouse(MouseEvent(.press, row: 23, column: separator.column + 1)))
        #expect(ui.state.prompt == .quit)
    }

    @Test func thePromptsButtonsAnswerIt() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(10))
        // Any key but y is a no: Stay is the one drawn as focused.
        let stay = ui.place(of: "[ Stay ]")!
        let quit = ui.place(of: "[ Quit ]")!
        #expect(ui.screen[stay.row, stay.column].style.reverse && !ui.screen[quit.row, quit.column].style.reverse)
        ui.click("[ Stay ]")
        #expect(ui.state.prompt == nil)
        #expect(ui.effects.isEmpty)
        ui.press(.function(10))
        ui.click("Quit whydenied?")
        #expect(ui.state.prompt == .quit, "a press on the prompt's text is no answer")
        ui.click("[ Quit ]")
        #expect(ui.effects == [.quit])
    }

    @Test func enablingChangesFromItsButton() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        ui.press(.function(4))
        ui.click("[ Keep read-only ]")
        #expect(!ui.state.changesEnabled)
        ui.press(.function(4))
        ui.click("[ Enable ]")
        #expect(ui.state.changesEnabled)
        #expect(ui.effects == [.setChangesEnabled(true)])
    }

    @Test func theChangeDialogsRunNeedsTheTypedWord() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        // Read-only: Run is disabled and a press on it says why, and declines nothing.
        ui.click("[ Run (disabled) ]")
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "The session is read-only: F4 or Ctrl-T enables changes.")
        ui.press(.function(4), .character("y"))
        ui.type("analytics-data")
        ui.click("[ Run (disabled) ]")
        #expect(ui.effects == [.setChangesEnabled(true)], "half the word: no run")
        #expect(ui.state.status == "Type analytics-data-bucket to enable Run.")
        ui.type("-bucket")
        ui.click("[ Run ]")
        #expect(ui.effects == [.setChangesEnabled(true), .runCommand(Fixture.putBucketPolicy)])
    }

    @Test func theChangeDialogsCancelDeclines() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        ui.press(.function(4), .character("y"))
        ui.type("analytics-data-bucket")
        ui.click("[ Cancel ]")
        #expect(ui.effects == [.setChangesEnabled(true), .skipCommand(Fixture.putBucketPolicy, reason: "declined by the operator")])
    }

    @Test func thePagersFooterBackClosesIt() {
        var ui = InMemoryScreen(state: Fixture.state())
        var view = Fixture.session(current: 1, proposal: nil)
        view.outputs = [CommandOutput(proposal: Fixture.callerIdentity, exitCode: 0, stdout: "{}", seconds: 1)]
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        #expect(ui.state.pager != nil)
        ui.click("Esc/q back", from: 29)
        #expect(ui.state.pager == nil)
    }

    /// Every hint the footer shows is a key that acts where it is shown: a click on it is never
    /// a dead press.
    @Test func everyFooterHintsClickActsHere() {
        var form = InMemoryScreen(state: Fixture.state())
        var states = [form.state]
        form.press(.function(6))
        states.append(form.state)
        var session = InMemoryScreen(state: Fixture.state())
        session.send(.sessionChanged(Fixture.session(current: 1, proposal: Fixture.callerIdentity)))
        states.append(session.state)
        session.press(.tab)
        states.append(session.state)
        session.press(.escape, .character("?"))
        states.append(session.state)
        var change = InMemoryScreen(state: Fixture.state())
        change.send(.sessionChanged(Fixture.session(current: 7, proposal: Fixture.putBucketPolicy)))
        states.append(change.state)
        for state in states {
            for item in KeyMap.footerItems(state) {
                let key = try! #require(item.key, "\(item.text) has a key")
                #expect(KeyMap.action(for: key, in: state) != nil, "\(item.text): \(key.name) does nothing here")
            }
        }
    }
}
