import Foundation
import WhyDeniedEvidence
import Testing
import WhyDeniedTUI

/// Accented and double-width text typed into the form and the paste dialog: the value keeps
/// every character, the cursor sits after what was typed in terminal columns (日 takes two),
/// editing keys remove whole characters, and nothing hangs off a field's edge.
@Suite struct NonASCIIInputTests {
    /// The form's value column (label width 36 + 3).
    let valueColumn = 39

    @Test func accentedAndWideCharactersLandInTheFieldWithTheCursorAfterThem() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.type("Rôle日本")
        #expect(ui.state.form.value(of: "principal") == "Rôle日本")
        #expect(ui.screen.rowText(4) == "▸ Principal (user/role name or ARN) *  Rôle日本")
        // R ô l e = 4 columns, 日 本 = 2 columns each.
        #expect(ui.screen.cursor?.row == 4)
        #expect(ui.screen.cursor?.column == valueColumn + 8)
        #expect(ui.screen.rowText(5) == "    ✗ IAM names use letters, digits and +=,.@_-")
    }

    @Test func backspaceAndArrowsMoveByWholeCharacters() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.type("é日x")
        ui.press(.backspace)
        #expect(ui.state.form.value(of: "principal") == "é日")
        #expect(ui.screen.cursor?.column == valueColumn + 3)
        ui.press(.left)
        #expect(ui.screen.cursor?.column == valueColumn + 1)
        ui.press(.backspace)
        #expect(ui.state.form.value(of: "principal") == "日")
        #expect(ui.screen.cursor?.column == valueColumn)
        ui.press(.end)
        ui.type("本")
        ui.press(.control("w"))
        #expect(ui.state.form.value(of: "principal") == "")
    }

    @Test func combiningAccentsStayOneCharacter() {
        var ui = InMemoryScreen(state: Fixture.state())
        // "e" followed by U+0301 arrives as one grapheme; it must not add a column.
        ui.type("Cafe\u{301}")
        #expect(ui.state.form.value(of: "principal") == "Café")
        #expect(ui.screen.cursor?.column == valueColumn + 4)
        ui.press(.backspace)
        #expect(ui.state.form.value(of: "principal") == "Caf")
    }

    @Test func aLongWideValueScrollsSoTheCursorStaysVisible() {
        var ui = InMemoryScreen(state: Fixture.state(TerminalSize(width: 80, height: 30)))
        // Value width at 80 columns: 80 - 39 - 1 = 40 columns; 30 wide characters need 60.
        let long = String(repeating: "日", count: 30)
        ui.type(long)
        #expect(ui.state.form.value(of: "principal") == long)
        let cursor = ui.screen.cursor
        #expect(cursor?.row == 4)
        #expect((cursor?.column ?? 0) < 80)
        #expect((cursor?.column ?? 0) >= valueColumn)
        // The row holds only whole wide characters: never half of one at the edge.
        let row = ui.screen.rowText(4)
        #expect(!row.contains("\u{FFFD}"))
        #expect(CharacterWidth.of(row) <= 80)
    }

    @Test func pasteDialogKeepsAccentsAndCJKAndPlacesTheCursorByColumns() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type("Accès refusé\n日本語のエラー")
        // The box starts at column 1 and its text at column 3; row 2 is the first text line.
        #expect(ui.screen.rowText(2).hasPrefix(" │ Accès refusé "))
        #expect(ui.screen.rowText(3).hasPrefix(" │ 日本語のエラー "))
        #expect(ui.screen.cursor?.row == 3)
        #expect(ui.screen.cursor?.column == 3 + 14)
        #expect(ui.screen.rowText(25).contains("2 lines, 20 characters"))
        ui.press(.backspace, .up)
        #expect(ui.screen.cursor?.row == 2)
        ui.press(.control("d"))
        #expect(ui.effects == [.parsePastedText("Accès refusé\n日本語のエラ")])
    }

    @Test func detectedValuesWithWideCharactersAreTruncatedOnCellBoundaries() {
        var ui = InMemoryScreen(state: Fixture.state()) { effect in
            guard case .parsePastedText = effect else { return [] }
            return [.prefillReady([
                PrefilledParameter(name: "resource", value: "arn:aws:s3:::データ-" + String(repeating: "日", count: 40),
                             source: .errorMessage, origin: "error message"),
                PrefilledParameter(name: "error_message", value: "Accès refusé", source: .errorMessage, origin: "the pasted text"),
            ])]
        }
        ui.press(.function(6))
        ui.type("anything")
        ui.press(.control("d"))
        let screen = ui.screen.text
        #expect(screen.contains("[x] resource      arn:aws:s3:::データ-日日日日日日日日…"))
        #expect(screen.contains("[x] error_message Accès refusé"))
        ui.press(.character("a"))
        #expect(ui.state.form.value(of: "error_message") == "Accès refusé")
        #expect(ui.state.form.value(of: "resource")?.hasSuffix(String(repeating: "日", count: 40)) == true)
    }
}
