import Foundation
import WhyDeniedJSON

/// How a key moves the selection in the focused step list.
public enum StepMove: Hashable, Sendable {
    case up, down, first, last
}

/// The step list as a place the keyboard can go (Tab): the operator picks any step and sees its
/// commands and their outputs (the right pane while it is selected, the pager on Enter), then
/// Tab or Esc goes back to the current step. Only where nothing modal waits: a change dialog, a
/// typed skip reason or edit, and the credentials box keep the keyboard.
extension Guided {
    static func canFocusSteps(_ s: GuidedState) -> Bool {
        guard s.phase == .session, let session = s.session, !session.steps.isEmpty, session.credentials == nil else { return false }
        if s.running != nil || session.proposal == nil { return true }
        if case .choosing = s.gate { return true }
        return false
    }

    /// The step `r` tries again: the selected one while the step list has the keys (a step that
    /// failed, ✗, whether it stopped the session or let it go on), otherwise the one that stopped
    /// the session. Nil while a command runs or the credentials box waits.
    static func retryTarget(_ s: GuidedState) -> String? {
        guard let session = s.session, s.running == nil, session.credentials == nil else { return nil }
        guard let focus = s.stepFocus, canFocusSteps(s) else { return session.retryableStep }
        guard session.steps.indices.contains(focus) else { return nil }
        let step = session.steps[focus]
        return step.retryable || step.id == session.retryableStep ? step.id : nil
    }

    /// Why `r` has no step to try again here, in one line.
    static func noRetryHint(_ s: GuidedState) -> String {
        guard let session = s.session else { return "No failed command to try again." }
        if s.running != nil { return "r tries a failed step again once the running command ends." }
        if let focus = s.stepFocus, session.steps.indices.contains(focus) {
            return "Step \(focus + 1) has no failed command to try again: r retries a step marked ✗."
        }
        if session.steps.contains(where: \.retryable) {
            return "To try a failed step (✗) again: Tab, select it with j/k, then r."
        }
        return "No failed command to try again."
    }

    /// A focus that no longer fits (a change dialog opened, the credentials box came) is let go.
    static func forgetStepFocusWhereItCannotBe(in s: inout GuidedState) {
        guard let focus = s.stepFocus else { return }
        if !canFocusSteps(s) {
            s.stepFocus = nil
        } else if let count = s.session?.steps.count {
            s.stepFocus = min(focus, count - 1)
        }
    }

    static func handleSteps(_ action: KeyAction, in s: inout GuidedState) {
        guard let session = s.session else { return }
        switch action {
        case .focusSteps:
            guard canFocusSteps(s) else { return }
            // The current step first; after the end, the last step that did something.
            s.stepFocus = session.currentStep
                ?? session.steps.lastIndex { $0.status != .pending } ?? 0
            s.status = nil
        case .leaveSteps:
            s.stepFocus = nil
            s.status = nil
        case .selectStep(let move):
            let last = session.steps.count - 1
            let now = s.stepFocus ?? 0
            switch move {
            case .up: s.stepFocus = max(0, now - 1)
            case .down: s.stepFocus = min(last, now + 1)
            case .first: s.stepFocus = 0
            case .last: s.stepFocus = last
            }
        case .openStep:
            guard let index = s.stepFocus, session.steps.indices.contains(index) else { return }
            s.pager = StepPages.pager(session, step: index)
            s.pagerSource = .step(session.steps[index].id)
        default: break
        }
    }

    /// The last output of the step the pager shows, or of the session (for `y`).
    static func pagerOutput(_ s: GuidedState) -> CommandOutput? {
        switch s.pagerSource {
        case .output: s.session?.outputs.last
        case .step(let id): s.session?.outputs.last { $0.proposal.stepID == id }
        default: nil
        }
    }
}

/// A step's page: what it is for, why it did not run or failed, then every command it ran this
/// session with its exit, time and full output (JSON pretty-printed), redacted again.
enum StepPages {
    static func outputs(of step: StepRow, in session: SessionView) -> [CommandOutput] {
        session.outputs.filter { $0.proposal.stepID == step.id }
    }

    static func pager(_ session: SessionView, step index: Int) -> Pager {
        let step = session.steps[index]
        var lines: [String] = []
        if let why = step.why { lines.append(why) }
        if !step.guidance.isEmpty { lines.append(step.guidance) }
        let outputs = outputs(of: step, in: session)
        if outputs.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append(step.status == .pending ? "Not reached yet: no command of this step has run."
                         : "No command of this step ran (its work needs no command, or it was skipped).")
        }
        for output in outputs {
            lines.append("")
            lines.append("$ " + output.proposal.displayLine)
            lines.append(resultLine(output))
            lines += body(output)
        }
        let title = "Step \(index + 1) of \(session.steps.count) · \(step.title) · \(step.status.rawValue)"
        return Pager(title: title, lines: lines)
    }

    static func resultLine(_ output: CommandOutput) -> String {
        "→ exit \(output.exitCode), " + String(format: "%.1fs", output.seconds) + (output.summary.map { " · " + $0 } ?? "")
    }

    private static func body(_ output: CommandOutput) -> [String] {
        var lines: [String] = []
        let stdout = OutputPages.redactor.redactOutput(output.stdout)
        let trimmed = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if (trimmed.first == "{" || trimmed.first == "["), let value = try? JSONValue.parse(trimmed) {
            lines += value.serialized(pretty: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } else if !trimmed.isEmpty {
            lines += stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        let stderr = OutputPages.redactor.redactOutput(output.stderr).trimmingCharacters(in: .newlines)
        if !stderr.isEmpty {
            lines.append("── stderr ──")
            lines += stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return lines
    }
}
