import Foundation
import WhyDeniedJSON

/// A session rebuilt from its journal: what the operator set, which commands ran with what
/// result, what was captured and concluded, and which changes were made. Resuming a session is
/// feeding `restoredResults` back into the step engine instead of running those commands again.
///
/// A mutating command is never counted as done unless its `finished` line is in the journal, and
/// even then it is not replayed: `commandsToRepropose` lists every command that must be proposed
/// again, after its step re-reads the current state.
///
/// ```swift
/// let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
/// session.parameters["principal"]?.value    // "app-role"
/// session.restoredResults[ref]?.outcome      // exit code, duration, saved output
/// session.commandsToRepropose                // e.g. an interrupted create-policy-version
/// ```
public struct RecordedSession: Sendable, Hashable {
    /// A parameter value and where it came from.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: String
        public var origin: ParameterOrigin
        public var secret: Bool
    }

    /// Where a command got to before the journal ended.
    public enum CommandStatus: Sendable, Hashable {
        case proposed, confirmed, declined(reason: String?), skipped(reason: String), started, finished(JournaledOutcome)
    }

    /// Everything recorded about one command (one `foreach` iteration counts as one command).
    public struct Command: Sendable, Hashable {
        public var ref: CommandRef
        public var argv: [String]
        public var mutates: Bool
        public var status: CommandStatus
        public var edited: Bool
        public var startedAt: Date?
        public var captures: [(name: String, value: JSONValue)]

        public var outcome: JournaledOutcome? {
            if case .finished(let outcome) = status { return outcome }
            return nil
        }

        public static func == (lhs: Command, rhs: Command) -> Bool {
            lhs.ref == rhs.ref && lhs.argv == rhs.argv && lhs.mutates == rhs.mutates && lhs.status == rhs.status
                && lhs.edited == rhs.edited && lhs.startedAt == rhs.startedAt
                && lhs.captures.map(\.name) == rhs.captures.map(\.name)
                && lhs.captures.map(\.value) == rhs.captures.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(ref)
            hasher.combine(argv)
            hasher.combine(status)
        }
    }

    public enum StepStatus: Sendable, Hashable {
        case inProgress, completed, skipped(reason: String), failed(reason: String)
    }

    public struct Step: Sendable, Hashable {
        public var id: String
        public var status: StepStatus

        public init(id: String, status: StepStatus) {
            self.id = id
            self.status = status
        }
    }

    public struct LearnedFacts: Sendable, Hashable {
        public var step: String?
        public var facts: JSONValue
    }

    public struct Analysis: Sendable, Hashable {
        public var step: String
        public var name: String
        public var result: JSONValue
    }

    /// Overall state, as `whydenied resume` lists it.
    public enum State: Sendable, Hashable, CustomStringConvertible {
        case empty
        case inProgress
        /// A command was started and never finished: the process died under it.
        case interrupted(CommandRef)
        case ended(reason: String)

        public var description: String {
            switch self {
            case .empty: "empty"
            case .inProgress: "in progress"
            case .interrupted(let ref): "interrupted during \(ref)"
            case .ended(let reason): "ended (\(reason))"
            }
        }
    }

    public var id: String
    public var runbook: String?
    public var startedAt: Date?
    public var lastActivityAt: Date?
    public var changesEnabled: Bool = false
    /// Where the commands went; nil for a journal written before this was recorded.
    public var connection: SessionConnection?
    /// When the operator enabled changes mid-session (nil: never, or enabled from the start).
    public var changesEnabledAt: Date?
    public var operatorARN: String?
    public var parameterOrder: [String] = []
    public var parameters: [String: Parameter] = [:]
    public var commands: [Command] = []
    public var steps: [Step] = []
    public var analyses: [Analysis] = []
    public var changes: [AppliedChange] = []
    /// Tool checks by step: the tools that were missing.
    public var toolChecks: [String: [String]] = [:]
    /// Facts given to the step engine, in order (`step` nil for facts learned outside a step).
    public var facts: [LearnedFacts] = []
    public var endReason: String?
    /// What the reader noticed (a dropped truncated line, malformed lines), to show the operator.
    public var notices: [JournalNotice] = []

    public init(id: String, reading: JournalReading) {
        self.id = id
        self.notices = reading.notices
        for entry in reading.entries { apply(entry) }
    }

    // MARK: Replay

    private mutating func apply(_ entry: JournalEntry) {
        if startedAt == nil { startedAt = entry.timestamp }
        lastActivityAt = entry.timestamp
        if let step = entry.event.step { touchStep(step) }
        switch entry.event {
        case .sessionStarted(let runbook, let changesEnabled):
            self.runbook = runbook
            self.changesEnabled = changesEnabled
            startedAt = entry.timestamp
        case .connection(let connection):
            self.connection = connection
        case .changesEnabled:
            changesEnabled = true
            if changesEnabledAt == nil { changesEnabledAt = entry.timestamp }
        case .operatorIdentified(let callerARN):
            operatorARN = callerARN
        case .parameterSet(let name, let value, let origin, let secret):
            if parameters[name] == nil { parameterOrder.append(name) }
            parameters[name] = Parameter(name: name, value: value, origin: origin, secret: secret)
        case .commandProposed(let ref, let argv, let mutates):
            // A new proposal of the same command starts it over (re-run, or re-proposed on resume).
            let fresh = Command(ref: ref, argv: argv, mutates: mutates, status: .proposed, edited: false,
                                startedAt: nil, captures: [])
            if let index = commands.lastIndex(where: { $0.ref == ref }) {
                commands[index] = fresh
            } else {
                commands.append(fresh)
            }
        case .commandConfirmed(let ref):
            updateCommand(ref) { $0.status = .confirmed }
        case .commandDeclined(let ref, let reason):
            updateCommand(ref) { $0.status = .declined(reason: reason) }
        case .commandEdited(let ref, let argv, let classification):
            updateCommand(ref) { command in
                command.argv = argv
                command.edited = true
                if let classification { command.mutates = classification.mutates }
            }
        case .commandStarted(let ref, let argv, let classification):
            updateCommand(ref) { command in
                command.argv = argv
                command.status = .started
                command.startedAt = entry.timestamp
                // What ran decides: an edit may have turned a read into a change.
                if let classification { command.mutates = classification.mutates }
            }
        case .commandFinished(let ref, let outcome):
            updateCommand(ref) { $0.status = .finished(outcome) }
        case .captured(let ref, let name, let value):
            updateCommand(ref) { command in
                command.captures.removeAll { $0.name == name }
                command.captures.append((name, value))
            }
        case .commandSkipped(let ref, let reason):
            updateCommand(ref) { $0.status = .skipped(reason: reason) }
        case .toolsChecked(let step, let missing):
            toolChecks[step] = missing
        case .factsLearned(let step, let learned):
            facts.append(LearnedFacts(step: step, facts: learned))
        case .stepSkipped(let step, let reason):
            setStep(step, .skipped(reason: reason))
        case .stepCompleted(let step):
            setStep(step, .completed)
        case .stepFailed(let step, let reason):
            setStep(step, .failed(reason: reason))
        case .analysisRecorded(let step, let name, let result):
            // A re-run replaces the earlier result of the same kind; one analysis may record several kinds.
            analyses.removeAll { $0.step == step && $0.name == name && $0.result["kind"] == result["kind"] }
            analyses.append(Analysis(step: step, name: name, result: result))
        case .changeApplied(let change):
            changes.append(change)
        case .sessionEnded(let reason):
            endReason = reason
        }
    }

    private mutating func updateCommand(_ ref: CommandRef, _ change: (inout Command) -> Void) {
        if let index = commands.lastIndex(where: { $0.ref == ref }) {
            change(&commands[index])
        } else {
            // A line whose proposal is missing (e.g. an older journal): keep what it says.
            var command = Command(ref: ref, argv: [], mutates: false, status: .proposed, edited: false,
                                  startedAt: nil, captures: [])
            change(&command)
            commands.append(command)
        }
    }

    private mutating func touchStep(_ id: String) {
        if !steps.contains(where: { $0.id == id }) { steps.append(Step(id: id, status: .inProgress)) }
    }

    private mutating func setStep(_ id: String, _ status: StepStatus) {
        touchStep(id)
        if let index = steps.firstIndex(where: { $0.id == id }) { steps[index].status = status }
    }

    // MARK: What resume needs

    /// Results to feed back into the step engine: every command that finished, with its outcome
    /// and captures. These are not run again.
    public var restoredResults: [CommandRef: Command] {
        var results: [CommandRef: Command] = [:]
        for command in commands where command.outcome != nil { results[command.ref] = command }
        return results
    }

    /// Captured values by step and name (`steps.<id>.<name>` in runbook templates). A later
    /// capture of the same name in the same step wins.
    public var captures: [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        for command in commands where command.outcome != nil {
            for capture in command.captures { result[command.ref.step, default: [:]][capture.name] = capture.value }
        }
        return result
    }

    /// Commands that were confirmed or started but have no result: they must be proposed again
    /// (never run automatically). For mutating ones the step re-reads the account first.
    public var commandsToRepropose: [Command] {
        commands.filter { command in
            switch command.status {
            case .confirmed, .started: true
            case .proposed: command.mutates
            case .declined, .skipped, .finished: false
            }
        }
    }

    /// The step the session got to last.
    public var lastStep: String? { steps.last?.id }

    public var state: State {
        if let endReason { return .ended(reason: endReason) }
        if commands.isEmpty && steps.isEmpty && parameters.isEmpty && runbook == nil { return .empty }
        if let interrupted = commands.last(where: { $0.status == .started }) { return .interrupted(interrupted.ref) }
        return .inProgress
    }

    /// The principal under investigation: the `principal` parameter, else the operator.
    public var principal: String? { parameters["principal"]?.value ?? operatorARN }
}

/// One line of `whydenied resume`'s list.
///
/// ```swift
/// store.listSessions().map(\.line)
/// // ["20261123-110300-4f2a9c  2026-11-23 11:03  app-role  check_iam  interrupted during check_iam.attached"]
/// ```
public struct SessionSummary: Sendable, Hashable {
    public var id: String
    public var startedAt: Date?
    public var principal: String?
    public var lastStep: String?
    public var state: String
    public var noticeCount: Int

    public init(_ session: RecordedSession) {
        id = session.id
        startedAt = session.startedAt
        principal = session.principal
        lastStep = session.lastStep
        state = session.state.description
        noticeCount = session.notices.count
    }
}
