/// A multi-line text editor for pasted evidence: Enter inserts a newline (pasted text has
/// newlines), arrows move, Backspace joins lines. Large pastes stay cheap: only the edited
/// line is touched per key and drawing reads only the visible lines.
///
/// ```swift
/// var area = TextArea()
/// for c in "a\nb" { _ = area.handle(c == "\n" ? .enter : .character(c)) }
/// area.text // "a\nb"
/// ```
public struct TextArea: Hashable, Sendable {
    public private(set) var lines: [[Character]] = [[]]
    public private(set) var row = 0
    public private(set) var column = 0

    public init(_ text: String = "") {
        if !text.isEmpty {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
            row = lines.count - 1
            column = lines[row].count
        }
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var isBlank: Bool { lines.allSatisfy { $0.allSatisfy { $0 == " " || $0 == "\t" } } }
    public var characterCount: Int { lines.reduce(lines.count - 1) { $0 + $1.count } }

    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c) where c == "\n" || c == "\r" || c == "\r\n":
            newline()
        case .character(let c):
            lines[row].insert(c, at: column)
            column += 1
        case .enter:
            newline()
        case .tab:
            lines[row].insert(" ", at: column)
            column += 1
        case .backspace:
            if column > 0 {
                lines[row].remove(at: column - 1)
                column -= 1
            } else if row > 0 {
                let rest = lines.remove(at: row)
                row -= 1
                column = lines[row].count
                lines[row].append(contentsOf: rest)
            }
        case .delete:
            if column < lines[row].count {
                lines[row].remove(at: column)
            } else if row + 1 < lines.count {
                lines[row].append(contentsOf: lines.remove(at: row + 1))
            }
        case .left:
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
        case .right:
            if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
        case .up:
            if row > 0 { row -= 1; column = min(column, lines[row].count) }
        case .down:
            if row + 1 < lines.count { row += 1; column = min(column, lines[row].count) }
        case .home, .control("a"): column = 0
        case .end, .control("e"): column = lines[row].count
        case .control("u"):
            lines[row].removeFirst(column)
            column = 0
        case .control("k"):
            lines[row].removeLast(lines[row].count - column)
        default:
            return false
        }
        return true
    }

    private mutating func newline() {
        let rest = Array(lines[row][column...])
        lines[row].removeLast(rest.count)
        lines.insert(rest, at: row + 1)
        row += 1
        column = 0
    }

    /// Draws the lines around the cursor into `area`, wrapping long lines (pasted error messages
    /// are one long line); returns the cursor position on screen. Only lines near the cursor are
    /// measured, so a large paste costs the same per key as a small one.
    @discardableResult
    public func draw(into screen: inout ScreenBuffer, area: Rect) -> (row: Int, column: Int) {
        guard area.height > 0, area.width > 0 else { return (area.row, area.column) }
        typealias Segment = (line: Int, start: Int, end: Int)
        let cursorSegments = segments(of: row, width: area.width)
        // Which segment holds the cursor; past a full last segment it sits on a new row.
        var cursorSegment = cursorSegments.lastIndex { $0.start <= column } ?? 0
        var cursorColumn = CharacterWidth.of(String(lines[row][cursorSegments[cursorSegment].start..<column]))
        var current = cursorSegments
        if cursorColumn >= area.width {
            current.append((row, column, column))
            cursorSegment += 1
            cursorColumn = 0
        }
        var shown: [Segment] = Array(current[...cursorSegment])
        var before = row - 1
        while shown.count < area.height, before >= 0 {
            shown.insert(contentsOf: segments(of: before, width: area.width), at: 0)
            before -= 1
        }
        let dropped = max(0, shown.count - area.height)
        shown.removeFirst(dropped)
        let cursorRow = shown.count - 1
        shown += current[(cursorSegment + 1)...]
        var after = row + 1
        while shown.count < area.height, after < lines.count {
            shown += segments(of: after, width: area.width)
            after += 1
        }
        for (offset, segment) in shown.prefix(area.height).enumerated() {
            screen.put(String(lines[segment.line][segment.start..<segment.end]), row: area.row + offset,
                       column: area.column, maxWidth: area.width)
        }
        return (area.row + cursorRow, area.column + cursorColumn)
    }

    /// Character ranges of one line, each fitting `width` columns.
    private func segments(of index: Int, width: Int) -> [(line: Int, start: Int, end: Int)] {
        let line = lines[index]
        var result: [(line: Int, start: Int, end: Int)] = []
        var start = 0
        var used = 0
        for (i, character) in line.enumerated() {
            let w = CharacterWidth.of(character)
            if used + w > width, i > start {
                result.append((index, start, i))
                start = i
                used = 0
            }
            used += w
        }
        result.append((index, start, line.count))
        return result
    }
}
