/// Draws the parameter form: one row per parameter (label, value) and, when there is room, a
/// second row with its validation and where the value came from.
enum FormScreen {
    static let labelWidth = 36

    static func draw(_ state: GuidedState, area: Rect, into screen: inout ScreenBuffer) {
        let form = state.form
        screen.put("Parameters: type them, or F6 to paste an error message or CloudTrail event.",
                   row: area.row + 1, column: 1, style: .bold, maxWidth: area.width - 2)
        let twoRows = twoRows(form, area: area)
        let valueWidth = valueWidth(area)
        for (index, field) in form.fields.enumerated() {
            let row = row(of: index, in: form, area: area)
            let focused = index == form.focus && state.paste == nil && state.eventFile == nil
            screen.put(focused ? "▸" : " ", row: row, column: 0, style: CellStyle(bold: true, role: .accent))
            screen.put(field.label + (field.required ? " *" : ""), row: row, column: 2,
                       style: focused ? .bold : .plain, maxWidth: labelWidth)
            let check = form.check(field, now: state.now)
            let valueStyle = CellStyle(underline: true)
            screen.fill(Rect(row: row, column: valueColumn, width: valueWidth, height: 1), style: valueStyle)
            if focused {
                let cursor = field.input.draw(into: &screen, row: row, column: valueColumn, width: valueWidth,
                                              style: valueStyle)
                screen.cursor = (row, valueColumn + cursor)
            } else {
                // Unfocused values show their beginning (the part that says what they are).
                screen.put(field.input.text, row: row, column: valueColumn, style: valueStyle, maxWidth: valueWidth)
            }
            let (mark, note, role) = describe(check, field: field, shout: form.triedToConfirm)
            if twoRows {
                screen.put(mark + " " + note, row: row + 1, column: 4, style: CellStyle(role: role),
                           maxWidth: area.width - 5)
            }
        }
        if !twoRows, form.fields.indices.contains(form.focus), state.status == nil {
            let field = form.fields[form.focus]
            let (mark, note, role) = describe(form.check(field, now: state.now), field: field, shout: form.triedToConfirm)
            screen.put(mark + " " + note, row: area.row + area.height - 1, column: 1,
                       style: CellStyle(role: role), maxWidth: area.width - 2)
        }
    }

    static let valueColumn = labelWidth + 3
    static func valueWidth(_ area: Rect) -> Int { max(10, area.width - valueColumn - 1) }

    /// Each field has a second row for its check when there is room for all of them.
    static func twoRows(_ form: ParameterForm, area: Rect) -> Bool { area.height >= form.fields.count * 2 + 3 }

    /// The screen row of a field's label and value.
    static func row(of index: Int, in form: ParameterForm, area: Rect) -> Int {
        area.row + 3 + index * (twoRows(form, area: area) ? 2 : 1)
    }

    /// The field drawn at screen row `row` (its value row or its check below), if any: where a click lands.
    static func field(atRow row: Int, in form: ParameterForm, area: Rect) -> Int? {
        let span = twoRows(form, area: area) ? 2 : 1
        let offset = row - (area.row + 3)
        guard offset >= 0, offset / span < form.fields.count, row < area.row + area.height else { return nil }
        return offset / span
    }

    /// The character a click at `column` of a field's value lands before, as the field is drawn
    /// (the focused one scrolled to its cursor, the others from their start); nil off the value.
    static func characterIndex(atColumn column: Int, of field: TextField, focused: Bool, area: Rect) -> Int? {
        let width = valueWidth(area)
        guard column >= valueColumn, column < valueColumn + width else { return nil }
        let first = focused ? field.firstShown(width: width) : 0
        var x = valueColumn
        var index = first
        while index < field.characters.count {
            let next = x + CharacterWidth.of(field.characters[index])
            if column < next { return index }
            x = next
            index += 1
        }
        return field.characters.count
    }

    /// Glyph, note and colour for one field's check, e.g. "✓ role · from AWS_REGION".
    static func describe(_ check: ParameterCheck, field: ParameterForm.Field, shout: Bool)
        -> (String, String, ColorRole) {
        let origin = field.origin.map { " · " + $0.formText } ?? ""
        switch check {
        case .empty:
            if field.required { return (shout ? "✗" : "!", "required", shout ? .danger : .warning) }
            return ("·", field.hint.map { "optional · \($0)" } ?? "optional", .muted)
        case .valid(let note):
            return ("✓", (note ?? "ok") + origin, .success)
        case .invalid(let problem):
            return ("✗", problem.description + origin, .danger)
        }
    }
}

/// Draws the paste dialog over the form: the text area, then the detected fields to accept.
enum PasteScreen {
    static func draw(_ dialog: PasteDialog, area: Rect, into screen: inout ScreenBuffer) {
        let box = area.centred(width: min(area.width - 2, 110), height: area.height - 1)
        Chrome.box(box, title: dialog.source == nil ? "Paste an error message or CloudTrail event" : "Read from a local event file",
                   style: CellStyle(role: .accent), into: &screen)
        let inner = box.inset(by: 1).insetHorizontally(1)
        switch dialog.stage {
        case .editing, .parsing:
            let textArea = Rect(row: inner.row, column: inner.column, width: inner.width, height: inner.height - 2)
            let cursor = dialog.area.draw(into: &screen, area: textArea)
            let info = "\(dialog.area.lines.count) line\(dialog.area.lines.count == 1 ? "" : "s"), "
                + "\(dialog.area.characterCount) characters"
            if dialog.stage == .parsing {
                screen.put("Reading the pasted text…  (Esc edits it again)", row: inner.row + inner.height - 1,
                           column: inner.column, style: CellStyle(bold: true, role: .accent), maxWidth: inner.width)
            } else {
                screen.cursor = cursor
                screen.put(info, row: inner.row + inner.height - 1, column: inner.column, style: .dim,
                           maxWidth: inner.width)
            }
            if let error = dialog.error {
                screen.put("✗ " + error, row: inner.row + inner.height - 2, column: inner.column,
                           style: CellStyle(bold: true, role: .danger), maxWidth: inner.width)
            }
        case .reviewing:
            // A file's path can be long: its line names only the source (the footer has the keys).
            let heading = dialog.source == nil
                ? "Detected in the pasted text (Space toggles one, a accepts all, Enter accepts the checked):"
                : "Detected in the file \(dialog.sourceName):"
            screen.put(heading, row: inner.row, column: inner.column, style: .bold, maxWidth: inner.width)
            // What the reader noted (which of several denied events first), below the fields; what
            // does not fit is said to be there, not silently cut.
            let noteTop = inner.row + 3 + dialog.detected.count
            let room = inner.row + inner.height - noteTop
            let lines = dialog.notes.flatMap { Wrap.lines("· " + $0, width: inner.width) }
            let shown = lines.count <= room ? lines : Array(lines.prefix(max(0, room - 1)))
            for (i, line) in shown.enumerated() {
                screen.put(line, row: noteTop + i, column: inner.column, style: .dim, maxWidth: inner.width)
            }
            if shown.count < lines.count, room > 0 {
                screen.put("… \(lines.count - shown.count) more line\(lines.count - shown.count == 1 ? "" : "s") of notes (a larger window shows them)",
                           row: noteTop + shown.count, column: inner.column, style: .dim, maxWidth: inner.width)
            }
            let nameWidth = 14
            let valueWidth = min(48, max(12, (inner.width - nameWidth - 6) / 2))
            for (i, field) in dialog.detected.enumerated() where i + 2 < inner.height {
                let row = inner.row + 2 + i
                let selected = i == dialog.selection
                let style: CellStyle = selected ? .reverse : .plain
                if selected { screen.fill(Rect(row: row, column: inner.column, width: inner.width, height: 1), style: style) }
                let mark = dialog.accepted[i] ? "[x]" : "[ ]"
                var x = inner.column
                x += screen.put(mark + " ", row: row, column: x, style: style)
                screen.put(field.name, row: row, column: x, style: CellStyle(bold: true, reverse: selected), maxWidth: nameWidth)
                x += nameWidth
                let value = CharacterWidth.of(field.value) > valueWidth
                    ? CharacterWidth.prefix(field.value, fitting: valueWidth - 1).text + "…" : field.value
                screen.put(value, row: row, column: x, style: style, maxWidth: valueWidth)
                x += valueWidth + 1
                screen.put("← " + field.origin, row: row, column: x, style: CellStyle(reverse: selected, role: .muted),
                           maxWidth: inner.column + inner.width - x)
            }
        }
    }
}

extension Rect {
    func insetHorizontally(_ n: Int) -> Rect {
        Rect(row: row, column: column + n, width: max(0, width - 2 * n), height: height)
    }
}
