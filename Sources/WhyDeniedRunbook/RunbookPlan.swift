import WhyDeniedJSON

/// A preview of the commands a run would propose, worked out from the parameters and facts
/// alone, before anything runs. What can't be known yet stays visible instead of guessed:
/// a placeholder for a capture or loop variable is kept as `{{...}}`, a `foreach` is shown once
/// as a template with the list it will walk, and a condition that depends on unknown values is
/// shown as the assumption (`if facts.fix.kind = role_inline_policy`).
///
/// ```swift
/// let plan = RunbookPlan(runbook: runbook,
///                        parameters: ["principal": "DataAnalystRole", "region": "us-east-1", "time_frame": "1 hour ago"],
///                        facts: ["principal.kind": .string("role"), "principal.name": .string("DataAnalystRole")])
/// plan.commands.map(\.argv).first   // ["aws", "sts", "get-caller-identity"]
/// ```
public struct RunbookPlan: Sendable, Equatable {
    public struct PlannedStep: Sendable, Equatable {
        public let id: String
        public let title: String
        /// False when the step's condition is already known to be false.
        public let applies: Bool
        /// The step's condition when it depends on values not known yet.
        public let assumption: String?
        public let toolChecks: [String]
        public let commands: [PlannedCommand]
        public let analysis: String?
    }

    public struct PlannedCommand: Sendable, Equatable {
        /// `step.command`; a foreach command appears once, as a template.
        public let id: String
        public let stepID: String
        /// Resolved where possible; unknown values stay as `{{...}}` elements or parts.
        public let argv: [String]
        public let mutates: Bool
        /// The command's (and, for the first command, not its step's) condition when it
        /// depends on values not known yet.
        public let assumption: String?
        /// `policy_arn in captures.attached_policy_arns (at most 25)` for a foreach command.
        public let forEach: String?
        /// Placeholders not known at plan time, e.g. `captures.queue_url`, `facts.time.start`.
        public let pending: [String]
        /// How the run treats the command beyond running it once: backup, optional, polling,
        /// paging, answers and fallbacks, preconditions (`handling(of:)`).
        public var handling: [String] = []
    }

    /// The command's keys that change how it runs, in the operator's words.
    public static func handling(of template: CommandTemplate) -> [String] {
        var notes: [String] = []
        if template.backup { notes.append("backup: its output is kept before the change") }
        if !template.preconditions.isEmpty { notes.append("checked first: " + template.preconditions.joined(separator: ", ")) }
        if template.optional { notes.append("optional: a failure is noted and the step goes on") }
        if let poll = template.polling {
            notes.append("re-run until \(poll.select) is \(poll.until.joined(separator: "/")), at most \(poll.maxAttempts) runs"
                         + (poll.failOn.isEmpty ? "" : "; \(poll.failOn.joined(separator: "/")) fails it"))
        }
        if let pages = template.pagination { notes.append("pages with \(pages.tokenField), at most \(pages.maxPages)") }
        if let rate = template.rateLimitPerSecond { notes.append("at most \(rate.formatted()) requests/s") }
        if !template.answeredBy.isEmpty { notes.append("an answer, not a failure: " + template.answeredBy.joined(separator: ", ")) }
        if !template.fallbackOn.isEmpty { notes.append("source unavailable on: " + template.fallbackOn.joined(separator: ", ")) }
        if template.fallbackIfEmpty { notes.append("nothing found: the next source is tried") }
        if let group = template.group { notes.append("alternative: \(group)") }
        return notes
    }

    public let steps: [PlannedStep]

    /// Commands of the steps that apply, in order.
    public var commands: [PlannedCommand] { steps.filter(\.applies).flatMap(\.commands) }

    /// - Parameters:
    ///   - parameters: given parameters; a parameter not given counts as absent.
    ///   - facts: known facts; a fact not given counts as unknown (conditions on it are assumed).
    public init(runbook: Runbook, parameters: [String: String], facts: [String: JSONValue]) {
        let parameters = parameters.filter { !$0.value.isEmpty }
        func lookup(_ subject: ConditionSubject) -> SubjectValue {
            switch subject {
            case .parameter(let name): parameters[name].map { .known(.string($0)) } ?? .absent
            case .fact(let name): facts[name].map { .known($0) } ?? .unknown
            case .capture: .unknown
            }
        }
        func value(_ reference: PlaceholderReference) -> JSONValue? {
            switch reference {
            case .parameter(let name): parameters[name].map(JSONValue.string)
            case .fact(let name): facts[name]
            case .capture, .loopVariable: nil
            }
        }
        var planned: [PlannedStep] = []
        for step in runbook.steps {
            let stepDecision: Bool? = if let when = step.when { when.evaluate(lookup) } else { true }
            var commands: [PlannedCommand] = []
            for template in step.commands {
                let decision: Bool? = if let when = template.when { when.evaluate(lookup) } else { true }
                if decision == false { continue }
                var argv: [String] = []
                var pending: [String] = []
                for element in template.argv {
                    switch element.resolve(value) {
                    case .success(let parts):
                        argv.append(contentsOf: parts)
                    case .failure:
                        var text = ""
                        for segment in element.segments {
                            switch segment {
                            case .text(let literal): text += literal
                            case .placeholder(let reference):
                                if let known = value(reference), let scalar = known.scalarText {
                                    text += scalar
                                } else {
                                    text += "{{\(reference)}}"
                                    if !pending.contains(reference.description) { pending.append(reference.description) }
                                }
                            }
                        }
                        argv.append(text)
                    }
                }
                let forEach = template.forEach.map { spec in
                    "\(spec.variable) in " + spec.items.map { "captures.\($0)" }.joined(separator: " + ")
                        + " (at most \(spec.maxItems))"
                }
                commands.append(PlannedCommand(
                    id: "\(step.id).\(template.id)", stepID: step.id, argv: argv, mutates: template.mutates,
                    assumption: decision == nil ? template.when?.summary : nil, forEach: forEach, pending: pending,
                    handling: Self.handling(of: template)))
            }
            planned.append(PlannedStep(
                id: step.id, title: step.title, applies: stepDecision != false,
                assumption: stepDecision == nil ? step.when?.summary : nil, toolChecks: step.toolChecks,
                commands: commands, analysis: step.analysis))
        }
        steps = planned
    }
}
