import Foundation
import WhyDeniedJSON

/// A scrollable, searchable view of a long text (a command's output, the findings): ↑/↓ j/k,
/// PgUp/PgDn (Space/b, Ctrl-U/Ctrl-D half page), g/G, ←/→ h/l sideways (0 back to the start),
/// `w` wraps long lines instead, `/` search with n/N, `J` pretty/raw JSON. A match past the right
/// edge is scrolled into view. A line that goes on past the right edge ends in `»` (on this row
/// or, wrapped, on the next); one scrolled past the left edge starts with `«`, so a cut line is
/// never mistaken for a whole one. Only the visible lines are drawn, so 20,000-line outputs stay fast.
///
/// ```swift
/// var pager = Pager(title: "describe-trails", text: output)
/// pager.perform(.bottom, pageHeight: 20) // to the end
/// ```
/// What a pager key does (the key table, `KeyMap`, says which key).
public enum PagerAction: Hashable, Sendable {
    case lineDown, lineUp, pageDown, pageUp, halfDown, halfUp, top, bottom
    case left, right, firstColumn, wrap, search, nextMatch, previousMatch, json
    /// While the search is typed: search for it, or close the search field.
    case searchAccept, searchCancel
}

public struct Pager: Hashable, Sendable {
    public let title: String
    public let rawLines: [String]
    public let prettyLines: [String]?
    public var showPretty: Bool
    public var top = 0 { didSet { topRow = 0 } }
    /// With wrap on, the rows of line `top` above the screen: a line taller than the page is read
    /// row by row, as `less` does.
    public private(set) var topRow = 0
    /// The first display column shown (lines longer than the screen scroll sideways).
    public private(set) var left = 0
    /// Long lines wrap onto the next rows (`w`) instead of scrolling sideways.
    public private(set) var wrap = false
    /// The screen width of the last key's page, for sideways steps and keeping a match in view.
    private var pageWidth = 80
    /// The search being typed after `/`, if any.
    public var searchInput: TextField?
    public private(set) var query = ""
    public private(set) var matches: [Int] = []
    public private(set) var matchIndex = 0
    public var message: String?

    public init(title: String, text: String) {
        self.title = title
        rawLines = Pager.split(text)
        // JSON output reads best pretty-printed; fall back to the raw text when it is not JSON.
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.first == "{" || trimmed.first == "[", let value = try? JSONValue.parse(trimmed) {
            prettyLines = Pager.split(value.serialized(pretty: true))
        } else {
            prettyLines = nil
        }
        showPretty = prettyLines != nil
    }

    public init(title: String, lines: [String]) {
        self.title = title
        rawLines = lines
        prettyLines = nil
        showPretty = false
    }

    private static func split(_ text: String) -> [String] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(expandingTabs)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Tabs to spaces up to the next multiple of 8 columns, as a terminal shows them, so the
    /// search highlight and sideways scrolling count the same columns the screen shows.
    static func expandingTabs(_ line: Substring) -> String {
        guard line.contains("\t") else { return String(line) }
        var result = ""
        var column = 0
        for character in line {
            if character == "\t" {
                let spaces = 8 - column % 8
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                result.append(character)
                column += CharacterWidth.of(character)
            }
        }
        return result
    }

    public var lines: [String] { showPretty ? (prettyLines ?? rawLines) : rawLines }

    /// Types a key into the search field while it is open (the search's own keys, Enter and
    /// Esc, are the key table's: `PagerAction.searchAccept`, `.searchCancel`).
    public mutating func typeSearch(_ key: Key) {
        guard var input = searchInput else { return }
        _ = input.handle(key)
        searchInput = input
    }

    /// Does one pager action (the key table maps keys to these).
    public mutating func perform(_ action: PagerAction, pageHeight: Int, pageWidth: Int = 80) {
        self.pageWidth = max(1, pageWidth)
        let page = max(1, pageHeight)
        message = nil
        if wrap, action == .left || action == .right || action == .firstColumn {
            message = "wrap is on: every line is shown whole (w turns it off)"
            return
        }
        switch action {
        // With wrap on, by rows: a page holds fewer lines than rows, and a line may be taller
        // than the page; moving by lines would skip what was never shown.
        case .lineDown where wrap: scrollRows(1, page: page)
        case .lineUp where wrap: scrollRows(-1, page: page)
        case .pageDown where wrap: scrollRows(page, page: page)
        case .pageUp where wrap: scrollRows(-page, page: page)
        case .halfDown where wrap: scrollRows(max(1, page / 2), page: page)
        case .halfUp where wrap: scrollRows(-max(1, page / 2), page: page)
        case .lineDown: scroll(to: top + 1, page: page)
        case .lineUp: scroll(to: top - 1, page: page)
        case .pageDown: scroll(to: top + page, page: page)
        case .pageUp: scroll(to: top - page, page: page)
        case .halfDown: scroll(to: top + page / 2, page: page)
        case .halfUp: scroll(to: top - page / 2, page: page)
        case .top: top = 0
        case .left: left = max(0, left - sideStep)
        case .right: left += sideStep
        case .firstColumn: left = 0
        case .bottom:
            scroll(to: Int.max / 2, page: page)
            if wrap, !lines.isEmpty {
                top = lines.count - 1
                topRow = rowCount(top) - 1
                clampToEnd(page: page)
            }
        case .wrap:
            wrap.toggle()
            left = 0
            message = wrap ? "wrap on: long lines continue on the next row" : "wrap off: ← → scroll sideways"
        case .search: searchInput = TextField()
        case .searchAccept:
            let query = searchInput?.text ?? ""
            searchInput = nil
            search(query)
        case .searchCancel: searchInput = nil
        case .nextMatch: step(1, page: page)
        case .previousMatch: step(-1, page: page)
        case .json:
            if prettyLines != nil {
                showPretty.toggle()
                top = 0
                left = 0
                recomputeMatches()
            } else {
                message = "not JSON: no pretty view"
            }
        }
    }

    /// One line cut into rows of `width` columns, the last column kept for the `»` that says the
    /// line goes on; each row with the display column it starts at. Cut by columns, not at spaces,
    /// so indentation and the exact text survive (a JSON document, an argv line).
    static func wrapped(_ line: String, width: Int) -> [(text: String, start: Int)] {
        let room = max(1, width - 1)
        var rows: [(text: String, start: Int)] = []
        var rest = Substring(line)
        var column = 0
        repeat {
            let head = CharacterWidth.prefix(String(rest), fitting: room)
            // A character wider than the room still goes on its own row, so the loop always ends.
            let taken = head.text.isEmpty ? String(rest.prefix(1)) : head.text
            rows.append((taken, column))
            column += head.text.isEmpty ? CharacterWidth.of(taken) : head.width
            rest = rest.dropFirst(taken.count)
        } while !rest.isEmpty
        return rows
    }

    /// Half a screen sideways, as `less` does.
    private var sideStep: Int { max(1, pageWidth / 2) }

    /// The rows line `index` takes on screen.
    private func rowCount(_ index: Int) -> Int {
        wrap ? Pager.wrapped(lines[index], width: pageWidth).count : 1
    }

    /// Moves the top by `delta` rows (wrap on), across lines, never past the last page.
    private mutating func scrollRows(_ delta: Int, page: Int) {
        guard !lines.isEmpty else { return }
        var line = min(top, lines.count - 1)
        var row = topRow + delta
        while row >= rowCount(line), line < lines.count - 1 {
            row -= rowCount(line)
            line += 1
        }
        while row < 0, line > 0 {
            line -= 1
            row += rowCount(line)
        }
        top = line
        topRow = max(0, min(row, rowCount(line) - 1))
        clampToEnd(page: page)
    }

    /// Keeps the top at or above the last page: the one whose last row is the last line's last.
    private mutating func clampToEnd(page: Int) {
        var line = lines.count
        var used = 0
        while line > 0, used + rowCount(line - 1) <= page {
            used += rowCount(line - 1)
            line -= 1
        }
        let end = line == 0 ? (0, 0) : used == page ? (line, 0) : (line - 1, rowCount(line - 1) - (page - used))
        if (top, topRow) > end {
            top = end.0
            topRow = end.1
        }
    }

    private mutating func scroll(to line: Int, page: Int) {
        top = max(0, min(line, lines.count - page))
    }

    public mutating func search(_ text: String) {
        query = text
        recomputeMatches()
        matchIndex = 0
        if let first = matches.firstIndex(where: { $0 >= top }) { matchIndex = first }
        if matches.isEmpty {
            message = query.isEmpty ? nil : "no match for \"\(query)\""
        } else {
            top = matches[matchIndex]
            revealMatch()
            message = "match \(matchIndex + 1) of \(matches.count)"
        }
    }

    /// Scrolls sideways so the current match's line shows the match (back to column 0 when the
    /// match starts on the first screen).
    private mutating func revealMatch() {
        guard matches.indices.contains(matchIndex), let span = Pager.matchColumns(of: query, in: lines[matches[matchIndex]])
        else { return }
        if span.lowerBound >= left && span.upperBound <= left + pageWidth { return }
        left = span.upperBound <= pageWidth ? 0 : max(0, span.lowerBound - pageWidth / 4)
    }

    /// The display columns the first match of `query` takes in `line`, if it matches.
    static func matchColumns(of query: String, in line: String) -> Range<Int>? {
        guard let range = firstMatch(of: folded(query), in: line) else { return nil }
        let start = CharacterWidth.of(String(line[..<range.lowerBound]))
        return start..<(start + CharacterWidth.of(String(line[range])))
    }

    /// Each character of `text` lowercased on its own: what `firstMatch` compares.
    static func folded(_ text: String) -> [String] { text.map { String($0).lowercased() } }

    /// The first case-insensitive match of a folded query, compared whole character by whole
    /// character, so its bounds are always the line's own character boundaries. (Foundation's
    /// case-insensitive `range(of:)` traps on some text, e.g. lone combining marks.)
    static func firstMatch(of needle: [String], in line: String) -> Range<String.Index>? {
        guard let first = needle.first else { return nil }
        let indices = Array(line.indices) + [line.endIndex]
        let characters = folded(line)
        guard characters.count >= needle.count else { return nil }
        for start in 0...(characters.count - needle.count) where characters[start] == first {
            if characters[start..<(start + needle.count)].elementsEqual(needle) {
                return indices[start]..<indices[start + needle.count]
            }
        }
        return nil
    }

    private mutating func recomputeMatches() {
        guard !query.isEmpty else {
            matches = []
            return
        }
        let lines = self.lines
        // An ASCII query (the usual case: ARNs, actions, error codes) is matched on UTF-8 bytes;
        // lowercasing or Foundation's case-insensitive search per line is far slower at 20,000 lines.
        if query.utf8.allSatisfy({ $0 < 0x80 }) {
            let needle = Array(query.utf8).map(Pager.foldASCII)
            matches = lines.indices.filter { Pager.contains(lines[$0], foldedASCII: needle) }
        } else {
            let needle = Pager.folded(query)
            matches = lines.indices.filter { Pager.firstMatch(of: needle, in: lines[$0]) != nil }
        }
    }

    static func foldASCII(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    /// Naive byte search with ASCII case folding; non-ASCII bytes compare exactly.
    static func contains(_ line: String, foldedASCII needle: [UInt8]) -> Bool {
        let found = line.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = needle.first else { return true }
            guard bytes.count >= needle.count else { return false }
            var i = 0
            while i <= bytes.count - needle.count {
                if foldASCII(bytes[i]) == first {
                    var j = 1
                    while j < needle.count, foldASCII(bytes[i + j]) == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
        // Strings without contiguous UTF-8 (bridged) take the slow path.
        return found ?? (firstMatch(of: folded(String(decoding: needle, as: UTF8.self)), in: line) != nil)
    }

    private mutating func step(_ direction: Int, page: Int) {
        guard !matches.isEmpty else {
            message = query.isEmpty ? "no search: press / first" : "no match for \"\(query)\""
            return
        }
        matchIndex = (matchIndex + direction + matches.count) % matches.count
        top = max(0, min(matches[matchIndex], max(0, lines.count - 1)))
        revealMatch()
        message = "match \(matchIndex + 1) of \(matches.count)"
    }

    /// Reverses the part of a match that is on this row (`upTo`: the row's drawn width).
    private func highlight(_ span: Range<Int>, shift: Int, row: Int, area: Rect, upTo width: Int,
                           into screen: inout ScreenBuffer) {
        let lower = max(0, span.lowerBound - shift)
        let upper = min(width, span.upperBound - shift)
        guard lower < upper else { return }
        screen.restyle(row: row, columns: (area.column + lower)..<(area.column + upper)) {
            $0.reverse = true
        }
    }

    /// Draws title, visible lines (matches highlighted) and a status line into `area`.
    public func draw(into screen: inout ScreenBuffer, area: Rect) {
        guard area.height >= 3 else { return }
        screen.fill(Rect(row: area.row, column: area.column, width: area.width, height: 1), style: .reverse)
        screen.put(" " + title, row: area.row, column: area.column, style: .reverse, maxWidth: area.width)
        let body = area.height - 2
        var row = area.row + 1
        var index = top
        var lastShown = top - 1
        while row < area.row + 1 + body, index < lines.count {
            let line = lines[index]
            let span = Pager.matchColumns(of: query, in: line)
            if wrap {
                let pieces = Pager.wrapped(line, width: area.width)
                for (n, piece) in pieces.enumerated() where row < area.row + 1 + body && (index != top || n >= topRow) {
                    screen.put(piece.text, row: row, column: area.column, maxWidth: area.width - 1)
                    if n < pieces.count - 1 { screen.put("»", row: row, column: area.column + area.width - 1, style: .dim) }
                    if let span {
                        highlight(span, shift: piece.start, row: row, area: area, upTo: CharacterWidth.of(piece.text), into: &screen)
                    }
                    row += 1
                }
            } else {
                let shown = CharacterWidth.dropping(columns: left, from: line)
                screen.put(shown, row: row, column: area.column, maxWidth: area.width)
                if let span { highlight(span, shift: left, row: row, area: area, upTo: area.width, into: &screen) }
                if left > 0, !line.isEmpty { screen.put("«", row: row, column: area.column, style: .dim) }
                if CharacterWidth.of(shown) > area.width {
                    screen.put("»", row: row, column: area.column + area.width - 1, style: .dim)
                }
                row += 1
            }
            lastShown = index
            index += 1
        }
        let statusRow = area.row + area.height - 1
        if let input = searchInput {
            screen.put("/", row: statusRow, column: area.column)
            let cursor = input.draw(into: &screen, row: statusRow, column: area.column + 1, width: area.width - 1)
            screen.cursor = (statusRow, area.column + 1 + cursor)
        } else {
            var status = lines.isEmpty ? "(empty)" : "lines \(top + 1)-\(lastShown + 1) of \(lines.count)"
            if left > 0 { status += " · column \(left + 1)" }
            if wrap { status += topRow > 0 ? " · wrap · line \(top + 1) from its row \(topRow + 1)" : " · wrap" }
            if prettyLines != nil { status += showPretty ? " · JSON pretty" : " · JSON raw" }
            if let message { status += " · " + message }
            screen.put(status, row: statusRow, column: area.column, style: .dim, maxWidth: area.width)
        }
    }
}
