import Foundation
import WhyDeniedJSON
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedSession

/// The guided session's record on disk: a session folder with `journal.jsonl` (one event per
/// line), redacted command outputs under `outputs/`, and the exported reports. A failure to
/// write is kept as a notice instead of stopping the session.
///
/// ```swift
/// let journal = try GuidedSessionJournal.open(environment: ProcessInfo.processInfo.environment)
/// journal.proposed(command)
/// print(journal.exportReport())  // "Report written to …/report.md and …/report.json"
/// ```
final class GuidedSessionJournal: @unchecked Sendable {
    let folder: SessionFolder
    private let writer: JournalWriter
    private let lock = NSLock()
    private(set) var problems: [String] = []

    private init(folder: SessionFolder, writer: JournalWriter) {
        self.folder = folder
        self.writer = writer
    }

    static func open(environment: [String: String]) throws -> GuidedSessionJournal {
        let folder = try SessionStore(environment: environment).createSession()
        return GuidedSessionJournal(folder: folder, writer: try JournalWriter(folder: folder))
    }

    private func append(_ event: JournalEvent) {
        lock.lock()
        defer { lock.unlock() }
        do { _ = try writer.append(event) } catch { problems.append("\(event.kind): \(error)") }
    }

    static func ref(_ command: ProposedCommand) -> CommandRef {
        CommandRef(step: command.stepID, command: command.commandID, item: command.iteration.map(String.init))
    }

    func sessionStarted(runbook: String, changesEnabled: Bool, parameters: [String: String], prefilled: Set<String>) {
        append(.sessionStarted(runbook: runbook, changesEnabled: changesEnabled))
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            let origin = ParameterOrigin(source: prefilled.contains(name) ? .commandLine : .typed)
            append(.parameterSet(name: name, value: value, origin: origin, secret: false))
        }
    }

    func operatorIdentified(_ arn: String) { append(.operatorIdentified(callerARN: arn)) }

    func proposed(_ command: ProposedCommand) {
        append(.commandProposed(Self.ref(command), argv: command.argv, mutates: command.mutates))
    }

    func confirmed(_ command: ProposedCommand, editedArgv: [String]?) {
        let ref = Self.ref(command)
        append(.commandConfirmed(ref))
        if let editedArgv { append(.commandEdited(ref, argv: editedArgv)) }
        append(.commandStarted(ref, argv: editedArgv ?? command.argv))
    }

    func finished(_ command: ProposedCommand, outcome: CommandOutcome) {
        let ref = Self.ref(command)
        var journaled = JournaledOutcome(exitCode: Int32(Self.exitStatus(outcome)),
                                         durationMilliseconds: outcome.durationMilliseconds)
        let name = command.id.replacingOccurrences(of: "#", with: "-")
        if let saved = try? folder.saveOutput(outcome.stdout, name: name + ".stdout") {
            journaled.stdoutPath = saved.relativePath
            journaled.stdoutSHA256 = saved.sha256
        }
        if !outcome.stderr.isEmpty, let saved = try? folder.saveOutput(outcome.stderr, name: name + ".stderr") {
            journaled.stderrPath = saved.relativePath
            journaled.stderrSHA256 = saved.sha256
        }
        append(.commandFinished(ref, journaled))
    }

    /// Skipped by the operator (with the reason), or a change declined in the dialog.
    func skipped(_ command: ProposedCommand, reason: String) {
        if command.mutates {
            append(.commandDeclined(Self.ref(command), reason: reason))
        } else {
            append(.commandSkipped(Self.ref(command), reason: reason))
        }
    }

    func blocked(_ blocked: BlockedCommand) {
        append(.commandSkipped(CommandRef(step: blocked.stepID, command: blocked.commandID), reason: blocked.reason))
    }

    func toolsChecked(step: String, missing: [String]) { append(.toolsChecked(step: step, missing: missing)) }

    func changesEnabled(_ enabled: Bool) {
        append(.factsLearned(step: nil, facts: .object(JSONObject([("changes_enabled", .bool(enabled))]))))
    }

    /// The analysis results the report can present: the denied-requests table and the
    /// recommendation with its reasons.
    func analysis(_ request: AnalysisRequest, session: GuidedSession) {
        switch request.name {
        case "summarize_denials":
            let rows = GuidedSessionPresentation.findings(session).map {
                DeniedRequestRow(time: $0.time, principal: $0.principal, action: $0.action,
                                 resource: $0.resource == "—" ? nil : $0.resource, errorCode: $0.errorCode,
                                 source: "cloudtrail")
            }
            append(.analysisRecorded(step: request.stepID, name: request.name,
                                     result: DeniedRequestsRecord(rows: rows).jsonValue))
        case "recommend_fix":
            guard let recommendation = GuidedSessionPresentation.recommendation(session) else {
                append(.analysisRecorded(step: request.stepID, name: request.name,
                                         result: .object(JSONObject([("explanation", .array(GuidedSessionPresentation.explanation(session).map { .string($0) }))]))))
                return
            }
            let document = (try? JSONValue.parse(recommendation.policy)) ?? .string(recommendation.policy)
            let record = RecommendationRecord(summary: recommendation.headline, document: document,
                                              reasons: recommendation.reasons.map { RecommendationReason(element: $0.element, reason: $0.reason) })
            append(.analysisRecorded(step: request.stepID, name: request.name, result: record.jsonValue))
        default:
            append(.analysisRecorded(step: request.stepID, name: request.name, result: .object(JSONObject())))
        }
    }

    func ended(reason: String) { append(.sessionEnded(reason: reason)) }

    /// Writes report.md and report.json next to the journal; returns what to tell the operator.
    func exportReport() -> String {
        do {
            let markdown = try ReportExport.write(folder: folder, format: .markdown, maskAccountIDs: false)
            let json = try ReportExport.write(folder: folder, format: .json, maskAccountIDs: false)
            return "Report written to \(markdown.url.path) and \(json.url.lastPathComponent)"
        } catch {
            return "Export failed: \(error)"
        }
    }

    /// The CLI's exit code, or the conventional shell code for how the command ended.
    static func exitStatus(_ outcome: CommandOutcome) -> Int {
        switch outcome.ending {
        case .exited(let code): Int(code)
        case .signalled(let signal): 128 + Int(signal)
        case .timedOut: 124
        case .cancelled: 130
        case .notStarted: 127
        }
    }
}
