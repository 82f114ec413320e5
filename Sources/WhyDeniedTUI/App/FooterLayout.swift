/// Lays the footer's hints out in the width there is. Hints come in rank order (what matters
/// most first); the pinned ones (help, quit: the ways out) are kept whatever the width, and the
/// others fill the room left by rank, stopping at the first that does not fit, so a lower hint
/// never shows while a higher one is left out. What is left out is in the help.
///
/// ```swift
/// FooterLayout.fit([.init(text: "F2/Ctrl-S start"), .init(text: "F10/Ctrl-Q quit", pinned: true)], width: 80)
/// ```
public enum FooterLayout {
    public struct Item: Hashable, Sendable {
        public var text: String
        public var pinned: Bool
        public init(text: String, pinned: Bool = false) {
            self.text = text
            self.pinned = pinned
        }
    }

    static let separator = " · "
    static let prefix = " "

    public static func fit(_ items: [Item], width: Int) -> String {
        func line(_ chosen: Set<Int>) -> String {
            prefix + items.indices.filter(chosen.contains).map { items[$0].text }.joined(separator: separator)
        }
        var chosen = Set(items.indices.filter { items[$0].pinned })
        // Too narrow even for the ways out: the lowest-ranked go first.
        while CharacterWidth.of(line(chosen)) > width, let last = chosen.max() { chosen.remove(last) }
        for index in items.indices where !items[index].pinned {
            let candidate = chosen.union([index])
            guard CharacterWidth.of(line(candidate)) <= width else { break }
            chosen = candidate
        }
        return line(chosen)
    }
}
