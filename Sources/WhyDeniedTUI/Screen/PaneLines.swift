/// Lines written top-down into an area, each cut to the area's width; a line past the bottom
/// (less any rows kept for buttons) is dropped. What every pane that writes line after line shares.
///
/// ```swift
/// var pane = PaneLines(area)
/// pane.add("Session complete.", CellStyle(bold: true, role: .success), into: &screen)
/// pane.row += 1   // a blank line
/// ```
struct PaneLines {
    var row: Int
    let bottom: Int
    let column: Int
    let width: Int

    init(_ area: Rect, reservingBottom reserved: Int = 0) {
        row = area.row
        bottom = area.row + area.height - reserved
        column = area.column
        width = area.width
    }

    var hasRoom: Bool { row < bottom }

    mutating func add(_ text: String, _ style: CellStyle = .plain, into screen: inout ScreenBuffer) {
        guard hasRoom else { return }
        screen.put(text, row: row, column: column, style: style, maxWidth: width)
        row += 1
    }
}
