import WhyDeniedTUI

/// Tells a paste from typing. With bracketed paste on (`ESC[?2004h`), the terminal wraps pasted
/// text in `ESC[200~` … `ESC[201~`; ncurses knows no such key, so the markers arrive as Esc and
/// plain characters. This joins everything between them into one `.paste` (Enter as a newline,
/// Tab as a tab); every other key passes through unchanged.
///
/// ```swift
/// var paste = BracketedPaste()
/// let keys: [Key] = [.escape] + "[200~ab".map(Key.character) + [.enter, .escape] + "[201~".map(Key.character)
/// keys.flatMap { paste.feed(.key($0)) }   // [.paste("ab\n")]
/// ```
public struct BracketedPaste: Hashable, Sendable {
    static let start = Array("[200~"), end = Array("[201~")

    /// Keys after an Esc that may still become a marker (the Esc itself included).
    private var held: [Key] = []
    /// The pasted text so far; nil outside a paste.
    private var text: String?

    public init() {}

    public var isPasting: Bool { text != nil }

    public mutating func feed(_ input: TerminalInput) -> [TerminalInput] {
        guard case .key(let key) = input else { return [input] }
        if !held.isEmpty || key == .escape {
            held.append(key)
            let marker = text == nil ? Self.start : Self.end
            let typed = held.dropFirst().compactMap(\.text)
            if held.first == .escape, typed.count == held.count - 1, Array(typed) == Array(marker.prefix(typed.count)) {
                guard typed.count == marker.count else { return [] }
                held = []
                if let pasted = text {
                    text = nil
                    return [.paste(pasted)]
                }
                text = ""
                return []
            }
            // Not a marker after all: the first held key is a key (or, inside a paste, text);
            // the rest are read again, as another Esc among them may start a marker.
            let keys = held
            held = []
            return take(keys[0]) + keys.dropFirst().flatMap { feed(.key($0)) }
        }
        return take(key)
    }

    /// The input went quiet: an Esc held in case a marker followed was just Esc. Inside a paste
    /// nothing is given up (the rest of it may still be on its way).
    public mutating func flush() -> [TerminalInput] {
        guard text == nil, !held.isEmpty else { return [] }
        let keys = held
        held = []
        return keys.map { .key($0) }
    }

    private mutating func take(_ key: Key) -> [TerminalInput] {
        guard text != nil else { return [.key(key)] }
        switch key {
        case .character(let c): text?.append(c)
        case .enter: text?.append("\n")
        case .tab: text?.append("\t")
        default: break // Esc and control keys inside pasted text carry nothing readable
        }
        return []
    }
}
