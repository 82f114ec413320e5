import WhyDeniedJSON

/// A line diff of a document before and after a change, for the mutation dialog. JSON documents
/// are pretty-printed first so the diff shows statements, not one long line.
///
/// ```swift
/// LineDiff.between("a\nb", "a\nc") // [= a, - b, + c]
/// ```
public enum LineDiff {
    public enum Kind: Hashable, Sendable { case same, removed, added }

    public struct Line: Hashable, Sendable {
        public var kind: Kind
        public var text: String

        public var marked: String {
            switch kind {
            case .same: "  " + text
            case .removed: "- " + text
            case .added: "+ " + text
            }
        }
    }

    public static func between(_ before: String, _ after: String) -> [Line] {
        let old = lines(before)
        let new = lines(after)
        // Longest common subsequence table; policies are small.
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [Line] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(Line(kind: .same, text: old[i]))
                i += 1
                j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                result.append(Line(kind: .removed, text: old[i]))
                i += 1
            } else {
                result.append(Line(kind: .added, text: new[j]))
                j += 1
            }
        }
        return result
    }

    /// Only the changed lines with `context` unchanged lines around them; gaps become "…".
    public static func hunks(_ diff: [Line], context: Int) -> [Line] {
        let changed = diff.indices.filter { diff[$0].kind != .same }
        guard !changed.isEmpty else { return diff }
        var keep = Set<Int>()
        for index in changed {
            for near in max(0, index - context)...min(diff.count - 1, index + context) { keep.insert(near) }
        }
        var result: [Line] = []
        var previous = -1
        for index in keep.sorted() {
            if index != previous + 1 { result.append(Line(kind: .same, text: "…")) }
            result.append(diff[index])
            previous = index
        }
        if previous != diff.count - 1 { result.append(Line(kind: .same, text: "…")) }
        return result
    }

    static func lines(_ document: String) -> [String] {
        if document.isEmpty { return [] }
        let text = (try? JSONValue.parse(document)).map { $0.serialized(pretty: true) } ?? document
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
