/// One problem found in a runbook file, with where it is: the loader reports these as
/// `file:line: reason`, the way compilers do, so an editor can jump to the spot.
///
/// ```swift
/// RunbookIssue(file: "access-denied.yaml", line: 12, column: 5, reason: "unknown key \"argvv\"")
///     .description   // "access-denied.yaml:12: unknown key \"argvv\""
/// ```
public struct RunbookIssue: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let reason: String

    public init(file: String, line: Int, column: Int = 0, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// Thrown when a runbook can't be used: every issue found, in file order, not just the first.
public struct RunbookLoadError: Error, Sendable, CustomStringConvertible {
    public let issues: [RunbookIssue]

    public init(issues: [RunbookIssue]) {
        self.issues = issues.sorted { ($0.line, $0.column, $0.reason) < ($1.line, $1.column, $1.reason) }
    }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
