import Foundation
import Testing
import WhyDeniedTUI
import WhyDeniedTerminal
import WhyDeniedRunbook

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCellsAndNeverHangOffTheEdge() {
        var screen = ScreenBuffer(size: TerminalSize(width: 7, height: 2))
        let used = screen.put("日本語x", row: 0, column: 0)
        #expect(used == 7)
        #expect(screen.rowText(0) == "日本語x")
        #expect(screen[0, 1].isContinuation)
        screen.put("ab日本", row: 1, column: 2)
        // 本 does not fit: the cut is marked in the one column left.
        #expect(screen.rowText(1) == "  ab日…")
        screen.put("Z", row: 0, column: 1) // overwrite the right half of 日
        #expect(screen.rowText(0) == " Z本語x")
    }

    @Test func combiningMarksStayWithTheirLetter() {
        var screen = ScreenBuffer(size: TerminalSize(width: 5, height: 1))
        screen.put("e\u{301}x", row: 0, column: 0)
        #expect(CharacterWidth.of("e\u{301}x") == 2)
        #expect(screen.rowText(0) == "e\u{301}x")
    }

    @Test(arguments: [("a", 1), ("é", 1), ("日", 2), ("한", 2), ("🙂", 2), ("\u{200B}", 0), ("ｱ", 1), ("Ａ", 2)])
    func widths(text: String, width: Int) {
        #expect(CharacterWidth.of(text) == width)
    }

    @Test func wrapBreaksAtSpacesAndSplitsLongWords() {
        #expect(Wrap.lines("aws sts get-caller-identity", width: 10) == ["aws sts", "get-caller", "-identity"])
        #expect(Wrap.lines("日本語日本語", width: 5) == ["日本", "語日", "本語"])
    }
}

@Suite struct TextEditingTests {
    @Test func textFieldHasReadlineKeys() {
        var field = TextField("aws iam get-role")
        _ = field.handle(.control("w"))
        #expect(field.text == "aws iam ")
        _ = field.handle(.control("a"))
        _ = field.handle(.character("é"))
        #expect(field.text == "éaws iam ")
        _ = field.handle(.control("k"))
        #expect(field.text == "é")
        _ = field.handle(.backspace)
        #expect(field.text.isEmpty)
    }

    @Test func textAreaJoinsAndSplitsLines() {
        var area = TextArea()
        for key: Key in [.character("a"), .enter, .character("日"), .left, .backspace] { _ = area.handle(key) }
        #expect(area.text == "a日")
        _ = area.handle(.enter)
        #expect(area.text == "a\n日")
        #expect(area.row == 1 && area.column == 0)
    }

    @Test func shellQuotingIsForDisplayAndRoundTrips() throws {
        let argv = ["aws", "s3api", "get-object", "--key", "it's a $(file).csv", "--bucket", "b"]
        let line = ArgvDisplay.line(argv)
        #expect(line == #"aws s3api get-object --key 'it'\''s a $(file).csv' --bucket b"#)
        #expect(try ShellWords.split(line) == argv)
        #expect(throws: FieldProblem("unterminated ' quote")) { try ShellWords.split("aws 'open") }
    }

    @Test func diffShowsRemovedThenAdded() {
        let diff = LineDiff.between("a\nb\nc", "a\nB\nc")
        #expect(diff.map(\.marked) == ["  a", "- b", "+ B", "  c"])
    }
}

@Suite struct TerminalBackendTests {
    @Test func decodesTextSpecialKeysAndResize() {
        #expect(KeyDecoder.decode(status: 0, code: 0xE9) == .key(.character("é")))
        #expect(KeyDecoder.decode(status: 0, code: 0x65E5) == .key(.character("日")))
        #expect(KeyDecoder.decode(status: 0, code: 13) == .key(.enter))
        #expect(KeyDecoder.decode(status: 0, code: 127) == .key(.backspace))
        #expect(KeyDecoder.decode(status: 0, code: 4) == .key(.control("d")))
        #expect(KeyDecoder.decode(status: 0, code: 27) == .key(.escape))
        #expect(KeyDecoder.decode(status: 256, code: 259) == .key(.up))
        #expect(KeyDecoder.decode(status: 256, code: 266) == .key(.function(2)))
        #expect(KeyDecoder.decode(status: 256, code: 410) == .resized)
        #expect(KeyDecoder.decode(status: 256, code: 343) == .key(.enter))
        #expect(KeyDecoder.decode(status: -1, code: 0) == nil)
    }

    @Test func noColorAndDumbTerminalsAreMonochrome() {
        #expect(Palette.choose(environment: ["NO_COLOR": "1"], terminalHasColors: true) == .monochrome)
        #expect(Palette.choose(environment: ["TERM": "dumb"], terminalHasColors: true) == .monochrome)
        #expect(Palette.choose(environment: [:], terminalHasColors: false) == .monochrome)
        #expect(Palette.choose(environment: ["NO_COLOR": ""], terminalHasColors: true) == .colour)
        let danger = Palette.monochrome.emphasis(for: CellStyle(role: .danger))
        #expect(danger == CellStyle(bold: true, underline: true))
        #expect(Palette.colour.emphasis(for: CellStyle(role: .danger)) == CellStyle(role: .danger))
    }
}
