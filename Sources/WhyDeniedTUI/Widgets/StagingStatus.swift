/// The one line `whydenied demo` redraws while it stages a scenario (8–18 s of `aws` commands
/// against moto): a spinner, how long and how many commands so far, and what it is creating now,
/// fitted to the terminal's width so it never wraps (a wrapped line cannot be redrawn in place).
///
/// ```swift
/// var status = StagingStatus(scenario: "seed")
/// status.started(["aws", "iam", "create-role", "--role-name", "DataAnalystRole", "--assume-role-policy-document", "…"])
/// status.line(elapsed: 4.2, width: 80)
/// // "⠼ Staging seed · 4.2 s · 1 command · aws iam create-role DataAnalystRole"
/// ```
public struct StagingStatus: Sendable, Equatable {
    public var scenario: String
    public private(set) var commands = 0
    public private(set) var current: [String] = []

    public init(scenario: String) {
        self.scenario = scenario
    }

    public mutating func started(_ argv: [String]) {
        commands += 1
        current = argv
    }

    /// `aws SERVICE OPERATION` and the first value it names (a role, a bucket, a key), not the
    /// documents it passes.
    public static func describe(_ argv: [String]) -> String {
        let words = Array(argv.prefix(3))
        let rest = argv.dropFirst(3)
        let named = zip(rest, rest.dropFirst()).first { flag, value in
            flag.hasPrefix("--") && !value.hasPrefix("--") && !value.hasPrefix("{") && !value.hasPrefix("file://")
                && value.count <= 64
        }?.1
        return (words + (named.map { [$0] } ?? [])).joined(separator: " ")
    }

    public func line(elapsed: Double, width: Int) -> String {
        var text = "\(Spinner.frame(after: elapsed)) Staging \(scenario) · " + String(format: "%.1f s", elapsed)
            + " · \(commands) command\(commands == 1 ? "" : "s")"
        if !current.isEmpty { text += " · " + Self.describe(current) }
        return Self.fitted(text, width: width)
    }

    /// At most `width - 1` columns (the last column would wrap on some terminals), cut with `…`.
    static func fitted(_ text: String, width: Int) -> String {
        let limit = max(width - 1, 1)
        guard CharacterWidth.of(text) > limit else { return text }
        var result = ""
        for character in text {
            if CharacterWidth.of(result) + CharacterWidth.of(character) > limit - 1 { break }
            result.append(character)
        }
        return result + "…"
    }
}
