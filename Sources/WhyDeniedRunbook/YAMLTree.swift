import Yams

/// The runbook file as a plain tree with a line number on every node. Built from Yams' node API
/// so the loader can say *where* something is wrong; anchors, aliases and very large inputs are
/// refused here because the file is untrusted.
struct YAMLTree: Sendable {
    enum Content: Sendable {
        case scalar(String, isPlainNull: Bool, tag: String)
        case mapping([(key: YAMLTree, value: YAMLTree)])
        case sequence([YAMLTree])
    }

    let content: Content
    let line: Int
    let column: Int

    static let maximumBytes = 1_000_000
    static let maximumNodes = 200_000
    static let maximumDepth = 64
    static let maximumScalarLength = 100_000

    /// Parses `text`; on failure the issues carry the file name and line.
    static func parse(_ text: String, file: String) -> Result<YAMLTree, RunbookLoadError> {
        if text.utf8.count > maximumBytes {
            return .failure(RunbookLoadError(issues: [RunbookIssue(
                file: file, line: 1, reason: "file is \(text.utf8.count) bytes; a runbook may be at most \(maximumBytes)")]))
        }
        let root: Node?
        // The parser owns the anchors (nodes hold them weakly), so it must outlive the walk
        // below for anchored nodes to be recognised.
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            return .failure(RunbookLoadError(issues: [issue(for: error, file: file)]))
        } catch {
            return .failure(RunbookLoadError(issues: [RunbookIssue(file: file, line: 1, reason: "not valid YAML: \(error)")]))
        }
        guard let root else {
            return .failure(RunbookLoadError(issues: [RunbookIssue(file: file, line: 1, reason: "the file is empty")]))
        }
        var builder = Builder(file: file)
        let tree = withExtendedLifetime(parser) { builder.build(root, depth: 0) }
        if !builder.issues.isEmpty { return .failure(RunbookLoadError(issues: builder.issues)) }
        return .success(tree)
    }

    private static func issue(for error: YamlError, file: String) -> RunbookIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return RunbookIssue(file: file, line: mark.line, column: mark.column,
                                reason: "invalid YAML: \(prefix)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return RunbookIssue(file: file, line: context.mark.line, column: context.mark.column,
                                reason: "duplicate key " + duplicates.map { "\"\($0.prefix(80))\"" }.joined(separator: ", ")
                                    + " in a mapping")
        case let .reader(problem, _, _, _):
            return RunbookIssue(file: file, line: 1, reason: "unreadable YAML: \(problem)")
        default:
            return RunbookIssue(file: file, line: 1, reason: "invalid YAML: \(error)")
        }
    }

    private struct Builder {
        let file: String
        var issues: [RunbookIssue] = []
        var nodes = 0

        mutating func build(_ node: Node, depth: Int) -> YAMLTree {
            nodes += 1
            let mark = node.mark
            let line = mark?.line ?? 0
            let column = mark?.column ?? 0
            let empty = YAMLTree(content: .scalar("", isPlainNull: true, tag: ""), line: line, column: column)
            if nodes > YAMLTree.maximumNodes {
                if nodes == YAMLTree.maximumNodes + 1 {
                    issues.append(RunbookIssue(file: file, line: line, column: column,
                                               reason: "too many YAML nodes (more than \(YAMLTree.maximumNodes))"))
                }
                return empty
            }
            if depth > YAMLTree.maximumDepth {
                issues.append(RunbookIssue(file: file, line: line, column: column,
                                           reason: "nesting deeper than \(YAMLTree.maximumDepth) levels"))
                return empty
            }
            // Anchors and aliases could expand a small file into a huge tree, and a runbook
            // has no need for them.
            if node.anchor != nil {
                issues.append(RunbookIssue(file: file, line: line, column: column,
                                           reason: "YAML anchors and aliases are not allowed in a runbook"))
                return empty
            }
            switch node {
            case .scalar(let scalar):
                if scalar.string.count > YAMLTree.maximumScalarLength {
                    issues.append(RunbookIssue(file: file, line: line, column: column,
                                               reason: "value is longer than \(YAMLTree.maximumScalarLength) characters"))
                    return empty
                }
                let isNull = scalar.style == .plain && node.null != nil
                return YAMLTree(content: .scalar(scalar.string, isPlainNull: isNull, tag: node.tag.description),
                                line: line, column: column)
            case .mapping(let mapping):
                var pairs: [(key: YAMLTree, value: YAMLTree)] = []
                for (key, value) in mapping {
                    pairs.append((build(key, depth: depth + 1), build(value, depth: depth + 1)))
                }
                return YAMLTree(content: .mapping(pairs), line: line, column: column)
            case .sequence(let sequence):
                return YAMLTree(content: .sequence(sequence.map { build($0, depth: depth + 1) }),
                                line: line, column: column)
            case .alias:
                issues.append(RunbookIssue(file: file, line: line, column: column,
                                           reason: "YAML anchors and aliases are not allowed in a runbook"))
                return empty
            }
        }
    }

    var kindName: String {
        switch content {
        case .scalar(_, let isNull, _): isNull ? "nothing (null)" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
