import WhyDeniedJSON

/// One command of a fix application, in the runbook's terms (`why`, `argv` with placeholders,
/// `backup`, `mutates`, `preconditions`, captures, `poll`). `FixApplications.runbookCommands()`
/// writes it out as a runbook command that runs only for its kind and once `needs` are present.
///
/// ```swift
/// FixCommand("put_bucket_policy", why: "Replaces the bucket policy with the fixed one.", phase: .change,
///            argv: ["aws", "s3api", "put-bucket-policy", "--bucket", "{{facts.fix.bucket}}", "--policy", "{{facts.fix.policy_document}}"])
///     .with { $0.mutates = true; $0.preconditions = ["bucket_policy_size_within_limit"] }
/// ```
public struct FixCommand: Sendable, Equatable {
    /// Where it runs in the step: every kind's backups first, then the changes, then the reads
    /// that check the result.
    public enum Phase: Int, Sendable, Equatable, CaseIterable { case backup, change, verification }

    public typealias Capture = RunbookCommandDraft.Capture
    public typealias Poll = RunbookCommandDraft.Poll

    public var id: String
    public var why: String
    public var phase: Phase
    public var argv: [String]
    /// Run with the resource owner's credentials (`account: resource`).
    public var resourceAccount = false
    public var answeredBy: [String] = []
    public var backup = false
    public var mutates = false
    public var optional = false
    public var preconditions: [String] = []
    /// Facts and captures that must be present before it runs.
    public var needsFacts: [String] = []
    public var needsCaptures: [String] = []
    public var parser: String?
    public var captures: [Capture] = []
    public var poll: Poll?

    public init(_ id: String, why: String, phase: Phase, argv: [String]) {
        self.id = id
        self.why = why
        self.phase = phase
        self.argv = argv
    }

    /// The operation (`put-bucket-policy`), as the change's summary names it.
    public var operation: String { argv.count > 2 ? argv[2] : id }

    /// Builder-style setters, so a table row reads as the runbook command it becomes.
    public func with(_ change: (inout FixCommand) -> Void) -> FixCommand {
        var copy = self
        change(&copy)
        return copy
    }
}

extension FixCommand {
    /// The runbook command for the kinds that share it: `when` is the kind (`equals`, or `in`
    /// for several), then `needs`.
    func runbookCommand(kinds: [String]) -> RunbookCommandDraft {
        let kind: RunbookCommandDraft.Condition = kinds.count == 1
            ? .equals(fact: "fix.kind", value: kinds[0]) : .isIn(fact: "fix.kind", values: kinds)
        var draft = RunbookCommandDraft(id: id, why: why,
                                        when: [kind] + needsFacts.map { .factPresent($0) } + needsCaptures.map { .capturePresent($0) },
                                        argv: argv)
        draft.resourceAccount = resourceAccount
        draft.optional = optional
        draft.mutates = mutates
        draft.preconditions = preconditions
        draft.answeredBy = answeredBy
        draft.backup = backup
        draft.parser = parser
        draft.captures = captures
        draft.poll = poll
        return draft
    }
}
