/// A key press as the TUI understands it, independent of the backend that read it.
///
/// Backends translate their codes (ncurses `wget_wch`, tmux bytes in tests) into these.
///
/// ```swift
/// Key.character("日"); Key.control("d"); Key.function(2)
/// ```
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, lowercase (`.control("d")` is Ctrl-D).
    case control(Character)
    case function(Int)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end

    /// Typed text for single characters; nil for keys that are not text.
    public var text: Character? {
        if case .character(let c) = self { return c }
        return nil
    }

    /// The key as the footer and hints name it ("Ctrl-D", "F5", "x").
    public var name: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .control(let c): "Ctrl-" + c.uppercased()
        case .function(let n): "F\(n)"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        }
    }
}
