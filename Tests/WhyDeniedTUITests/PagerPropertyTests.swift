import Foundation
import Testing
import WhyDeniedTUI
import WhyDeniedTestSupport

/// The pager never traps, whatever the text, the terminal size, the query and the keys: random
/// cases through the in-memory backend (the same `update` and `view` as the terminal). A trap
/// crashes this test process, which is the failure; the seed is printed first so the run can be
/// repeated (`WHYDENIED_PROPERTY_SEED=<seed> swift test --filter PagerPropertyTests`).
@Suite struct PagerPropertyTests {
    /// A search match past the right edge of the screen used to trap (`restyle` built a range
    /// whose lower bound was past its upper bound): the session was lost with exit 132.
    @Test func aMatchPastTheRightEdgeIsScrolledIntoView() {
        let line = String(repeating: "x", count: 150) + "AccessDenied" + String(repeating: "y", count: 30)
        var ui = Self.pagerUI(text: "first line\n" + line + "\nlast", size: TerminalSize(width: 80, height: 24))
        ui.press(.character("/"))
        ui.type("accessdenied")
        ui.press(.enter)
        #expect(ui.state.pager?.message == "match 1 of 1")
        // The match is shown, highlighted, on the line's row.
        let row = (0..<ui.screen.height).first { ui.screen.rowText($0).contains("AccessDenied") }
        #expect(row != nil)
        if let row, let start = ui.screen.rowText(row).range(of: "AccessDenied") {
            let column = ui.screen.rowText(row).distance(from: ui.screen.rowText(row).startIndex, to: start.lowerBound)
            #expect(ui.screen[row, column].style.reverse)
        }
        // ← goes back to the start of the lines, → forward again.
        ui.press(.left, .left, .left, .left)
        #expect(ui.state.pager?.left == 0)
        // The line goes on past the edge: its last column says so.
        #expect(ui.screen.rowText(2) == String(repeating: "x", count: 79) + "»")
        ui.press(.right)
        #expect(ui.state.pager?.left ?? 0 > 0)
    }

    @Test func screenBufferClipsRangesOutsideTheScreen() {
        var screen = ScreenBuffer(size: TerminalSize(width: 10, height: 3))
        screen.restyle(row: 1, columns: 40..<52) { $0.reverse = true }
        screen.restyle(row: 1, columns: -8 ..< -2) { $0.reverse = true }
        screen.fill(Rect(row: 7, column: 20, width: 4, height: 2), style: .reverse)
        screen.fill(Rect(row: -5, column: -9, width: 3, height: 1), style: .reverse)
        #expect(!screen.cells.contains { $0.style.reverse })
    }

    // Async with a yield per case: a minute of synchronous work would hold one of the two
    // cooperative threads of a 2-core machine and starve the timing-bound tests running beside it.
    @Test func randomTextSizesQueriesAndKeysNeverTrap() async {
        let seed = ProcessInfo.processInfo.environment["WHYDENIED_PROPERTY_SEED"].flatMap { UInt64($0) } ?? 0x5EED_1212
        print("PagerPropertyTests seed \(seed) (WHYDENIED_PROPERTY_SEED=\(seed) repeats this run)")
        var random = SplitMix64(seed: seed)
        for index in 0..<2_000 {
            await Task.yield()
            let caseSeed = random.next()
            var generator = SplitMix64(seed: caseSeed)
            let text = Self.randomText(&generator)
            let size = TerminalSize(width: generator.int(in: 1...250), height: generator.int(in: 1...60))
            var ui = Self.pagerUI(text: text, size: size)
            var keys: [String] = []
            for _ in 0..<generator.int(in: 1...8) {
                let step = Self.randomStep(text: text, &generator)
                keys.append(step.label)
                for message in step.messages { ui.send(message) }
            }
            let context = "case \(index) (case seed \(caseSeed)): size \(ui.state.size), keys \(keys)"
            if let pager = ui.state.pager {
                #expect(pager.top >= 0 && pager.top <= max(0, pager.lines.count - 1), "\(context)")
                #expect(pager.left >= 0, "\(context)")
                #expect(pager.matches.isEmpty || pager.matches.indices.contains(pager.matchIndex), "\(context)")
            }
            #expect(ui.screen.size == ui.state.size, "\(context)")
            if let cursor = ui.screen.cursor {
                #expect(cursor.row >= 0 && cursor.row < ui.screen.height && cursor.column >= 0
                        && cursor.column <= ui.screen.width, "\(context): cursor \(cursor)")
            }
        }
    }

    // MARK: Generators

    static func pagerUI(text: String, size: TerminalSize) -> InMemoryScreen {
        let cat = CommandProposal(id: "lookup/read", stepID: "lookup", argv: ["aws", "s3", "cp", "s3://logs/x", "-"],
                                  why: "Reads the log file.")
        var view = Fixture.session(current: 2, proposal: nil)
        view.outputs = [CommandOutput(proposal: cat, exitCode: 0, stdout: text, seconds: 0.1)]
        var ui = InMemoryScreen(state: Fixture.state(size))
        ui.send(.sessionChanged(view))
        ui.press(.character("o"))
        return ui
    }

    /// Pieces that stress column arithmetic: wide CJK, combining marks, tabs, emoji, control
    /// characters, long words; sometimes JSON, so the pretty view is in play too.
    static let pieces = ["a", "AccessDenied", "arn:aws:s3:::bucket/key", " ", "  ", "\t", "日本語", "界", "é", "e\u{301}",
                         "a\u{301}\u{302}\u{303}", "🙂", "👩‍💻", "\u{FE0F}", "\u{200B}", "\u{1B}[31m", "\r", "ｗｉｄｅ",
                         "résumé", "x", "{", "}", "\"k\": 1", ",", "\u{7F}", "\u{0}"]

    static func randomText(_ g: inout SplitMix64) -> String {
        if g.int(in: 0...5) == 0 {
            let values = (0..<g.int(in: 0...6)).map { "\"k\($0)\": \"\(g.pick(pieces))\"" }
            return "{" + values.joined(separator: ",") + "}"
        }
        var lines: [String] = []
        for _ in 0..<g.int(in: 0...40) {
            let long = g.int(in: 0...4) == 0
            let count = long ? g.int(in: 50...400) : g.int(in: 0...20)
            lines.append((0..<count).map { _ in g.pick(pieces) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    static let keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .backspace,
                              .tab, .character("j"), .character("k"), .character("h"), .character("l"),
                              .character(" "), .character("b"), .character("g"), .character("G"), .character("n"),
                              .character("N"), .character("J"), .character("0"), .character("$"),
                              .control("d"), .control("u"), .control("a"), .control("e")]

    /// One thing the operator does: a key, a resize, or a whole search (`/`, the query, Enter).
    static func randomStep(text: String, _ g: inout SplitMix64) -> (label: String, messages: [Message]) {
        switch g.int(in: 0...9) {
        case 0:
            let size = TerminalSize(width: g.int(in: 1...250), height: g.int(in: 1...60))
            return ("resize \(size)", [.resized(size)])
        case 1, 2:
            // A search: a piece of the text itself (so it matches), or random pieces.
            let characters = Array(text)
            var query: String
            if !characters.isEmpty, g.int(in: 0...1) == 0 {
                let start = g.int(in: 0...(characters.count - 1))
                query = String(characters[start..<min(characters.count, start + g.int(in: 1...12))])
            } else {
                query = (0..<g.int(in: 0...3)).map { _ in g.pick(pieces) }.joined()
            }
            query = query.replacingOccurrences(of: "\n", with: "")
            let typed = query.map { Message.key(.character($0)) }
            return ("search \(query.debugDescription)", [.key(.character("/"))] + typed + [.key(.enter)])
        default:
            let key = g.pick(keys)
            return ("\(key)", [.key(key)])
        }
    }
}
