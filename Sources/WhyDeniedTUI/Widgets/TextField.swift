/// A one-line editable text value with a cursor and readline-style keys
/// (←/→, Ctrl-A/Ctrl-E or Home/End, Backspace/Delete, Ctrl-U, Ctrl-K, Ctrl-W).
///
/// ```swift
/// var field = TextField("us-east-1")
/// _ = field.handle(.backspace) // "us-east-"
/// ```
public struct TextField: Hashable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
        }
    }

    /// Applies an editing key. Returns false when the key is not an editing key (so the caller
    /// can treat it as navigation).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            if c == "\n" || c == "\r" { return false }
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"):
            characters.removeLast(characters.count - cursor)
        case .control("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Draws the field in `width` columns, scrolled so the cursor stays visible; returns the
    /// cursor's column relative to the field.
    @discardableResult
    public func draw(into screen: inout ScreenBuffer, row: Int, column: Int, width: Int,
                     style: CellStyle = .plain) -> Int {
        guard width > 0 else { return 0 }
        let first = firstShown(width: width)
        screen.put(String(characters[first...]), row: row, column: column, style: style, maxWidth: width)
        return CharacterWidth.of(String(characters[first..<cursor]))
    }

    /// The first character `draw` shows in `width` columns: whole characters scroll off the
    /// left until the cursor fits.
    public func firstShown(width: Int) -> Int {
        var first = 0
        var cursorColumn = CharacterWidth.of(String(characters[0..<cursor]))
        while cursorColumn >= width, first < cursor {
            cursorColumn -= CharacterWidth.of(characters[first])
            first += 1
        }
        return first
    }

    /// Puts the cursor before the character at `index` (a click on it).
    public mutating func moveCursor(to index: Int) {
        cursor = max(0, min(characters.count, index))
    }
}
