/// Replaces the runbook's internal names in a line meant for the operator: a command id
/// (`verify_dependencies.caller_identity`) becomes the command's first words (`aws sts
/// get-caller-identity`), a step id its title. One table for every line the screen, the headless
/// run and the report show.
///
/// ```swift
/// let words = OperatorWords(runbook)
/// words.say("look_up_events.lookup_events: unavailable")   // "`aws cloudtrail lookup-events`: unavailable"
/// words.title(ofStep: "check_iam")                        // "Check identity-based policies"
/// ```
public struct OperatorWords: Sendable {
    private var replacements: [(String, String)] = []
    private var titles: [String: String] = [:]

    public init(_ runbook: Runbook) {
        for step in runbook.steps {
            titles[step.id] = step.title
            for command in step.commands {
                replacements.append(("\(step.id).\(command.id)", "`\(Self.commandWords(command.argv.map(\.description)))`"))
            }
        }
        // Only ids that cannot be ordinary words ("recommend" is both): the snake_case ones.
        for step in runbook.steps where step.id.contains("_") { replacements.append((step.id, "\"\(step.title)\"")) }
        // Longest first, so a command id is replaced before the step id inside it.
        replacements.sort { $0.0.utf8.count > $1.0.utf8.count }
    }

    /// The words an operator knows a command by: `aws SERVICE OPERATION`.
    public static func commandWords(_ argv: [String]) -> String {
        argv.prefix(3).joined(separator: " ")
    }

    /// The step's title; the id itself for a step the runbook does not have.
    public func title(ofStep id: String) -> String {
        titles[id] ?? id
    }

    public func say(_ text: String) -> String {
        var result = text
        for (name, words) in replacements where result.contains(name) {
            result = result.replacingOccurrences(of: name, with: words)
        }
        return result
    }
}
