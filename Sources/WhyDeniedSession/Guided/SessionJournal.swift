import Foundation
import WhyDeniedJSON
import WhyDeniedRunbook

/// The driver's side of the journal: turns what happens in a guided session into
/// `JournalEvent`s, saves each command's output (redacted, with its SHA-256) in the session
/// folder, and never stops the session over a write failure — a failure becomes a note
/// (`takeProblems()`), said once per distinct problem.
///
/// Every append is forced to disk by `JournalWriter` before it returns, so a command's
/// proposal, confirmation and start are on disk before the command runs. What is recorded is
/// enough to rebuild the session: parameters with their origin, every command's `CommandRef`
/// (step, command, `foreach` item), argv, exit, duration, saved stdout path + sha256, captures
/// (the capture's value after the command), facts learned and analysis results.
///
/// ```swift
/// let journal = try SessionJournal.create(in: SessionStore(environment: ProcessInfo.processInfo.environment))
/// await session.runHeadless(effects: runner, journal: journal) { print($0) }
/// print(journal.id)
/// ```
public final class SessionJournal: @unchecked Sendable {
    public let folder: SessionFolder
    private let writer: JournalWriter
    private let lock = NSLock()
    private var problems: [String] = []
    private var reported: Set<String> = []
    private var outputCount = 0
    private var origins: [String: ParameterOrigin] = [:]
    private var target: SessionConnection?
    /// Steps whose end is journaled already.
    private var settledSteps: Set<String> = []

    public init(folder: SessionFolder) throws {
        self.folder = folder
        writer = try JournalWriter(folder: folder)
    }

    /// A new session folder in `store`, with its journal.
    public static func create(in store: SessionStore, at date: Date = Date()) throws -> SessionJournal {
        try SessionJournal(folder: store.createSession(at: date))
    }

    public var id: String { folder.id }

    /// Where the parameters came from, journaled with `parameter_set` (default: the command line).
    public var parameterOrigins: [String: ParameterOrigin] {
        get { lock.lock(); defer { lock.unlock() }; return origins }
        set { lock.lock(); origins = newValue; lock.unlock() }
    }

    /// Where the commands go, journaled as `connection` right after `session_started`.
    public var connection: SessionConnection? {
        get { lock.lock(); defer { lock.unlock() }; return target }
        set { lock.lock(); target = newValue; lock.unlock() }
    }

    /// Where the session's trail log files are downloaded.
    public var downloadsPath: String { folder.url.appendingPathComponent("downloads", isDirectory: true).path }

    /// Write failures since the last call, as notes for the operator.
    public func takeProblems() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let taken = problems
        problems = []
        return taken
    }

    // MARK: Events

    /// The commands go elsewhere from now on (a profile picked after a credentials failure):
    /// journaled again, so a resumed session reads the one in force last.
    public func connectionChanged(to connection: SessionConnection) {
        self.connection = connection
        append(.connection(connection))
    }

    /// `session_started`, `connection` (when `connection` is set), one `parameter_set` per parameter (origin: `origins[name]`, else
    /// `parameterOrigins[name]`, else "from the command line") and the facts worked out from them
    /// before the first command. `changesEnabled`: whether the operator has enabled changes (the
    /// guided session's own switch; its session is never read-only, each change asks); nil, the
    /// session's read-only flag says it.
    public func sessionStarted(_ session: GuidedSession, origins given: [String: ParameterOrigin] = [:],
                               changesEnabled: Bool? = nil) {
        let origins = parameterOrigins.merging(given) { _, new in new }
        append(.sessionStarted(runbook: session.engine.runbook.id, changesEnabled: changesEnabled ?? !session.readOnly))
        if let connection { append(.connection(connection)) }
        for (name, value) in session.engine.parameters.sorted(by: { $0.key < $1.key }) {
            append(.parameterSet(name: name, value: value, origin: origins[name] ?? ParameterOrigin(source: .commandLine),
                                 secret: false))
        }
        if !session.engine.facts.isEmpty {
            append(.factsLearned(step: nil, facts: Self.object(session.engine.facts)))
        }
    }

    public func toolsChecked(step: String, missing: [String]) {
        append(.toolsChecked(step: step, missing: missing))
    }

    public func proposed(_ command: ProposedCommand) {
        append(.commandProposed(Self.ref(command), argv: command.argv, mutates: command.mutates))
    }

    public func confirmed(_ command: ProposedCommand) {
        append(.commandConfirmed(Self.ref(command)))
    }

    /// `declined`: the operator said no to a change (or skipped a read) at the gate, with why.
    public func declined(_ command: ProposedCommand, reason: String?) {
        append(.commandDeclined(Self.ref(command), reason: reason))
    }

    /// `edited`: the operator changed the arguments before running; `argv` is what will run and
    /// `classification` whether it changes the account.
    public func edited(_ command: ProposedCommand, argv: [String], classification: CommandClassification) {
        append(.commandEdited(Self.ref(command), argv: argv, classification: classification))
    }

    /// `started`: `argv` is what runs, `classification` whether it changes the account.
    public func started(_ command: ProposedCommand, argv: [String], classification: CommandClassification) {
        append(.commandStarted(Self.ref(command), argv: argv, classification: classification))
    }

    /// Saves stdout (and stderr when there is any) redacted under `outputs/`, then appends
    /// `finished` with the exit, duration, paths and digests.
    public func finished(_ command: ProposedCommand, outcome: CommandOutcome) {
        let number = nextOutputNumber()
        let base = String(format: "%04d-", number) + command.id.map { $0.isLetter || $0.isNumber || "._-#".contains($0) ? $0 : "_" }
        let stdout = save(outcome.stdout, name: base + ".stdout.txt")
        let stderr = outcome.stderr.isEmpty ? nil : save(outcome.stderr, name: base + ".stderr.txt")
        append(.commandFinished(Self.ref(command), JournaledOutcome(
            exitCode: GuidedSession.exitStatus(outcome), durationMilliseconds: outcome.durationMilliseconds,
            stdoutPath: stdout?.relativePath, stdoutSHA256: stdout?.sha256,
            stderrPath: stderr?.relativePath, stderrSHA256: stderr?.sha256)))
        // Who ran the session, for the report: the answer of `sts get-caller-identity`.
        if outcome.succeeded, command.argv.contains("get-caller-identity"),
           let arn = (try? JSONValue.parse(outcome.stdout))?["Arn"]?.stringValue {
            append(.operatorIdentified(callerARN: arn))
        }
    }

    /// One `captured` per capture of the command whose value changed.
    public func captured(_ command: ProposedCommand, before: [String: JSONValue], after: [String: JSONValue]) {
        for spec in command.captures {
            guard let value = after[spec.name], before[spec.name] != value else { continue }
            append(.captured(Self.ref(command), name: spec.name, value: value))
        }
    }

    public func skipped(_ ref: CommandRef, reason: String) {
        append(.commandSkipped(ref, reason: reason))
    }

    /// `analysis` with the analysis's result, then `facts_learned` with the facts it added.
    public func analysed(_ request: AnalysisRequest, result: JSONValue, factsBefore: [String: JSONValue],
                         factsAfter: [String: JSONValue]) {
        // An analysis with several conclusions (evaluation and recommendation) gives a list of
        // records, each journaled on its own so the report finds it by its kind.
        let records = result.arrayValue.flatMap { items in items.allSatisfy { $0["kind"] != nil } ? items : nil } ?? [result]
        for record in records {
            append(.analysisRecorded(step: request.stepID, name: request.name, result: record))
        }
        let learned = factsAfter.filter { factsBefore[$0.key] != $0.value }
        if !learned.isEmpty { append(.factsLearned(step: request.stepID, facts: Self.object(learned))) }
    }

    /// An analysis the driver ran itself (the offline check after a change), without engine facts.
    public func analysisRecorded(step: String, name: String, result: JSONValue) {
        append(.analysisRecorded(step: step, name: name, result: result))
    }

    /// `change_applied`: what changed, its backups and the commands that undo it.
    public func changeApplied(_ change: AppliedChange) {
        append(.changeApplied(change))
    }

    /// The operator enabled changes (answered yes to the prompt).
    public func changesEnabled() {
        append(.changesEnabled)
    }

    /// Each step's end, once, as the engine settles it: completed, skipped or not needed (with
    /// why), or failed (with why). The report's steps come from these.
    public func stepsSettled(_ session: GuidedSession) {
        for (step, state) in session.engine.stepStates where !settledSteps.contains(step.id) {
            switch state {
            case .completed, .completedWithFailures: append(.stepCompleted(step: step.id))
            case .skipped(let reason): append(.stepSkipped(step: step.id, reason: reason))
            case .notApplicable: append(.stepSkipped(step: step.id, reason: "not needed for this request (its condition did not hold)"))
            case .failed(let reason): append(.stepFailed(step: step.id, reason: reason))
            case .pending, .active: continue
            }
            settledSteps.insert(step.id)
        }
    }

    public func sessionEnded(reason: String) {
        append(.sessionEnded(reason: reason))
    }

    // MARK: Helpers

    public static func ref(_ command: ProposedCommand) -> CommandRef {
        CommandRef(step: command.stepID, command: command.commandID, item: command.item.map(itemText))
    }

    public static func ref(_ blocked: BlockedCommand) -> CommandRef {
        ref(proposalID: blocked.id, step: blocked.stepID)
    }

    /// From a proposal id (`step.command` or `step.command#N`): the `foreach` position as item.
    public static func ref(proposalID: String, step: String) -> CommandRef {
        let parts = proposalID.split(separator: "#", maxSplits: 1).map(String.init)
        let command = parts[0].hasPrefix(step + ".") ? String(parts[0].dropFirst(step.count + 1)) : parts[0]
        return CommandRef(step: step, command: command, item: parts.count > 1 ? "#\(parts[1])" : nil)
    }

    static func itemText(_ item: JSONValue) -> String {
        item.stringValue ?? item.serialized()
    }

    static func object(_ facts: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(facts.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
    }

    private func nextOutputNumber() -> Int {
        lock.lock()
        defer { lock.unlock() }
        outputCount += 1
        return outputCount
    }

    private func save(_ text: String, name: String) -> SessionFolder.SavedFile? {
        do {
            return try folder.saveOutput(text, name: name)
        } catch {
            problem("could not save output \(name): \(error.localizedDescription)")
            return nil
        }
    }

    private func append(_ event: JournalEvent) {
        do {
            try writer.append(event)
        } catch {
            problem("could not write the \(event.kind) event: \(error.localizedDescription)")
        }
    }

    private func problem(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let note = "journal \(folder.url.path): \(text)"
        if reported.insert(text).inserted { problems.append(note) }
    }
}
