import WhyDeniedJSON
import WhyDeniedRunbook

/// One write for the session folder, in the order the recorder decided it; `SessionJournal`
/// carries them out (the guided session's performer hands them to it as an effect).
public enum JournalWrite: Sendable, Equatable {
    case event(JournalEvent)
    /// Saves stdout (and stderr) under `outputs/`, then appends `finished` with their paths and
    /// digests (none for a file that could not be saved).
    case commandFinished(CommandRef, exitCode: Int32, durationMilliseconds: Int, stdout: OutputFile, stderr: OutputFile?)
    /// Saves the backup of what a change replaced, then appends `change_applied` (without the
    /// backup's path when it could not be saved).
    case changeApplied(AppliedChange, backup: BackupFile?)

    public struct OutputFile: Sendable, Equatable {
        /// The file's name under `outputs/` (`0003-check_iam.get_user.stdout.txt`).
        public var name: String
        public var text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    public struct BackupFile: Sendable, Equatable {
        /// Relative to the session folder (`backups/implement.backup_trust_policy.json`).
        public var relativePath: String
        public var document: JSONValue

        public init(relativePath: String, document: JSONValue) {
            self.relativePath = relativePath
            self.document = document
        }
    }
}

/// Decides what a session's journal says, without writing anything: turns what happens in a
/// session into `JournalWrite`s (events, and the output files to save with their names), in
/// order, and keeps what that needs — the output numbering, where the parameters came from,
/// where the commands go, and which steps' ends are journaled already. A pure value: the guided
/// model owns one and hands its writes out as an effect; the headless run carries them out at
/// once (`SessionJournal.record`).
///
/// ```swift
/// var recorder = JournalRecorder()
/// recorder.proposed(command)
/// journal.carryOut(recorder.takeWrites())
/// ```
public struct JournalRecorder: Sendable {
    /// Where the parameters came from, journaled with `parameter_set` (default: the command line).
    public var parameterOrigins: [String: ParameterOrigin] = [:]
    /// Where the commands go, journaled as `connection` right after `session_started`.
    public var connection: SessionConnection?
    /// False: the session is not journaled; nothing is kept to write.
    public let isOn: Bool
    private var writes: [JournalWrite] = []
    private var outputCount = 0
    /// Each step's end as last journaled.
    private var settledSteps: [String: JournalEvent] = [:]

    public init(isOn: Bool = true) {
        self.isOn = isOn
    }

    /// A session without a journal: every happening is dropped.
    public static var off: JournalRecorder { JournalRecorder(isOn: false) }

    /// The writes decided since the last call, in order; the caller carries them out.
    public mutating func takeWrites() -> [JournalWrite] {
        defer { writes = [] }
        return writes
    }

    // MARK: Happenings

    /// The commands go elsewhere from now on (a profile picked after a credentials failure):
    /// journaled again, so a resumed session reads the one in force last.
    public mutating func connectionChanged(to connection: SessionConnection) {
        self.connection = connection
        append(.connection(connection))
    }

    /// `session_started`, `connection` (when `connection` is set), one `parameter_set` per
    /// parameter (origin: `origins[name]`, else `parameterOrigins[name]`, else "from the command
    /// line") and the facts worked out from them before the first command. `changesEnabled`:
    /// whether the operator has enabled changes (the guided session's own switch; its session is
    /// never read-only, each change asks); nil, the session's read-only flag says it.
    public mutating func sessionStarted(_ session: GuidedSession, origins given: [String: ParameterOrigin] = [:],
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

    public mutating func toolsChecked(step: String, missing: [String]) {
        append(.toolsChecked(step: step, missing: missing))
    }

    public mutating func proposed(_ command: ProposedCommand) {
        append(.commandProposed(SessionJournal.ref(command), argv: command.argv, mutates: command.mutates))
    }

    public mutating func confirmed(_ command: ProposedCommand) {
        append(.commandConfirmed(SessionJournal.ref(command)))
    }

    /// `declined`: the operator said no to a change at the gate, with why.
    public mutating func declined(_ command: ProposedCommand, reason: String?) {
        append(.commandDeclined(SessionJournal.ref(command), reason: reason))
    }

    /// `edited`: the operator changed the arguments before running; `argv` is what will run and
    /// `classification` whether it changes the account.
    public mutating func edited(_ command: ProposedCommand, argv: [String], classification: CommandClassification) {
        append(.commandEdited(SessionJournal.ref(command), argv: argv, classification: classification))
    }

    /// `started`: `argv` is what runs, `classification` whether it changes the account.
    public mutating func started(_ command: ProposedCommand, argv: [String], classification: CommandClassification) {
        append(.commandStarted(SessionJournal.ref(command), argv: argv, classification: classification))
    }

    /// Its stdout (and stderr when there is any) to save under `outputs/`, numbered in the order
    /// commands finish, then `finished` with the exit and duration; `operator_identified` after
    /// a successful `sts get-caller-identity` (who ran the session, for the report).
    public mutating func finished(_ command: ProposedCommand, outcome: CommandOutcome) {
        guard isOn else { return }
        outputCount += 1
        let number = String(outputCount)
        let base = String(repeating: "0", count: max(0, 4 - number.count)) + number + "-"
            + command.id.map { $0.isLetter || $0.isNumber || "._-#".contains($0) ? $0 : "_" }
        writes.append(.commandFinished(
            SessionJournal.ref(command), exitCode: GuidedSession.exitStatus(outcome), durationMilliseconds: outcome.durationMilliseconds,
            stdout: JournalWrite.OutputFile(name: base + ".stdout.txt", text: outcome.stdout),
            stderr: outcome.stderr.isEmpty ? nil : JournalWrite.OutputFile(name: base + ".stderr.txt", text: outcome.stderr)))
        if outcome.succeeded, command.argv.contains("get-caller-identity"),
           let arn = (try? JSONValue.parse(outcome.stdout))?["Arn"]?.stringValue {
            append(.operatorIdentified(callerARN: arn))
        }
    }

    /// One `captured` per capture of the command whose value changed.
    public mutating func captured(_ command: ProposedCommand, before: [String: JSONValue], after: [String: JSONValue]) {
        for spec in command.captures {
            guard let value = after[spec.name], before[spec.name] != value else { continue }
            append(.captured(SessionJournal.ref(command), name: spec.name, value: value))
        }
    }

    public mutating func skipped(_ ref: CommandRef, reason: String) {
        append(.commandSkipped(ref, reason: reason))
    }

    /// `analysis` with the analysis's result, then `facts_learned` with the facts it added.
    public mutating func analysed(_ request: AnalysisRequest, result: JSONValue, factsBefore: [String: JSONValue],
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
    public mutating func analysisRecorded(step: String, name: String, result: JSONValue) {
        append(.analysisRecorded(step: step, name: name, result: result))
    }

    /// `change_applied`: what changed, its backups and the commands that undo it; `backup` is
    /// saved first.
    public mutating func changeApplied(_ change: AppliedChange, backup: JournalWrite.BackupFile? = nil) {
        guard isOn else { return }
        writes.append(.changeApplied(change, backup: backup))
    }

    /// The operator enabled changes (answered yes to the prompt).
    public mutating func changesEnabled() {
        append(.changesEnabled)
    }

    /// Each step's end as the engine settles it: completed, skipped or not needed (with why), or
    /// failed (with why). The report's steps come from these. Journaled once, and again only
    /// when a step tried again ends otherwise (failed, then completed).
    public mutating func stepsSettled(_ session: GuidedSession) {
        for (step, state) in session.engine.stepStates {
            let end: JournalEvent
            switch state {
            case .completed, .completedWithFailures: end = .stepCompleted(step: step.id)
            case .skipped(let reason): end = .stepSkipped(step: step.id, reason: reason)
            case .notApplicable: end = .stepSkipped(step: step.id, reason: "not needed for this request (its condition did not hold)")
            case .failed(let reason): end = .stepFailed(step: step.id, reason: reason)
            case .pending, .active: continue
            }
            guard settledSteps[step.id] != end else { continue }
            append(end)
            settledSteps[step.id] = end
        }
    }

    public mutating func sessionEnded(reason: String) {
        append(.sessionEnded(reason: reason))
    }

    // MARK: Helpers

    static func object(_ facts: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(facts.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
    }

    private mutating func append(_ event: JournalEvent) {
        if isOn { writes.append(.event(event)) }
    }
}
