import Foundation
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedSession

/// Everything a report says about one session, already redacted: built once from the journal,
/// then printed as Markdown (`markdown`) or JSON (`jsonValue`, schema `whydenied/report@1`).
///
/// ```swift
/// let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
/// let report = SessionReport(session: session, redactor: Redactor(maskAccountIDs: true), runbookDefinition: runbook)
/// print(report.markdown)
/// ```
public struct SessionReport: Sendable {
    public static let schema = "whydenied/report@1"

    public struct Summary: Sendable, Hashable {
        public var who: String?
        public var action: String?
        public var resource: String?
        public var when: String?
        public var verdict: String
        public var fix: String?
    }

    public struct ParameterLine: Sendable, Hashable {
        public var name: String
        public var value: String
        public var origin: String
        public var originDetail: String?
        public var originDescription: String
    }

    public struct CommandLine: Sendable, Hashable {
        public var step: String
        public var command: String
        public var item: String?
        public var argv: [String]
        public var mutates: Bool
        /// `proposed`, `confirmed`, `declined`, `started` (never finished) or `finished`.
        public var status: String
        public var declineReason: String?
        public var edited: Bool
        public var startedAt: Date?
        public var outcome: JournaledOutcome?
    }

    public struct SkippedStep: Sendable, Hashable {
        public var step: String
        public var reason: String
    }

    public struct OtherAnalysis: Sendable, Hashable {
        public var step: String
        public var name: String
        public var result: JSONValue
    }

    public var sessionID: String
    public var runbook: String?
    public var startedAt: Date?
    public var lastActivityAt: Date?
    public var state: String
    public var operatorARN: String?
    public var changesEnabled: Bool
    /// When the operator enabled changes mid-session (nil: never, or from the start).
    public var changesEnabledAt: Date?
    public var accountIDsMasked: Bool
    public var summary: Summary
    public var parameters: [ParameterLine]
    public var deniedRequests: [DeniedRequestRow]
    /// Why the trail had no event for the denial (the last lookup's findings), each with the
    /// command that would change it, not run.
    public var whyNoEvent: [NoEventFindingRecord]
    public var evaluation: EvaluationRecord?
    public var recommendation: RecommendationRecord?
    public var commands: [CommandLine]
    public var skippedSteps: [SkippedStep]
    public var changes: [AppliedChange]
    public var otherAnalyses: [OtherAnalysis]
    public var notices: [String]
    /// The steps the journal names, in the order it names them, with what became of each.
    public var steps: [RecordedSession.Step]
    /// The runbook's words for its step ids and command ids (nil: the runbook was not found, the
    /// ids are shown as they are).
    public var words: OperatorWords?

    public var openQuestions: [UndecidedKey] { evaluation?.undecidedKeys ?? [] }

    public init(session: RecordedSession, redactor: Redactor = Redactor(), runbookDefinition: Runbook? = nil) {
        func r(_ text: String) -> String { redactor.redact(text) }
        func r(_ text: String?) -> String? { text.map { redactor.redact($0) } }

        sessionID = session.id
        runbook = r(session.runbook)
        startedAt = session.startedAt
        lastActivityAt = session.lastActivityAt
        state = r(session.state.description)
        operatorARN = r(session.operatorARN)
        changesEnabled = session.changesEnabled
        changesEnabledAt = session.changesEnabledAt
        accountIDsMasked = redactor.maskAccountIDs

        parameters = session.parameterOrder.compactMap { name in
            guard let parameter = session.parameters[name] else { return nil }
            return ParameterLine(name: name, value: parameter.secret ? Redactor.placeholder : r(parameter.value),
                                 origin: parameter.origin.source.rawValue, originDetail: r(parameter.origin.detail),
                                 originDescription: r(parameter.origin.description))
        }

        var denied: [DeniedRequestRow] = []
        var whyNoEvent: [NoEventFindingRecord] = []
        var evaluation: EvaluationRecord?
        var recommendation: RecommendationRecord?
        var others: [OtherAnalysis] = []
        for analysis in session.analyses {
            // Redact the raw result first, then read it: nothing unredacted gets into the model.
            let result = redactor.redact(analysis.result)
            if let record = DeniedRequestsRecord(jsonValue: result) {
                denied.append(contentsOf: record.rows)
                // A later lookup (a resumed session's) replaces what an earlier one concluded.
                whyNoEvent = record.whyNoEvent
            } else if let record = EvaluationRecord(jsonValue: result) {
                evaluation = record
            } else if let record = RecommendationRecord(jsonValue: result) {
                recommendation = record
            } else {
                others.append(OtherAnalysis(step: analysis.step, name: analysis.name, result: result))
            }
        }
        deniedRequests = denied
        self.whyNoEvent = whyNoEvent
        self.evaluation = evaluation
        self.recommendation = recommendation
        otherAnalyses = others

        commands = session.commands.map { command in
            let status: String
            var declineReason: String?
            switch command.status {
            case .proposed: status = "proposed"
            case .confirmed: status = "confirmed"
            case .declined(let reason): status = "declined"; declineReason = r(reason)
            case .skipped(let reason): status = "skipped"; declineReason = redactor.redact(reason)
            case .started: status = "started"
            case .finished: status = "finished"
            }
            return CommandLine(step: command.ref.step, command: command.ref.command, item: r(command.ref.item),
                               argv: redactor.redact(argv: command.argv), mutates: command.mutates, status: status,
                               declineReason: declineReason, edited: command.edited, startedAt: command.startedAt,
                               outcome: command.outcome)
        }
        skippedSteps = session.steps.compactMap { step in
            if case .skipped(let reason) = step.status { return SkippedStep(step: step.id, reason: r(reason)) }
            return nil
        }
        changes = session.changes.map { change in
            AppliedChange(step: change.step, summary: r(change.summary), target: r(change.target),
                          argv: redactor.redact(argv: change.argv), backupPaths: change.backupPaths.map(r),
                          rollbackArgv: change.rollbackArgv.map { redactor.redact(argv: $0) })
        }
        notices = session.notices.map { r($0.description) }
        steps = session.steps.map { step in
            switch step.status {
            case .skipped(let reason): RecordedSession.Step(id: step.id, status: .skipped(reason: r(reason)))
            case .failed(let reason): RecordedSession.Step(id: step.id, status: .failed(reason: r(reason)))
            case .inProgress, .completed: step
            }
        }
        // The runbook the session ran, not another one that happens to be found.
        words = session.operatorWords(runbookDefinition)

        let first = denied.first
        let parameter = { (name: String) in session.parameters[name].map { r($0.value) } }
        summary = Summary(
            who: parameter("principal") ?? first?.principal,
            action: parameter("action") ?? first?.action,
            resource: parameter("resource") ?? first?.resource,
            when: first?.time ?? parameter("time_frame"),
            verdict: evaluation?.verdict ?? "not evaluated",
            fix: recommendation?.summary)
    }
}
