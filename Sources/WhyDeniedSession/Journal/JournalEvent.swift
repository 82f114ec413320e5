import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook

/// Which command of which step an event is about. `item` tells the iterations of a `foreach`
/// apart (for example the policy ARN the command was run for).
///
/// ```swift
/// CommandRef(step: "check_iam", command: "policy_doc", item: "arn:aws:iam::111122223333:policy/app")
/// ```
public struct CommandRef: Sendable, Hashable, CustomStringConvertible {
    public var step: String
    public var command: String
    public var item: String?

    public init(step: String, command: String, item: String? = nil) {
        self.step = step
        self.command = command
        self.item = item
    }

    public var description: String {
        "\(step).\(command)" + (item.map { "[\($0)]" } ?? "")
    }
}

/// Where a parameter's value came from, so the report can say "region: us-east-1 (from the
/// pasted error)" and a resumed session knows what the operator typed.
///
/// ```swift
/// ParameterOrigin(source: .errorMessage, detail: "line 1, column 42")
/// ```
public struct ParameterOrigin: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, CaseIterable {
        case typed, errorMessage = "error_message", cloudTrailEvent = "cloudtrail_event"
        case defaultValue = "default", environment, captured, commandLine = "command_line"
        /// Read off `sts decode-authorization-message` output.
        case decodedMessage = "decoded_authorization_message"
    }

    public var source: Source
    public var detail: String?

    public init(source: Source, detail: String? = nil) {
        self.source = source
        self.detail = detail
    }

    /// A value read off pasted evidence, by the kind of evidence (typed by the prefill, never
    /// told from the origin's wording).
    public init(_ prefilled: PrefilledParameter) {
        let source: Source = switch prefilled.source {
        case .errorMessage: .errorMessage
        case .cloudTrailEvent: .cloudTrailEvent
        case .decodedMessage: .decodedMessage
        case .defaultValue: .defaultValue
        }
        self.init(source: source, detail: prefilled.origin)
    }

    public var description: String {
        let words: String
        switch source {
        case .typed: words = "typed by the operator"
        case .errorMessage: words = "from the pasted error message"
        case .cloudTrailEvent: words = "from the CloudTrail event"
        case .defaultValue: words = "default"
        case .environment: words = "from the environment"
        case .captured: words = "captured from a command's output"
        case .commandLine: words = "from the command line"
        case .decodedMessage: words = "from the decoded authorization message"
        }
        return detail.map { "\(words) (\($0))" } ?? words
    }
}

/// How a command ended: exit code, how long it took and where its (redacted) output was saved,
/// with the SHA-256 of each saved file.
///
/// ```swift
/// JournaledOutcome(exitCode: 0, durationMilliseconds: 812, stdoutPath: "outputs/0003-stdout.txt",
///                stdoutSHA256: "ba78…")
/// ```
public struct JournaledOutcome: Sendable, Hashable {
    public var exitCode: Int32
    public var durationMilliseconds: Int
    public var stdoutPath: String?
    public var stdoutSHA256: String?
    public var stderrPath: String?
    public var stderrSHA256: String?

    public init(exitCode: Int32, durationMilliseconds: Int, stdoutPath: String? = nil, stdoutSHA256: String? = nil,
                stderrPath: String? = nil, stderrSHA256: String? = nil) {
        self.exitCode = exitCode
        self.durationMilliseconds = durationMilliseconds
        self.stdoutPath = stdoutPath
        self.stdoutSHA256 = stdoutSHA256
        self.stderrPath = stderrPath
        self.stderrSHA256 = stderrSHA256
    }

    public var succeeded: Bool { exitCode == 0 }
}

/// A change made to the account: what was done, where the previous state was backed up, and
/// the argv lists that undo it, in order.
///
/// ```swift
/// AppliedChange(step: "implement", summary: "New default version v6 of app-policy",
///               target: "arn:aws:iam::111122223333:policy/app-policy",
///               argv: ["aws", "iam", "create-policy-version", ...],
///               backupPaths: ["backups/app-policy-v5.json"],
///               rollbackArgv: [["aws", "iam", "set-default-policy-version", ...]])
/// ```
public struct AppliedChange: Sendable, Hashable {
    public var step: String
    public var summary: String
    public var target: String
    public var argv: [String]
    public var backupPaths: [String]
    public var rollbackArgv: [[String]]

    public init(step: String, summary: String, target: String, argv: [String], backupPaths: [String],
                rollbackArgv: [[String]]) {
        self.step = step
        self.summary = summary
        self.target = target
        self.argv = argv
        self.backupPaths = backupPaths
        self.rollbackArgv = rollbackArgv
    }
}

/// One thing that happened in a session. Each becomes one line of the journal; replaying the
/// lines in order rebuilds the session (see `RecordedSession`).
///
/// ```swift
/// JournalEvent.commandFinished(CommandRef(step: "verify", command: "caller"),
///                              JournaledOutcome(exitCode: 0, durationMilliseconds: 640))
/// ```
public enum JournalEvent: Sendable, Hashable {
    case sessionStarted(runbook: String, changesEnabled: Bool)
    /// Where the commands go (endpoint, profile, region); right after `sessionStarted`.
    case connection(SessionConnection)
    /// The operator answered yes to "enable changes" (the session started read-only).
    case changesEnabled
    case operatorIdentified(callerARN: String)
    case parameterSet(name: String, value: String, origin: ParameterOrigin, secret: Bool)
    case commandProposed(CommandRef, argv: [String], mutates: Bool)
    case commandConfirmed(CommandRef)
    case commandDeclined(CommandRef, reason: String?)
    /// `classification`: whether the edited argv changes the account (nil in older journals).
    case commandEdited(CommandRef, argv: [String], classification: CommandClassification? = nil)
    /// `classification`: whether the argv that ran changes the account (nil in older journals).
    case commandStarted(CommandRef, argv: [String], classification: CommandClassification? = nil)
    case commandFinished(CommandRef, JournaledOutcome)
    case captured(CommandRef, name: String, value: JSONValue)
    case commandSkipped(CommandRef, reason: String)
    /// A `checks:` entry of a step: which tools were missing from PATH (none: all present).
    case toolsChecked(step: String, missing: [String])
    /// Facts handed to the step engine (from an analysis, or learned from pasted evidence).
    case factsLearned(step: String?, facts: JSONValue)
    case stepSkipped(step: String, reason: String)
    case stepCompleted(step: String)
    /// The step ended failed (a required command failed, or its analysis did).
    case stepFailed(step: String, reason: String)
    case analysisRecorded(step: String, name: String, result: JSONValue)
    case changeApplied(AppliedChange)
    case sessionEnded(reason: String)

    /// The `event` field of the journal line.
    public var kind: String {
        switch self {
        case .sessionStarted: "session_started"
        case .connection: "connection"
        case .changesEnabled: "changes_enabled"
        case .operatorIdentified: "operator_identified"
        case .parameterSet: "parameter_set"
        case .commandProposed: "proposed"
        case .commandConfirmed: "confirmed"
        case .commandDeclined: "declined"
        case .commandEdited: "edited"
        case .commandStarted: "started"
        case .commandFinished: "finished"
        case .captured: "captured"
        case .commandSkipped: "command_skipped"
        case .toolsChecked: "tools_checked"
        case .factsLearned: "facts_learned"
        case .stepSkipped: "skipped"
        case .stepCompleted: "step_completed"
        case .stepFailed: "step_failed"
        case .analysisRecorded: "analysis"
        case .changeApplied: "change_applied"
        case .sessionEnded: "session_ended"
        }
    }

    /// The step the event belongs to, if any.
    public var step: String? {
        switch self {
        case .sessionStarted, .connection, .changesEnabled, .operatorIdentified, .parameterSet, .sessionEnded: nil
        case .commandProposed(let ref, _, _), .commandConfirmed(let ref), .commandDeclined(let ref, _),
             .commandEdited(let ref, _, _), .commandStarted(let ref, _, _), .commandFinished(let ref, _),
             .captured(let ref, _, _), .commandSkipped(let ref, _):
            ref.step
        case .toolsChecked(let step, _): step
        case .factsLearned(let step, _): step
        case .stepSkipped(let step, _), .stepCompleted(let step), .stepFailed(let step, _), .analysisRecorded(let step, _, _): step
        case .changeApplied(let change): change.step
        }
    }
}

/// One line of the journal: sequence number, time, session id and the event.
///
/// ```swift
/// let entry = JournalEntry(sequence: 1, timestamp: Date(), session: "20261123-110300-4f2a",
///                          event: .stepCompleted(step: "verify"))
/// entry.jsonValue.serialized()  // {"seq":1,"ts":"2026-11-23T11:03:00.000Z",...,"event":"step_completed",...}
/// ```
public struct JournalEntry: Sendable, Hashable {
    public var sequence: Int
    public var timestamp: Date
    public var session: String
    public var event: JournalEvent

    public init(sequence: Int, timestamp: Date, session: String, event: JournalEvent) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.session = session
        self.event = event
    }
}
