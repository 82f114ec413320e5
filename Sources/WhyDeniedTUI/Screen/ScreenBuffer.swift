/// A grid of terminal cells that `view` draws into and a backend puts on the screen.
///
/// A double-width character occupies its cell plus a continuation cell (empty `text`), so column
/// arithmetic matches what the terminal shows. Tests read rows back as text.
///
/// ```swift
/// var screen = ScreenBuffer(size: TerminalSize(width: 20, height: 2))
/// screen.put("日本 ok", row: 0, column: 0)
/// screen.rowText(0) // "日本 ok"
/// ```
public struct ScreenBuffer: Equatable, Sendable {
    /// One terminal cell: a grapheme (or "" when it continues the wide grapheme on its left).
    public struct Cell: Equatable, Sendable {
        public var text: String
        public var style: CellStyle

        public init(text: String = " ", style: CellStyle = .plain) {
            self.text = text
            self.style = style
        }

        public var isContinuation: Bool { text.isEmpty }
    }

    public let size: TerminalSize
    public private(set) var cells: [Cell]
    /// Where the backend should show the cursor (text fields), if anywhere.
    public var cursor: (row: Int, column: Int)? {
        get { cursorRow.map { ($0, cursorColumn) } }
        set {
            cursorRow = newValue?.row
            cursorColumn = newValue?.column ?? 0
        }
    }
    private var cursorRow: Int?
    private var cursorColumn = 0

    public init(size: TerminalSize) {
        self.size = size
        self.cells = Array(repeating: Cell(), count: max(0, size.width) * max(0, size.height))
    }

    public var width: Int { size.width }
    public var height: Int { size.height }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.width + column]
    }

    /// Writes `text` from (row, column), clipped to `maxWidth` columns and the screen edge.
    /// Returns the number of columns used. Text that does not fit ends in `…` in its last column,
    /// so a cut line never passes for a whole one; a wide character that would straddle the edge
    /// is never half drawn.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .plain,
                             maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < size.height, column < size.width else { return 0 }
        let limit = min(size.width, column + (maxWidth ?? size.width))
        var x = column
        var offset = text.startIndex
        while offset < text.endIndex {
            let character = text[offset]
            defer { offset = text.index(after: offset) }
            if character == "\n" || character == "\r" { break }
            let printable: Character = character == "\t" ? " " : character
            let w = CharacterWidth.of(printable)
            if w == 0 {
                // Combining mark: attach to the previous cell so it is not lost.
                if x > column, x - 1 >= 0 {
                    var index = row * size.width + x - 1
                    if cells[index].isContinuation, x - 2 >= 0 { index -= 1 }
                    cells[index].text.append(printable)
                }
                continue
            }
            if x + w > limit {
                let cut = text[offset...].contains { !$0.isWhitespace }
                if w == 2, x < limit, x >= 0 {
                    setCell(row, x, Cell(text: cut ? "…" : " ", style: style))
                    x += 1
                } else if cut, x > max(0, column) {
                    // The marker takes the last column drawn (both halves of a wide character).
                    if cells[row * size.width + x - 1].isContinuation, x - 2 >= max(0, column) {
                        setCell(row, x - 2, Cell(text: "…", style: style))
                        setCell(row, x - 1, Cell(text: " ", style: style))
                    } else {
                        setCell(row, x - 1, Cell(text: "…", style: style))
                    }
                }
                break
            }
            if x >= 0 {
                setCell(row, x, Cell(text: String(printable), style: style))
                if w == 2 { setCell(row, x + 1, Cell(text: "", style: style)) }
            }
            x += w
        }
        return max(0, x - column)
    }

    /// Paints a rectangle with spaces in `style` (backgrounds of bars, dialog boxes).
    public mutating func fill(_ area: Rect, style: CellStyle = .plain) {
        let columns = Self.clip(area.column..<(area.column + max(0, area.width)), to: size.width)
        guard !columns.isEmpty else { return }
        let blank = Cell(text: " ", style: style)
        for row in Self.clip(area.row..<(area.row + max(0, area.height)), to: size.height) {
            // As setCell on each cell, with the wide-character checks at the run's two ends only
            // (inside it every cell is overwritten anyway): a view fills whole bars and boxes.
            let start = row * size.width + columns.lowerBound
            let end = row * size.width + columns.upperBound
            if cells[start].isContinuation, columns.lowerBound > 0 {
                cells[start - 1] = Cell(text: " ", style: cells[start - 1].style)
            }
            if columns.upperBound < size.width, cells[end].isContinuation, CharacterWidth.of(cells[end - 1].text) == 2 {
                cells[end] = Cell(text: " ", style: cells[end].style)
            }
            for index in start..<end { cells[index] = blank }
        }
    }

    /// Restyles existing cells without changing their text (search highlights, selection).
    public mutating func restyle(row: Int, columns: Range<Int>, _ change: (inout CellStyle) -> Void) {
        guard row >= 0, row < size.height else { return }
        for column in Self.clip(columns, to: size.width) {
            change(&cells[row * size.width + column].style)
        }
    }

    /// The part of `range` inside 0..<limit: empty when it lies wholly outside (a search match
    /// past the right edge), never a range whose bounds cross, which would trap.
    static func clip(_ range: Range<Int>, to limit: Int) -> Range<Int> {
        let lower = min(max(0, range.lowerBound), max(0, limit))
        return lower..<max(lower, min(limit, range.upperBound))
    }

    private mutating func setCell(_ row: Int, _ column: Int, _ cell: Cell) {
        let index = row * size.width + column
        // Overwriting half of a wide character blanks the other half.
        if cells[index].isContinuation, column > 0 {
            cells[index - 1] = Cell(text: " ", style: cells[index - 1].style)
        }
        if !cell.isContinuation, column + 1 < size.width, cells[index + 1].isContinuation,
           CharacterWidth.of(cells[index].text) == 2 {
            cells[index + 1] = Cell(text: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// The text of one row as the terminal shows it, trailing spaces removed.
    public func rowText(_ row: Int) -> String {
        var line = ""
        for column in 0..<size.width {
            line += self[row, column].text
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// All rows as text, one per line (trailing spaces removed), for exact-screen assertions.
    public var text: String {
        (0..<size.height).map(rowText).joined(separator: "\n")
    }

    public static func == (lhs: ScreenBuffer, rhs: ScreenBuffer) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells && lhs.cursorRow == rhs.cursorRow
            && lhs.cursorColumn == rhs.cursorColumn
    }
}

/// Terminal dimensions in columns and rows.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)" }
}

/// A rectangle of cells: top row, left column, width and height.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = width
        self.height = height
    }

    /// A box of the given size centred in `self`, clipped to it.
    public func centred(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width)
        let ch = min(h, height)
        return Rect(row: row + (height - ch) / 2, column: column + (width - cw) / 2, width: cw, height: ch)
    }

    public func contains(row r: Int, column c: Int) -> Bool {
        r >= row && r < row + height && c >= column && c < column + width
    }

    public func inset(by n: Int) -> Rect {
        Rect(row: row + n, column: column + n, width: max(0, width - 2 * n), height: max(0, height - 2 * n))
    }
}
