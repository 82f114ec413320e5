import Foundation
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTUI

/// Turns the session value into what the TUI shows: step rows, the proposed command (with the
/// before/after document of a change), the context banner, the findings table, the explanation
/// and the recommended policy with a reason per element. Everything shown is redacted.
///
/// ```swift
/// let view = GuidedSessionPresentation.view(of: session, pending: command, outputs: outputs,
///                                           context: ContextBanner(region: "us-east-1"), notice: nil)
/// ```
enum GuidedSessionPresentation {
    static let redactor = Redactor()

    static func view(of session: GuidedSession, pending: ProposedCommand?, outputs: [CommandOutput],
                     context: ContextBanner, notice: String?) -> SessionView {
        let engine = session.engine
        let current = engine.currentStepID
        let words = OperatorWords(engine.runbook)
        let retryable = Set(session.retryableSteps)
        let rows = engine.stepStates.map { entry in
            // Only an optional check failed (the simulator after a change): the step did its job, ✓.
            let optionalOnly = session.failedOnlyInOptionalCommands(entry.step.id)
            return StepRow(id: entry.step.id, title: entry.step.title,
                           status: optionalOnly ? .done : status(entry.status, current: entry.step.id == current),
                           guidance: entry.step.guidance.replacingOccurrences(of: "\n", with: " ")
                               .trimmingCharacters(in: .whitespaces),
                           why: optionalOnly ? Self.optionalFailureNote : why(entry.status).map { words.say(redactor.redact($0)) },
                           retryable: retryable.contains(entry.step.id))
        }
        var banner = context
        if let arn = engine.captures["caller_arn"]?.stringValue { banner.caller = arn }
        if let account = engine.captures["caller_account"]?.stringValue { banner.account = account }
        let finished: Bool
        let completed: Bool
        switch session.nextStep() {
        case .finished(let completion): finished = true; completed = completion == .completed
        case .halted: finished = true; completed = false
        default: finished = false; completed = false
        }
        // Stopped by a failed step, not merely past one: a lookup that found nothing fails over
        // to the next source (`goto`), and the session still completes.
        let stopped = finished && !completed && engine.stepStates.contains { if case .failed = $0.status { return true } else { return false } }
        return SessionView(steps: rows,
                           currentStep: current.flatMap { id in engine.runbook.steps.firstIndex { $0.id == id } },
                           proposal: pending.map { proposal(for: $0, session: session) },
                           context: banner,
                           findings: findings(session),
                           explanation: explanation(session).map(words.say),
                           recommendation: recommendation(session),
                           outputs: outputs,
                           finished: finished,
                           stopped: stopped,
                           notice: notice.map(words.say))
    }

    static let optionalFailureNote = "done; an optional check failed (noted in the findings, not needed for the step)"

    static func status(_ state: StepState, current: Bool) -> StepStatus {
        switch state {
        case .pending: current ? .running : .pending
        case .active: .running
        case .completed: .done
        case .completedWithFailures, .failed: .failed
        case .skipped, .notApplicable: .skipped
        }
    }

    /// Why a step did not run or did not finish, as the step list's details say it.
    static func why(_ state: StepState) -> String? {
        switch state {
        case .skipped(let reason): "skipped: " + reason
        case .failed(let reason): "failed: " + reason
        case .notApplicable: "not needed for this request (its condition did not hold)"
        case .pending, .active, .completed, .completedWithFailures: nil
        }
    }

    /// The gate's view of a command. A mutation carries the document it writes (and the one it
    /// replaces, when a backup command read it) and asks for the name of what it changes.
    static func proposal(for command: ProposedCommand, session: GuidedSession) -> CommandProposal {
        var change: PolicyChange?
        var word = "apply"
        if command.mutates, let deleted = deletedVersion(command.argv) {
            // Making room for a new version: the "after" is nothing, the version is gone.
            let policyName = deleted.arn.split(separator: "/").last.map(String.init) ?? deleted.arn
            word = "\(policyName)-\(deleted.version)"
            change = PolicyChange(target: "version \(deleted.version) of \(deleted.arn) (deleted; undo re-creates it as a new version)",
                                  before: backupDocument(session, for: command) ?? "", after: "")
        } else if command.mutates, session.engine.facts["fix.kind"] == nil {
            // A change before any fix is known (an Athena or Lake query start): name the operation.
            let line = AWSCommandLine(command.argv)
            word = [line.service, line.operation].compactMap { $0 }.joined(separator: "-")
        } else if command.mutates {
            let facts = session.engine.facts
            let target = facts["fix.bucket"]?.stringValue ?? facts["fix.role"]?.stringValue ?? facts["fix.policy_name"]?.stringValue
                ?? facts["fix.policy_arn"]?.stringValue ?? facts["principal.name"]?.stringValue
            if let target { word = target.split(separator: "/").last.map(String.init) ?? target }
            let after = facts["fix.policy_document"].map(pretty) ?? argumentDocument(command.argv) ?? ""
            let before = backupDocument(session, for: command) ?? ""
            change = PolicyChange(target: changeTarget(facts) ?? target ?? command.argv.prefix(3).joined(separator: " "),
                                  before: before, after: after)
        }
        return CommandProposal(id: command.id, stepID: command.stepID, argv: redactor.redact(argv: command.argv),
                               why: command.why, mutates: command.mutates, change: change, confirmWord: word)
    }

    /// What the change writes, in the operator's words ("inline policy P of role R"), from the
    /// fix's own application.
    static func changeTarget(_ facts: [String: JSONValue]) -> String? {
        FixApplications.application(forKind: facts["fix.kind"]?.stringValue)?.proposedTarget(FixContext(facts: facts))
    }

    /// A policy document passed inline (`--policy-document`, `--policy`), pretty-printed.
    static func argumentDocument(_ argv: [String]) -> String? {
        guard let text = RunbookChange.value("--policy-document", in: argv) ?? RunbookChange.value("--policy", in: argv) else { return nil }
        return (try? JSONValue.parse(text)).map(pretty) ?? text
    }

    /// `delete-policy-version`'s policy and version.
    static func deletedVersion(_ argv: [String]) -> (arn: String, version: String)? {
        guard RunbookChange.verb(argv) == "delete-policy-version", let arn = RunbookChange.value("--policy-arn", in: argv),
              let version = RunbookChange.value("--version-id", in: argv) else { return nil }
        return (arn, version)
    }

    /// The document the change replaces, as the step's backup read of the same policy got it (a
    /// bucket policy arrives as a JSON string inside `Policy`; IAM inline policies as
    /// `PolicyDocument`; managed policy versions as `PolicyVersion.Document`).
    static func backupDocument(_ session: GuidedSession, for command: ProposedCommand) -> String? {
        guard let read = ChangeBackup.read(for: command.argv, step: command.stepID, in: session.transcript),
              let document = ChangeBackup.policy(in: read.output) else { return nil }
        return CLIPolicyDocument.decode(document).map(pretty) ?? document.stringValue
    }

    static func pretty(_ value: JSONValue) -> String {
        if let text = value.stringValue, let parsed = try? JSONValue.parse(text) { return parsed.serialized(pretty: true) }
        return value.serialized(pretty: true)
    }

    static func findings(_ session: GuidedSession) -> [FindingRow] {
        // The report's rows, so the screen and the report name the same action and resource.
        (session.denials?.rows ?? []).map { row in
            FindingRow(time: row.time.isEmpty ? "?" : row.time, principal: row.principal.isEmpty ? "?" : row.principal,
                       action: row.action.isEmpty ? "?" : row.action, resource: row.resource ?? "—",
                       errorCode: row.errorCode.isEmpty ? "?" : row.errorCode)
        }
    }

    static func explanation(_ session: GuidedSession) -> [String] {
        var lines: [String] = []
        for finding in session.whyNoEvent {
            lines.append("No event: " + finding.explanation)
            if let command = finding.command {
                lines.append("  \(finding.commandChanges ? "To change it (changes the account; not run)" : "To look again (read-only; not run)"): \(ArgvDisplay.line(command))")
            }
        }
        if let analysis = session.analysis {
            lines.append(analysis.assessment)
            if let deciding = analysis.deciding { lines.append("Why: " + deciding.result.deciding.summary) }
            if let fix = analysis.fix {
                for condition in fix.failedConditions {
                    let had = condition.requestValues?.joined(separator: ", ") ?? "no value"
                    lines.append("Condition \(condition.operator) \(condition.key) \(condition.expectedValues.joined(separator: ", ")); the request had \(had). \(condition.advice)")
                }
                for edit in fix.denyEdits { lines.append(edit.description) }
                for warning in fix.warnings { lines.append("Warning: " + warning) }
            }
            lines += analysis.notes
        }
        lines += session.notes
        return lines.map(redactor.redact)
    }

    static func recommendation(_ session: GuidedSession) -> RecommendationView? {
        guard let fix = session.analysis?.fix else { return nil }
        var policy = ""
        var reasons: [RecommendationView.Reason] = []
        if let add = fix.policiesToAdd.first {
            policy = add.policy.serialized(pretty: true)
            reasons = add.reasons.map { .init(element: "\($0.element) = \($0.value)", reason: $0.reason) }
        } else if let edit = fix.denyEdits.first {
            policy = (edit.editedPolicy ?? edit.editedStatement ?? edit.statementJSON).serialized(pretty: true)
            reasons = [.init(element: words(for: edit.edit), reason: edit.description)]
            if let warning = edit.warning { reasons.append(.init(element: "warning", reason: warning)) }
        }
        for condition in fix.failedConditions {
            reasons.append(.init(element: "\(condition.operator) \(condition.key)", reason: condition.advice))
        }
        // The commands in full, each on its own: a reason line would cut them at the screen's edge.
        let commands = fix.commands.map { command in
            RecommendationView.FixCommandLine(purpose: command.purpose,
                                              line: ArgvDisplay.line(redactor.redact(argv: command.argv)),
                                              alternative: command.alternative)
        }
        // The same fix as code, where the change sticks for stacks and Terraform (`v` switches).
        let placed = fix.policiesToAdd.first.flatMap { add in
            session.analysis?.placements.first { $0.targetArn == add.attachmentTargetArn }?.code
        }
        let code = placed.map { [RecommendationView.Rendering(name: "Terraform", text: redactor.redact($0.terraform)),
                                 RecommendationView.Rendering(name: "CloudFormation", text: redactor.redact($0.cloudFormation))] } ?? []
        return RecommendationView(headline: fix.summary, policy: redactor.redact(policy), reasons: reasons,
                                  commands: commands, codeRenderings: code)
    }

    /// A Deny edit in the operator's words (the kind's identifier is internal).
    static func words(for edit: DenyEdit.Edit) -> String {
        switch edit {
        case .removeAction: "remove the action"
        case .addCondition: "exempt the caller"
        case .widenCondition: "widen the condition"
        }
    }
}
