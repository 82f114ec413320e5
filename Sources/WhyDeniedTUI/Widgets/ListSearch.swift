/// What a list-search key does (the key table, `KeyMap`, says which key).
public enum ListSearchAction: Hashable, Sendable {
    case begin, accept, cancel, next, previous
}

/// `/` search in a selectable list, the same for every list (the credentials box's profiles,
/// the paste dialog's detected fields): `/` opens a prompt, typing moves the selection to the
/// first match from where it was, Enter keeps it and the query, n/N go to the next / previous
/// match (wrapping, and saying so), Esc goes back to where the selection was. Matching is the
/// pager's (`Pager.firstMatch`: case-insensitive, whole characters), so a query finds in a list
/// what it finds in a page. The model only knows rows as text and an index; the caller reads and
/// sets the selection of whichever list is on screen.
///
/// ```swift
/// var search = ListSearch()
/// search.begin(at: 0)
/// let row = search.type(.character("d"), items: ["audit", "dev"]) // 1
/// ```
public struct ListSearch: Hashable, Sendable {
    /// The query being typed after `/`, if any.
    public private(set) var input: TextField?
    /// The last query confirmed with Enter (n/N use it).
    public private(set) var query = ""
    /// One line for the operator: the matches, a wrap, or "no match for …".
    public private(set) var message: String?
    /// The selection when `/` was pressed: typing searches from it and Esc goes back to it.
    private var origin = 0

    public init() {}

    public var typing: Bool { input != nil }

    public mutating func begin(at selection: Int) {
        input = TextField()
        origin = selection
        message = nil
    }

    /// A key for the query; returns the row to select: the first match from the origin (the
    /// list follows the typing), or the origin when nothing matches.
    public mutating func type(_ key: Key, items: [String]) -> Int {
        guard var field = input else { return origin }
        _ = field.handle(key)
        input = field
        let text = field.text
        guard !text.isEmpty else {
            message = nil
            return origin
        }
        let matches = Self.matches(of: text, in: items)
        guard let first = Self.first(in: matches, from: origin, count: items.count) else {
            message = "no match for \"\(text)\""
            return origin
        }
        message = matches.count == 1 ? "1 match" : "\(matches.count) matches"
        return first.index
    }

    /// Enter: the prompt closes, the query stays for n/N; returns the row to select.
    public mutating func accept(items: [String]) -> Int {
        let text = input?.text ?? ""
        input = nil
        guard !text.isEmpty else {
            message = nil
            return origin
        }
        query = text
        let matches = Self.matches(of: text, in: items)
        guard let first = Self.first(in: matches, from: origin, count: items.count) else {
            message = "no match for \"\(text)\""
            return origin
        }
        message = status(matches, at: first.index) + (first.wrapped ? " · wrapped to the top" : "")
        return first.index
    }

    /// Esc: the prompt closes and the selection goes back to where it was.
    public mutating func cancel() -> Int {
        input = nil
        message = nil
        return origin
    }

    /// n (`direction` 1) or N (-1) from `selection`; returns the row to select.
    public mutating func step(_ direction: Int, from selection: Int, items: [String]) -> Int {
        guard !query.isEmpty else {
            message = "no search: press / first"
            return selection
        }
        let matches = Self.matches(of: query, in: items)
        guard !matches.isEmpty else {
            message = "no match for \"\(query)\""
            return selection
        }
        let target: Int
        var wrap = ""
        if direction > 0 {
            if let next = matches.first(where: { $0 > selection }) {
                target = next
            } else {
                target = matches[0]
                wrap = " · wrapped to the top"
            }
        } else if let previous = matches.last(where: { $0 < selection }) {
            target = previous
        } else {
            target = matches[matches.count - 1]
            wrap = " · wrapped to the bottom"
        }
        message = status(matches, at: target) + wrap
        return target
    }

    private func status(_ matches: [Int], at index: Int) -> String {
        "match \((matches.firstIndex(of: index) ?? 0) + 1) of \(matches.count) for \"\(query)\""
    }

    /// The rows that contain `query`, in order.
    static func matches(of query: String, in items: [String]) -> [Int] {
        let needle = Pager.folded(query)
        return items.indices.filter { Pager.firstMatch(of: needle, in: items[$0]) != nil }
    }

    /// The first match at or after `origin`, else the first from the top (a wrap).
    private static func first(in matches: [Int], from origin: Int, count: Int) -> (index: Int, wrapped: Bool)? {
        if let hit = matches.first(where: { $0 >= origin }) { return (hit, false) }
        return matches.first.map { ($0, true) }
    }
}
