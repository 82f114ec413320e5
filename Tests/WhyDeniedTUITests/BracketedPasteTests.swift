import Foundation
import Testing
import WhyDeniedTerminal
import WhyDeniedTUI

/// Issue 16 §3, bracketed paste. The decoder joins ESC[200~ … ESC[201~ (as ncurses hands them
/// over: Esc, then plain characters) into one paste; the form opens the paste dialog for text the
/// paste reader recognises (an error message, a CloudTrail event) and types anything else into the
/// focused field on one line.
@Suite struct BracketedPasteTests {
    static func keys(_ text: String) -> [TerminalInput] {
        text.map { character -> TerminalInput in
            switch character {
            case "\u{1B}": .key(.escape)
            case "\n": .key(.enter)
            case "\t": .key(.tab)
            default: .key(.character(character))
            }
        }
    }

    static func decode(_ text: String, flushAtEnd: Bool = true) -> [TerminalInput] {
        var paste = BracketedPaste()
        var out = keys(text).flatMap { paste.feed($0) }
        if flushAtEnd { out += paste.flush() }
        return out
    }

    @Test func markersJoinThePasteIntoOneInput() {
        #expect(Self.decode("a\u{1B}[200~line 1\nline\t2\u{1B}[201~b")
            == [.key(.character("a")), .paste("line 1\nline\t2"), .key(.character("b"))])
    }

    @Test func escapeAloneAndEscapeThenOtherKeysStayKeys() {
        #expect(Self.decode("\u{1B}") == [.key(.escape)])
        #expect(Self.decode("\u{1B}[2x") == Self.keys("\u{1B}[2x"))
        #expect(Self.decode("\u{1B}\u{1B}[200~x\u{1B}[201~") == [.key(.escape), .paste("x")])
    }

    /// Inside a paste, the input going quiet does not end it (the rest may be on its way), and a
    /// resize still gets through.
    @Test func aPasteSpansReadsAndResizesPassThrough() {
        var paste = BracketedPaste()
        var out = Self.keys("\u{1B}[200~abc").flatMap { paste.feed($0) }
        out += paste.flush()
        #expect(out.isEmpty)
        #expect(paste.isPasting)
        out += paste.feed(.resized)
        out += Self.keys("def\u{1B}[201~").flatMap { paste.feed($0) }
        #expect(out == [.resized, .paste("abcdef")])
    }

    @Test func anErrorMessagePastedOnTheFormOpensThePasteDialogWithIt() throws {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.paste(Fixture.seedError + "\n")
        let dialog = try #require(ui.state.paste)
        #expect(dialog.stage == .reviewing)
        #expect(dialog.area.text == Fixture.seedError + "\n")
        #expect(dialog.detected.contains { $0.name == "action" && $0.value == "s3:GetObject" })
        #expect(ui.state.form.value(of: "principal") ?? "" == "")
        #expect(ui.screen.text.contains("s3:GetObject"))
    }

    @Test func aCloudTrailEventPastedOnTheFormOpensThePasteDialog() {
        let event = """
            {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice",
             "accountId":"123456789012"},"eventTime":"2026-11-18T10:00:00Z","eventSource":"s3.amazonaws.com",
             "eventName":"GetObject","awsRegion":"us-east-1","errorCode":"AccessDenied",
             "errorMessage":"Access Denied","eventID":"3f1c0b2a-0000-0000-0000-000000000000"}
            """
        var ui = InMemoryScreen(state: Fixture.state())
        ui.paste(event)
        #expect(ui.state.paste?.stage == .reviewing)
        #expect(ui.state.paste?.detected.contains { $0.name == "principal" } == true)
    }

    /// A name or an ARN is not evidence: it goes into the focused field, newlines dropped.
    @Test(arguments: ["DataAnalystRole", "arn:aws:iam::123456789012:role/DataAnalystRole"])
    func plainTextGoesIntoTheFocusedField(text: String) {
        var ui = InMemoryScreen(state: Fixture.state())
        let principal = ui.state.form.value(of: "principal") ?? ""
        ui.paste("\n" + text + "\r\n")
        #expect(ui.state.paste == nil)
        #expect(ui.state.form.value(of: "principal") == principal + text)
    }

    @Test func inThePasteDialogThePasteKeepsItsLines() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.paste("first\nsecond")
        #expect(ui.state.paste?.area.text == "first\nsecond")
        #expect(ui.state.paste?.stage == .editing)
    }
}
