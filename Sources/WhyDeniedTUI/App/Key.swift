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
}
