/// Lays the footer's hints out in the width there is. Hints come in rank order (what matters
/// most first); the pinned ones (help, quit: the ways out) are kept whatever the width, and the
/// others fill the room left by rank, stopping at the first that does not fit, so a lower hint
/// never shows while a higher one is left out. What is left out is in the help. A click on a
/// hint acts as its key (`item(atColumn:)` reads the same layout the line is drawn from).
///
/// ```swift
/// FooterLayout.fit([.init(text: "F2/Ctrl-S start"), .init(text: "F10/Ctrl-Q quit", pinned: true)], width: 80)
/// ```
public enum FooterLayout {
    public struct Item: Hashable, Sendable {
        public var text: String
        public var pinned: Bool
        /// The key a click on the hint stands for; nil: a click does nothing.
        public var key: Key?
        public init(text: String, pinned: Bool = false, key: Key? = nil) {
            self.text = text
            self.pinned = pinned
            self.key = key
        }
    }

    static let separator = " · "
    static let prefix = " "

    public static func fit(_ items: [Item], width: Int) -> String {
        prefix + chosen(items, width: width).map { items[$0].text }.joined(separator: separator)
    }

    /// The hint drawn at `column` of the footer line `fit` makes, if any.
    public static func item(atColumn column: Int, of items: [Item], width: Int) -> Item? {
        var start = CharacterWidth.of(prefix)
        for index in chosen(items, width: width) {
            let end = start + CharacterWidth.of(items[index].text)
            if column >= start && column < end { return items[index] }
            start = end + CharacterWidth.of(separator)
        }
        return nil
    }

    /// The indices of the items shown, in order.
    static func chosen(_ items: [Item], width: Int) -> [Int] {
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
        return items.indices.filter(chosen.contains)
    }
}
