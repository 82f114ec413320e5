/// Draws the "load a local event file" prompt over the form: what it reads, the path field,
/// then the error (wrapped: the path and the line/column must be readable at 80 columns), the
/// "reading" line, or the names the last Tab matched, in columns.
enum EventFileScreen {
    static func draw(_ prompt: EventFilePrompt, area: Rect, into screen: inout ScreenBuffer) {
        let box = area.centred(width: min(area.width - 2, 110), height: min(area.height - 1, 16))
        Chrome.box(box, title: "Load a local event file", style: CellStyle(role: .accent), into: &screen)
        let inner = box.inset(by: 1).insetHorizontally(1)
        var row = inner.row
        let bottom = inner.row + inner.height
        for line in Wrap.lines("A CloudTrail event, {\"Records\": […]} or a .json.gz trail file: its denied event fills the form.",
                               width: inner.width) where row < bottom {
            screen.put(line, row: row, column: inner.column, style: .bold, maxWidth: inner.width)
            row += 1
        }
        if row < bottom {
            screen.put("Relative to the working directory; ~ is your home folder.", row: row, column: inner.column,
                       style: .dim, maxWidth: inner.width)
        }
        row += 2
        guard row < bottom else { return }
        let fieldStyle = CellStyle(underline: true)
        screen.fill(Rect(row: row, column: inner.column, width: inner.width, height: 1), style: fieldStyle)
        let cursor = prompt.field.draw(into: &screen, row: row, column: inner.column, width: inner.width, style: fieldStyle)
        if prompt.stage == .editing { screen.cursor = (row, inner.column + cursor) }
        row += 2
        if prompt.stage == .reading {
            if row < bottom {
                screen.put("Reading the file…", row: row, column: inner.column, style: CellStyle(bold: true, role: .accent),
                           maxWidth: inner.width)
            }
            return
        }
        if let error = prompt.error {
            for line in Wrap.lines("✗ " + error, width: inner.width) where row < bottom {
                screen.put(line, row: row, column: inner.column, style: CellStyle(bold: true, role: .danger), maxWidth: inner.width)
                row += 1
            }
            return
        }
        drawCandidates(prompt.candidates, rows: row..<bottom, column: inner.column, width: inner.width, into: &screen)
    }

    /// The matched names in columns, as a shell lists them; what does not fit is counted.
    static func drawCandidates(_ names: [String], rows: Range<Int>, column: Int, width: Int, into screen: inout ScreenBuffer) {
        guard !names.isEmpty, !rows.isEmpty else { return }
        let cell = min(width, (names.map(CharacterWidth.of).max() ?? 1) + 2)
        let perRow = max(1, width / cell)
        let lines = (names.count + perRow - 1) / perRow
        let shownLines = lines <= rows.count ? lines : rows.count - 1
        for (i, name) in names.prefix(shownLines * perRow).enumerated() {
            screen.put(name, row: rows.lowerBound + i / perRow, column: column + (i % perRow) * cell, maxWidth: cell - 1)
        }
        if shownLines < lines {
            let hidden = names.count - shownLines * perRow
            screen.put("… \(hidden) more: type more of the name", row: rows.lowerBound + shownLines, column: column,
                       style: .dim, maxWidth: width)
        }
    }
}
