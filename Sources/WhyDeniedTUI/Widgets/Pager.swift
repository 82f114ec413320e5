import Foundation
import WhyDeniedJSON

/// A scrollable, searchable view of a long text (a command's output, the findings): ↑/↓ j/k,
/// PgUp/PgDn (Space/b, Ctrl-U/Ctrl-D half page), g/G, ←/→ h/l sideways (0 back to the start),
/// `/` search with n/N, `J` pretty/raw JSON. A match past the right edge is scrolled into view.
/// Only the visible lines are drawn, so 20,000-line outputs stay fast.
///
/// ```swift
/// var pager = Pager(title: "describe-trails", text: output)
/// pager.handle(.character("G"), pageHeight: 20) // to the end
/// ```
public struct Pager: Hashable, Sendable {
    public let title: String
    public let rawLines: [String]
    public let prettyLines: [String]?
    public var showPretty: Bool
    public var top = 0
    /// The first display column shown (lines longer than the screen scroll sideways).
    public private(set) var left = 0
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

    /// Handles a key; returns false when the pager should close (Esc, q).
    public mutating func handle(_ key: Key, pageHeight: Int, pageWidth: Int = 80) -> Bool {
        self.pageWidth = max(1, pageWidth)
        if var input = searchInput {
            switch key {
            case .escape: searchInput = nil
            case .enter:
                searchInput = nil
                search(input.text)
            default:
                _ = input.handle(key)
                searchInput = input
            }
            return true
        }
        let page = max(1, pageHeight)
        message = nil
        switch key {
        case .escape, .character("q"): return false
        case .down, .character("j"), .enter: scroll(to: top + 1, page: page)
        case .up, .character("k"): scroll(to: top - 1, page: page)
        case .pageDown, .character(" "), .character("f"): scroll(to: top + page, page: page)
        case .pageUp, .character("b"): scroll(to: top - page, page: page)
        case .control("d"): scroll(to: top + page / 2, page: page)
        case .control("u"): scroll(to: top - page / 2, page: page)
        case .home, .character("g"): top = 0
        case .left, .character("h"): left = max(0, left - sideStep)
        case .right, .character("l"): left += sideStep
        case .character("0"): left = 0
        case .end, .character("G"): scroll(to: Int.max / 2, page: page)
        case .character("/"): searchInput = TextField()
        case .character("n"): step(1, page: page)
        case .character("N"): step(-1, page: page)
        case .character("J"):
            if prettyLines != nil {
                showPretty.toggle()
                top = 0
                left = 0
                recomputeMatches()
            } else {
                message = "not JSON: no pretty view"
            }
        default: break
        }
        return true
    }

    /// Half a screen sideways, as `less` does.
    private var sideStep: Int { max(1, pageWidth / 2) }

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

    /// Draws title, visible lines (matches highlighted) and a status line into `area`.
    public func draw(into screen: inout ScreenBuffer, area: Rect) {
        guard area.height >= 3 else { return }
        screen.fill(Rect(row: area.row, column: area.column, width: area.width, height: 1), style: .reverse)
        screen.put(" " + title, row: area.row, column: area.column, style: .reverse, maxWidth: area.width)
        let body = area.height - 2
        for offset in 0..<body {
            let index = top + offset
            guard index < lines.count else { break }
            let row = area.row + 1 + offset
            let line = lines[index]
            let shown = CharacterWidth.dropping(columns: left, from: line)
            screen.put(shown, row: row, column: area.column, maxWidth: area.width)
            if let span = Pager.matchColumns(of: query, in: line) {
                screen.restyle(row: row, columns: (area.column + span.lowerBound - left)..<(area.column + span.upperBound - left)) {
                    $0.reverse = true
                }
            }
        }
        let statusRow = area.row + area.height - 1
        if let input = searchInput {
            screen.put("/", row: statusRow, column: area.column)
            let cursor = input.draw(into: &screen, row: statusRow, column: area.column + 1, width: area.width - 1)
            screen.cursor = (statusRow, area.column + 1 + cursor)
        } else {
            let last = min(lines.count, top + body)
            var status = lines.isEmpty ? "(empty)" : "lines \(top + 1)-\(last) of \(lines.count)"
            if left > 0 { status += " · column \(left + 1)" }
            if prettyLines != nil { status += showPretty ? " · JSON pretty" : " · JSON raw" }
            if let message { status += " · " + message }
            screen.put(status, row: statusRow, column: area.column, style: .dim, maxWidth: area.width)
        }
    }
}
