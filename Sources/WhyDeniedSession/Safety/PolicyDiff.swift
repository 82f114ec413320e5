import WhyDeniedJSON

/// A unified diff of two policy documents, both pretty-printed the same way first so only real
/// changes show. What the operator reads before confirming a change.
///
/// ```swift
/// PolicyDiff(before: oldDocument, after: newDocument).unified
/// // --- before
/// // +++ after
/// // @@ -3,7 +3,8 @@
/// //  ...
/// // +      "Action": "s3:GetObject",
/// ```
public struct PolicyDiff: Sendable, Hashable {
    public var beforeLines: [String]
    public var afterLines: [String]
    public var beforeLabel: String
    public var afterLabel: String

    /// `before` is nil when the policy does not exist yet (everything is added).
    public init(before: JSONValue?, after: JSONValue?, beforeLabel: String = "before", afterLabel: String = "after") {
        self.init(beforeText: before.map { $0.serialized(pretty: true) }, afterText: after.map { $0.serialized(pretty: true) },
                  beforeLabel: beforeLabel, afterLabel: afterLabel)
    }

    public init(beforeText: String?, afterText: String?, beforeLabel: String = "before", afterLabel: String = "after") {
        beforeLines = beforeText.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        afterLines = afterText.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        self.beforeLabel = beforeLabel
        self.afterLabel = afterLabel
    }

    public enum Line: Sendable, Hashable {
        case same(String), removed(String), added(String)
    }

    /// The edit script, line by line (longest common subsequence; policies are small).
    public var lines: [Line] {
        let old = beforeLines, new = afterLines
        var table = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [Line] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(.same(old[i])); i += 1; j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                // Removals first, as `diff -u` prints them.
                result.append(.removed(old[i])); i += 1
            } else {
                result.append(.added(new[j])); j += 1
            }
        }
        return result
    }

    public var hasChanges: Bool { beforeLines != afterLines }

    /// The diff in unified format with `context` unchanged lines around each change.
    public func unified(context: Int = 3) -> String {
        let script = lines
        guard script.contains(where: { if case .same = $0 { false } else { true } }) else { return "" }
        var output = ["--- \(beforeLabel)", "+++ \(afterLabel)"]
        // Positions of changed lines, grouped into hunks whose context overlaps.
        let changed = script.indices.filter { if case .same = script[$0] { false } else { true } }
        var groups: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(script.count - 1, index + context)
            if let last = groups.last, range.lowerBound <= last.upperBound + 1 {
                groups[groups.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                groups.append(range)
            }
        }
        for group in groups {
            var oldStart = 1, newStart = 1
            for line in script[..<group.lowerBound] {
                switch line {
                case .same: oldStart += 1; newStart += 1
                case .removed: oldStart += 1
                case .added: newStart += 1
                }
            }
            var oldCount = 0, newCount = 0, body: [String] = []
            for line in script[group] {
                switch line {
                case .same(let text): oldCount += 1; newCount += 1; body.append(" " + text)
                case .removed(let text): oldCount += 1; body.append("-" + text)
                case .added(let text): newCount += 1; body.append("+" + text)
                }
            }
            // Unified format numbers an empty side from the line before it.
            let oldHeader = oldCount == 0 ? "\(oldStart - 1),0" : "\(oldStart),\(oldCount)"
            let newHeader = newCount == 0 ? "\(newStart - 1),0" : "\(newStart),\(newCount)"
            output.append("@@ -\(oldHeader) +\(newHeader) @@")
            output.append(contentsOf: body)
        }
        return output.joined(separator: "\n") + "\n"
    }
}
