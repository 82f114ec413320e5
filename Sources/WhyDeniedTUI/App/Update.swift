import Foundation
import WhyDeniedEvidence
import WhyDeniedSession

/// The guided session's UI logic: `update` turns a message into the next state plus the effects
/// to run, `view` (in View.swift) draws a state. Both are pure, so tests drive the whole UI with
/// messages and compare screens.
///
/// ```swift
/// var (state, effects) = Guided.update(state, .key(.function(6)))  // open the paste dialog
/// let screen = Guided.view(state)
/// ```
public enum Guided {
    public static func update(_ state: GuidedState, _ message: Message) -> (GuidedState, [Effect]) {
        var s = state
        var effects: [Effect] = []
        switch message {
        case .resized(let size):
            s.size = size
        case .tick(let date):
            s.now = date
        case .prefillReady(let fields, let denial):
            guard var dialog = s.paste, dialog.stage == .parsing else { break }
            dialog.detected = fields
            dialog.denial = denial
            dialog.accepted = fields.map { _ in true }
            dialog.selection = 0
            if fields.isEmpty {
                dialog.stage = .editing
                dialog.error = "Nothing recognisable: paste an AccessDenied error message or a CloudTrail event."
            } else {
                dialog.stage = .reviewing
                dialog.error = nil
            }
            s.paste = dialog
        case .prefillFailed(let reason):
            guard var dialog = s.paste, dialog.stage == .parsing else { break }
            dialog.stage = .editing
            dialog.error = reason
            s.paste = dialog
        case .sessionChanged(let view):
            receive(view, into: &s, effects: &effects)
        case .sessionFailed(let reason):
            s.starting = false
            s.running = nil
            s.status = reason
        case .commandFinished(let output):
            s.running = nil
            let took = String(format: "%.1fs", output.seconds)
            s.status = output.exitCode == 0
                ? "Done in \(took)" + (output.summary.map { ": " + $0 } ?? "")
                : "Exit \(output.exitCode) after \(took)" + (output.summary.map { ": " + $0 } ?? "") + " (o shows the output)"
        case .notice(let text):
            s.status = text
        case .key(let key):
            handle(key, in: &s, effects: &effects)
        }
        return (s, effects)
    }

    private static func receive(_ view: SessionView, into s: inout GuidedState, effects: inout [Effect]) {
        let previous = s.session?.proposal?.id
        if s.phase == .form { s.status = nil }
        s.session = view
        s.phase = .session
        s.starting = false
        guard let proposal = view.proposal else {
            s.gate = .choosing
            s.autoRunStep = nil
            return
        }
        if proposal.id != previous {
            s.gate = proposal.mutates ? .mutation(MutationDialog()) : .choosing
        }
        if s.autoRunStep != proposal.stepID { s.autoRunStep = nil }
        if s.autoRunStep != nil, !proposal.mutates, s.running == nil {
            run(proposal, in: &s, effects: &effects)
        }
    }

    private static func run(_ proposal: CommandProposal, in s: inout GuidedState, effects: inout [Effect]) {
        s.running = GuidedState.Running(proposal: proposal, startedAt: s.now)
        s.status = nil
        effects.append(.runCommand(proposal))
    }

    // MARK: keys

    private static func handle(_ key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        if let prompt = s.prompt {
            s.prompt = nil
            guard key == .character("y") || key == .character("Y") else { return }
            switch prompt {
            case .quit:
                if s.running != nil { effects.append(.cancelRunningCommand) }
                effects.append(.quit)
            case .enableChanges:
                s.changesEnabled = true
                s.status = "Changes enabled: mutating commands still need the typed word."
                effects.append(.setChangesEnabled(true))
            }
            return
        }
        if s.helpVisible {
            if [.escape, .character("?"), .character("q"), .function(1), .enter].contains(key) { s.helpVisible = false }
            return
        }
        switch key {
        case .control("c"):
            if var running = s.running {
                running.cancelling = true
                s.running = running
                effects.append(.cancelRunningCommand)
            } else {
                s.prompt = .quit
            }
            return
        case .function(10):
            s.prompt = .quit
            return
        case .function(1):
            s.helpVisible = true
            return
        default:
            break
        }
        if var pager = s.pager {
            if key == .character("?"), pager.searchInput == nil {
                s.helpVisible = true
                return
            }
            if pager.handle(key, pageHeight: pagerBodyHeight(s.size), pageWidth: s.size.width) { s.pager = pager } else { s.pager = nil }
            return
        }
        switch s.phase {
        case .form: handleForm(key, in: &s, effects: &effects)
        case .session: handleSession(key, in: &s, effects: &effects)
        }
    }

    static func pagerBodyHeight(_ size: TerminalSize) -> Int { max(1, size.height - 4) }

    private static func handleForm(_ key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        if s.paste != nil {
            handlePaste(key, in: &s, effects: &effects)
            return
        }
        if s.starting { return }
        switch key {
        case .function(2):
            let problems = s.form.problems(now: s.now)
            if problems.isEmpty {
                s.starting = true
                s.status = "Starting the session…"
                effects.append(.startSession(parameters: s.form.values, origins: s.form.origins, denial: s.form.sessionDenial))
            } else {
                s.form.triedToConfirm = true
                if let index = s.form.fields.firstIndex(where: { $0.name == problems[0].name }) { s.form.focus = index }
                s.status = "Not started: " + problems.map { "\($0.name) \($0.problem)" }.joined(separator: "; ")
            }
        case .function(6), .control("v"):
            s.paste = s.pasteDraft ?? PasteDialog()
            s.paste?.stage = .editing
        case .escape:
            s.prompt = .quit
        default:
            if s.form.handle(key) { s.status = nil }
        }
    }

    private static func handlePaste(_ key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        guard var dialog = s.paste else { return }
        switch dialog.stage {
        case .editing:
            switch key {
            case .function(2), .control("d"):
                if dialog.area.isBlank {
                    dialog.error = "Nothing pasted yet."
                } else {
                    dialog.stage = .parsing
                    dialog.error = nil
                    effects.append(.parsePastedText(dialog.area.text))
                }
            case .escape:
                // Closing keeps the text for the next F6.
                dialog.error = nil
                s.pasteDraft = dialog
                s.paste = nil
                return
            default:
                _ = dialog.area.handle(key)
            }
        case .parsing:
            if key == .escape { dialog.stage = .editing }
        case .reviewing:
            switch key {
            case .up, .character("k"): dialog.selection = max(0, dialog.selection - 1)
            case .down, .character("j"): dialog.selection = min(dialog.detected.count - 1, dialog.selection + 1)
            case .character(" "): dialog.accepted[dialog.selection].toggle()
            case .character("a"):
                dialog.accepted = dialog.detected.map { _ in true }
                apply(dialog, to: &s)
                return
            case .enter:
                apply(dialog, to: &s)
                return
            case .character("e"), .escape:
                dialog.stage = .editing
            default: break
            }
        }
        s.paste = dialog
        s.pasteDraft = dialog
    }

    private static func apply(_ dialog: PasteDialog, to s: inout GuidedState) {
        let fields = dialog.acceptedFields
        for field in fields {
            s.form.set(field.name, to: field.value, origin: ParameterOrigin(field))
        }
        // The parsed message goes with the pasted text; it is dropped if that field was not taken.
        if fields.contains(where: { $0.name == RunbookParameterName.errorMessage }) { s.form.pastedDenial = dialog.denial }
        s.pasteDraft = dialog
        s.paste = nil
        s.status = "Filled \(fields.count) field\(fields.count == 1 ? "" : "s") from the pasted text. Check them, then F2 starts."
    }

    private static func handleSession(_ key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        guard let session = s.session else { return }
        if key == .function(4) {
            toggleChanges(in: &s, effects: &effects)
            return
        }
        if key == .function(9) {
            exportReport(in: &s, effects: &effects)
            return
        }
        if let running = s.running {
            switch key {
            case .character("x"):
                s.running?.cancelling = true
                effects.append(.cancelRunningCommand)
            case .character("o"): openLastOutput(in: &s)
            case .character("?"): s.helpVisible = true
            default: s.status = "Running \(running.proposal.argv.prefix(3).joined(separator: " ")): x or Ctrl-C cancels."
            }
            return
        }
        guard let proposal = session.proposal else {
            switch key {
            case .character("r"):
                if let step = session.declinedChangeStep {
                    s.status = "Offering the declined change again…"
                    effects.append(.offerChangeAgain(stepID: step))
                } else {
                    s.status = "No declined change to offer again."
                }
            case .character("e"): exportReport(in: &s, effects: &effects)
            case .character("q"): s.prompt = .quit
            case .character("o"): openLastOutput(in: &s)
            case .character("f"): openFindings(in: &s)
            case .character("?"): s.helpVisible = true
            default: break
            }
            return
        }
        switch s.gate {
        case .choosing:
            switch key {
            case .enter, .character("y"), .function(5):
                run(proposal, in: &s, effects: &effects)
            case .character("s"), .function(8):
                s.gate = .skipReason(TextField())
            case .character("e"):
                s.gate = .editing(TextField(proposal.displayLine), problem: nil)
            case .character("a"):
                s.autoRunStep = proposal.stepID
                run(proposal, in: &s, effects: &effects)
            case .character("q"): s.prompt = .quit
            case .character("o"): openLastOutput(in: &s)
            case .character("f"): openFindings(in: &s)
            case .character("?"): s.helpVisible = true
            default: break
            }
        case .skipReason(var field):
            switch key {
            case .escape: s.gate = .choosing
            case .enter:
                let reason = field.text.trimmingCharacters(in: .whitespaces)
                if reason.isEmpty {
                    s.status = "Type why you skip it (it goes into the session record)."
                } else {
                    s.gate = .choosing
                    s.status = "Skipped: \(reason)"
                    effects.append(.skipCommand(proposal, reason: reason))
                }
            default:
                _ = field.handle(key)
                s.gate = .skipReason(field)
            }
        case .editing(var field, _):
            switch key {
            case .escape: s.gate = .choosing
            case .enter:
                switch CommandEdit.validate(field.text, replacing: proposal, changesEnabled: s.changesEnabled) {
                case .success(let edited) where edited.mutates && !proposal.mutates:
                    // The edit made a read into a change: it goes through the change dialog.
                    s.session?.proposal = edited
                    s.gate = .mutation(MutationDialog())
                    s.status = "Edited into a change: type \(edited.confirmWord) to run it, or Cancel."
                case .success(let edited):
                    s.session?.proposal = edited
                    s.gate = .choosing
                    s.status = "Edited. Enter runs the edited command."
                case .failure(let problem):
                    s.gate = .editing(field, problem: problem.description)
                }
            default:
                _ = field.handle(key)
                s.gate = .editing(field, problem: nil)
            }
        case .mutation(var dialog):
            let canRun = dialog.canRun(word: proposal.confirmWord, changesEnabled: s.changesEnabled)
            switch key {
            case .tab, .backTab, .left, .right:
                if canRun {
                    dialog.picked = dialog.focus(word: proposal.confirmWord, changesEnabled: s.changesEnabled) == .run ? .cancel : .run
                    s.gate = .mutation(dialog)
                } else {
                    s.status = s.changesEnabled ? "Type \(proposal.confirmWord) to enable Run."
                        : "The session is read-only: F4 enables changes."
                }
            case .escape:
                decline(proposal, in: &s, effects: &effects)
            case .enter:
                if dialog.focus(word: proposal.confirmWord, changesEnabled: s.changesEnabled) == .run {
                    run(proposal, in: &s, effects: &effects)
                } else {
                    decline(proposal, in: &s, effects: &effects)
                }
            default:
                let before = dialog.typed.text
                _ = dialog.typed.handle(key)
                // A new word: the focus follows it again.
                if dialog.typed.text != before { dialog.picked = nil }
                s.gate = .mutation(dialog)
            }
        }
    }

    private static func decline(_ proposal: CommandProposal, in s: inout GuidedState, effects: inout [Effect]) {
        s.gate = .choosing
        s.status = "Declined: nothing was changed. Once nothing waits, r offers it again."
        effects.append(.skipCommand(proposal, reason: "declined by the operator"))
    }

    private static func exportReport(in s: inout GuidedState, effects: inout [Effect]) {
        s.status = "Exporting the report…"
        effects.append(.exportReport)
    }

    private static func toggleChanges(in s: inout GuidedState, effects: inout [Effect]) {
        if s.changesEnabled {
            s.changesEnabled = false
            s.status = "Read-only again."
            effects.append(.setChangesEnabled(false))
        } else {
            s.prompt = .enableChanges
        }
    }

    private static func openLastOutput(in s: inout GuidedState) {
        guard let output = s.session?.outputs.last else {
            s.status = "No command output yet."
            return
        }
        s.pager = OutputPages.pager(for: output)
    }

    private static func openFindings(in s: inout GuidedState) {
        guard let session = s.session else { return }
        s.pager = Pager(title: "Findings and recommendation", lines: OutputPages.findingsLines(session))
    }
}
