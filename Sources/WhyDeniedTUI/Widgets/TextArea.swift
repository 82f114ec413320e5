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

    /// Draws the lines around the cursor into `area`; returns the cursor position on screen.
    @discardableResult
    public func draw(into screen: inout ScreenBuffer, area: Rect) -> (row: Int, column: Int) {
        var cursorAt = (row: area.row, column: area.column)
        guard area.height > 0, area.width > 0 else { return cursorAt }
        let first = max(0, row - area.height + 1)
        for offset in 0..<area.height {
            let index = first + offset
            guard index < lines.count else { break }
            if index == row {
                // Scroll the cursor line horizontally so the cursor stays visible.
                var start = 0
                var cursorColumn = CharacterWidth.of(String(lines[index][..<column]))
                while cursorColumn >= area.width, start < column {
                    cursorColumn -= CharacterWidth.of(lines[index][start])
                    start += 1
                }
                screen.put(String(lines[index][start...]), row: area.row + offset, column: area.column,
                           maxWidth: area.width)
                cursorAt = (area.row + offset, area.column + cursorColumn)
            } else {
                screen.put(String(lines[index]), row: area.row + offset, column: area.column, maxWidth: area.width)
            }
        }
        return cursorAt
    }
}
