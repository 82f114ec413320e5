import Foundation
import WhyDeniedJSON

/// A scrollable, searchable view of a long text (a command's output, the findings): ↑/↓ j/k,
/// PgUp/PgDn (Space/b, Ctrl-U/Ctrl-D half page), g/G, `/` search with n/N, `J` pretty/raw JSON.
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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    public var lines: [String] { showPretty ? (prettyLines ?? rawLines) : rawLines }

    /// Handles a key; returns false when the pager should close (Esc, q).
    public mutating func handle(_ key: Key, pageHeight: Int) -> Bool {
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
        case .end, .character("G"): scroll(to: Int.max / 2, page: page)
        case .character("/"): searchInput = TextField()
        case .character("n"): step(1, page: page)
        case .character("N"): step(-1, page: page)
        case .character("J"):
            if prettyLines != nil {
                showPretty.toggle()
                top = 0
                recomputeMatches()
            } else {
                message = "not JSON: no pretty view"
            }
        default: break
        }
        return true
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
            message = "match \(matchIndex + 1) of \(matches.count)"
        }
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
            matches = lines.indices.filter { lines[$0].range(of: query, options: .caseInsensitive) != nil }
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
        return found ?? (line.range(of: String(decoding: needle, as: UTF8.self), options: .caseInsensitive) != nil)
    }

    private mutating func step(_ direction: Int, page: Int) {
        guard !matches.isEmpty else {
            message = query.isEmpty ? "no search: press / first" : "no match for \"\(query)\""
            return
        }
        matchIndex = (matchIndex + direction + matches.count) % matches.count
        top = max(0, min(matches[matchIndex], max(0, lines.count - 1)))
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
            screen.put(line, row: row, column: area.column, maxWidth: area.width)
            if !query.isEmpty, let range = line.range(of: query, options: .caseInsensitive) {
                let start = CharacterWidth.of(String(line[..<range.lowerBound]))
                let width = CharacterWidth.of(String(line[range]))
                screen.restyle(row: row, columns: (area.column + start)..<(area.column + start + width)) {
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
            if prettyLines != nil { status += showPretty ? " · JSON pretty" : " · JSON raw" }
            if let message { status += " · " + message }
            screen.put(status, row: statusRow, column: area.column, style: .dim, maxWidth: area.width)
        }
    }
}
