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
            refreshFindings(in: &s)
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
        case .eventFileLoaded(let path, let fields, let notes):
            guard s.eventFile?.stage == .reading else { break }
            // The same review as a paste: the operator takes all fields or some.
            var dialog = PasteDialog()
            dialog.source = path
            dialog.detected = fields
            dialog.accepted = fields.map { _ in true }
            dialog.notes = notes
            dialog.stage = .reviewing
            s.eventFile = nil
            s.paste = dialog
        case .eventFileFailed(_, let reason):
            guard var prompt = s.eventFile, prompt.stage == .reading else { break }
            prompt.stage = .editing
            prompt.error = reason
            s.eventFile = prompt
        case .pathCompleted(let typed, let completion):
            // An answer for a path the operator has since changed is stale.
            guard var prompt = s.eventFile, prompt.stage == .editing, prompt.completing == typed else { break }
            let load = prompt.loadWhenCompleted
            prompt.completing = nil
            prompt.loadWhenCompleted = false
            guard prompt.field.text == typed else {
                s.eventFile = prompt
                break
            }
            if completion.text != typed { prompt.field.text = completion.text }
            prompt.candidates = completion.candidates
            prompt.error = completion.problem
            s.eventFile = prompt
            if load { handleEventFile(.loadEventFile, in: &s, effects: &effects) }
        case .sessionChanged(let view):
            receive(view, into: &s, effects: &effects)
            refreshFindings(in: &s)
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
        case .paste(let text):
            receivePaste(text, in: &s, effects: &effects)
        case .mouse(let event):
            handleMouse(event, in: &s, effects: &effects)
        }
        forgetStepFocusWhereItCannotBe(in: &s)
        forgetListSearchWithoutList(in: &s)
        return (s, effects)
    }

    /// A bracketed paste. On the form, text the paste reader recognises (an error message, a
    /// CloudTrail event: `PastedEvidence`, the paste dialog's own reader) opens the paste dialog
    /// with what it found; other text goes into the field that has the focus, as typing would,
    /// on one line. In the paste dialog the text keeps its lines.
    private static func receivePaste(_ text: String, in s: inout GuidedState, effects: inout [Effect]) {
        if s.prompt != nil {
            s.prompt = nil
            return
        }
        let contexts = KeyMap.contexts(s)
        let oneLine = String(text.filter { $0 != "\r" }.map { $0.isNewline || $0 == "\t" ? " " : $0 })
            .trimmingCharacters(in: .whitespaces)
        if contexts.contains(.eventFile) || contexts.contains(.pagerSearch) {
            for character in oneLine { unbound(.character(character), in: &s) }
            return
        }
        if contexts.contains(.form), s.paste == nil, !s.starting {
            let read = PastedEvidence.read(text, now: s.now)
            if case .prefillReady = read {
                var dialog = s.pasteDraft ?? PasteDialog()
                dialog.area = TextArea(text)
                dialog.stage = .parsing
                dialog.error = nil
                s.paste = dialog
                s.pasteDraft = dialog
                let (next, more) = update(s, read)
                s = next
                effects += more
                return
            }
            for character in oneLine { _ = s.form.handle(.character(character)) }
            s.status = nil
            return
        }
        if contexts.contains(.pasteText), var dialog = s.paste {
            for character in text where character != "\r" {
                _ = dialog.area.handle(character.isNewline ? .enter : .character(character))
            }
            s.paste = dialog
            s.pasteDraft = dialog
            return
        }
        if contexts.contains(.gateText) || contexts.contains(.changeDialog) || contexts.contains(.listSearch) {
            for character in oneLine { unbound(.character(character), in: &s) }
            return
        }
        let hint = "Pasted text has nowhere to go here: paste on the form (F6 opens the paste dialog)."
        if s.pager != nil, !s.helpVisible { s.pager?.message = hint } else { s.status = hint }
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

    /// Every key goes through the key table (`KeyMap.action`); keys it does not bind are text
    /// for the field that has the focus, or, where nothing takes text, a one-line hint.
    static func handle(_ key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        // A question waits: any key its bindings do not name is a no.
        if s.prompt != nil, KeyMap.action(for: key, in: s) == nil {
            s.prompt = nil
            return
        }
        guard let action = KeyMap.action(for: key, in: s) else {
            if let hint = KeyMap.unavailableHint(for: key, in: s) {
                s.status = hint
            } else {
                unbound(key, in: &s)
            }
            return
        }
        perform(action, key: key, in: &s, effects: &effects)
    }

    /// A key with no action here: text for the field that takes it, otherwise a hint.
    private static func unbound(_ key: Key, in s: inout GuidedState) {
        let contexts = KeyMap.contexts(s)
        if contexts.contains(.pagerSearch) {
            s.pager?.typeSearch(key)
            return
        }
        if contexts.contains(.eventFile), var prompt = s.eventFile {
            if prompt.stage == .editing, prompt.field.handle(key) {
                prompt.candidates = []
                prompt.error = nil
                prompt.loadWhenCompleted = false
            }
            s.eventFile = prompt
            return
        }
        if contexts.contains(.form), s.paste == nil, !s.starting {
            if s.form.handle(key) { s.status = nil }
            return
        }
        if contexts.contains(.listSearch) {
            typeListSearch(key, in: &s)
            return
        }
        if contexts.contains(.pasteText) {
            _ = s.paste?.area.handle(key)
            s.pasteDraft = s.paste
            return
        }
        if contexts.contains(.gateText) {
            switch s.gate {
            case .skipReason(var field):
                _ = field.handle(key)
                s.gate = .skipReason(field)
            case .editing(var field, _):
                _ = field.handle(key)
                s.gate = .editing(field, problem: nil)
            default: break
            }
            return
        }
        if contexts.contains(.changeDialog), case .mutation(var dialog) = s.gate {
            let before = dialog.typed.text
            _ = dialog.typed.handle(key)
            // A new word: the focus follows it again.
            if dialog.typed.text != before { dialog.picked = nil }
            s.gate = .mutation(dialog)
            return
        }
        let hint = "\(key.name) does nothing here · ? shows the keys"
        if s.pager != nil, !s.helpVisible { s.pager?.message = hint } else { s.status = hint }
    }

    private static func perform(_ action: KeyAction, key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        switch action {
        case .help:
            s.helpVisible = true
            s.helpTop = 0
        case .closeHelp: s.helpVisible = false
        case .helpScroll(let scroll): scrollHelp(scroll, in: &s)
        case .quit: s.prompt = .quit
        case .cancelOrQuit:
            if var running = s.running {
                running.cancelling = true
                s.running = running
                effects.append(.cancelRunningCommand)
            } else {
                s.prompt = .quit
            }
        case .listSearch(let search): handleListSearch(search, in: &s)
        case .pager(let scroll):
            s.pager?.perform(scroll, pageHeight: pagerBodyHeight(s.size), pageWidth: s.size.width)
        case .back:
            s.pager = nil
            s.pagerSource = nil
        case .copy: copy(in: &s, effects: &effects)
        case .fixView: switchFixView(in: &s)
        case .start, .nextField, .previousField, .editField, .openPaste:
            handleForm(action, key: key, in: &s, effects: &effects)
        case .openEventFile, .completePath, .loadEventFile, .closeEventFile:
            handleEventFile(action, in: &s, effects: &effects)
        case .readPaste, .closePaste, .newline, .editPasteText, .chooseUp, .chooseDown, .toggleField, .acceptAll, .acceptChecked,
             .editPasteAgain:
            handlePaste(action, key: key, in: &s, effects: &effects)
        case .toggleChanges: toggleChanges(in: &s, effects: &effects)
        case .exportReport: exportReport(in: &s, effects: &effects)
        case .lastOutput: openLastOutput(in: &s)
        case .findings: openFindings(in: &s)
        case .cancelCommand:
            s.running?.cancelling = true
            effects.append(.cancelRunningCommand)
        case .offerAgain:
            guard let step = s.session?.declinedChangeStep else { return }
            s.status = "Offering the declined change again…"
            effects.append(.offerChangeAgain(stepID: step))
        case .run, .skip, .editCommand, .runAllReadOnly, .confirmText, .backFromText, .switchButton, .decline,
             .confirmChange:
            handleGate(action, in: &s, effects: &effects)
        case .profileUp, .profileDown, .useProfile, .checkCredentialsAgain:
            handleCredentials(action, in: &s, effects: &effects)
        case .focusSteps, .leaveSteps, .openStep, .selectStep:
            handleSteps(action, in: &s)
        case .yes, .quitAgain: answerYes(in: &s, effects: &effects)
        case .no: s.prompt = nil
        case .retryFailed:
            guard let step = retryTarget(s) else { return }
            s.stepFocus = nil
            s.status = step == s.session?.retryableStep ? "Proposing the failed command again…"
                : "Trying the failed step again: its failed commands come to the gate…"
            effects.append(.retryFailedStep(stepID: step))
        }
    }

    /// Yes to the question that waits (Ctrl-C twice quits, as in most terminal programs).
    private static func answerYes(in s: inout GuidedState, effects: inout [Effect]) {
        guard let prompt = s.prompt else { return }
        s.prompt = nil
        switch prompt {
        case .quit:
            if s.running != nil { effects.append(.cancelRunningCommand) }
            effects.append(.quit)
        case .enableChanges:
            s.changesEnabled = true
            s.status = "Changes enabled: mutating commands still need the typed word."
            effects.append(.setChangesEnabled(true))
        }
    }

    static func pagerBodyHeight(_ size: TerminalSize) -> Int { max(1, size.height - 4) }

    static func scrollHelp(_ scroll: PagerAction, in s: inout GuidedState) {
        let body = HelpScreen.bodyHeight(s.size)
        let count = KeyMap.helpLines(s, width: HelpScreen.box(Guided.body(s.size)).width - 4).count
        let last = max(0, count - body)
        switch scroll {
        case .lineDown: s.helpTop += 1
        case .lineUp: s.helpTop -= 1
        case .pageDown, .halfDown: s.helpTop += body / 2
        case .pageUp, .halfUp: s.helpTop -= body / 2
        case .top: s.helpTop = 0
        case .bottom: s.helpTop = last
        default: break
        }
        s.helpTop = max(0, min(s.helpTop, last))
    }

    private static func handleForm(_ action: KeyAction, key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        if s.starting { return }
        switch action {
        case .start:
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
        case .openPaste:
            s.paste = s.pasteDraft ?? PasteDialog()
            s.paste?.stage = .editing
        case .nextField: s.form.moveFocus(by: 1)
        case .previousField: s.form.moveFocus(by: -1)
        default:
            if s.form.handle(key) { s.status = nil }
        }
    }

    private static func handleEventFile(_ action: KeyAction, in s: inout GuidedState, effects: inout [Effect]) {
        if action == .openEventFile {
            guard !s.starting else { return }
            s.eventFile = EventFilePrompt(path: s.lastEventFilePath)
            s.status = nil
            return
        }
        guard var prompt = s.eventFile else { return }
        s.lastEventFilePath = prompt.field.text
        switch action {
        case .closeEventFile:
            s.eventFile = nil
            return
        case .completePath:
            guard prompt.stage == .editing else { return }
            prompt.completing = prompt.field.text
            effects.append(.completePath(prompt.field.text))
        case .loadEventFile:
            guard prompt.stage == .editing else { return }
            if prompt.completing == prompt.field.text {
                prompt.loadWhenCompleted = true
            } else if prompt.field.text.trimmingCharacters(in: .whitespaces).isEmpty {
                prompt.error = "Type the path of a CloudTrail event file first (Tab completes)."
            } else {
                prompt.stage = .reading
                prompt.error = nil
                prompt.candidates = []
                effects.append(.loadEventFile(prompt.field.text))
            }
        default: break
        }
        s.eventFile = prompt
    }

    private static func handlePaste(_ action: KeyAction, key: Key, in s: inout GuidedState, effects: inout [Effect]) {
        guard var dialog = s.paste else { return }
        switch action {
        case .newline, .editPasteText: _ = dialog.area.handle(key)
        case .readPaste:
            if dialog.area.isBlank {
                dialog.error = "Nothing pasted yet."
            } else {
                dialog.stage = .parsing
                dialog.error = nil
                effects.append(.parsePastedText(dialog.area.text))
            }
        case .closePaste:
            // Closing keeps the text for the next F6.
            dialog.error = nil
            s.pasteDraft = dialog
            s.paste = nil
            return
        case .editPasteAgain:
            // Fields read from a file: back to its path, the pasted text stays as it was.
            if let source = dialog.source {
                s.paste = nil
                s.eventFile = EventFilePrompt(path: source)
                return
            }
            dialog.stage = .editing
        case .chooseUp: dialog.selection = max(0, dialog.selection - 1)
        case .chooseDown: dialog.selection = min(dialog.detected.count - 1, dialog.selection + 1)
        case .toggleField: dialog.accepted[dialog.selection].toggle()
        case .acceptAll:
            dialog.accepted = dialog.detected.map { _ in true }
            apply(dialog, to: &s)
            return
        case .acceptChecked:
            apply(dialog, to: &s)
            return
        default: break
        }
        s.paste = dialog
        if dialog.source == nil { s.pasteDraft = dialog }
    }

    private static func apply(_ dialog: PasteDialog, to s: inout GuidedState) {
        let fields = dialog.acceptedFields
        for field in fields {
            s.form.set(field.name, to: field.value, origin: ParameterOrigin(field))
        }
        // The parsed message goes with the pasted text; it is dropped if that field was not taken.
        if fields.contains(where: { $0.name == RunbookParameterName.errorMessage }) { s.form.pastedDenial = dialog.denial }
        if dialog.source == nil { s.pasteDraft = dialog }
        s.paste = nil
        s.status = "Filled \(fields.count) field\(fields.count == 1 ? "" : "s") from \(dialog.sourceName). Check them, then F2 starts."
    }

    private static func handleGate(_ action: KeyAction, in s: inout GuidedState, effects: inout [Effect]) {
        guard let proposal = s.session?.proposal, s.running == nil else { return }
        switch (s.gate, action) {
        case (.choosing, .run): run(proposal, in: &s, effects: &effects)
        case (.choosing, .skip): s.gate = .skipReason(TextField())
        case (.choosing, .editCommand): s.gate = .editing(TextField(proposal.displayLine), problem: nil)
        case (.choosing, .runAllReadOnly):
            s.autoRunStep = proposal.stepID
            run(proposal, in: &s, effects: &effects)
        case (.skipReason, .backFromText), (.editing, .backFromText): s.gate = .choosing
        case (.skipReason(let field), .confirmText):
            let reason = field.text.trimmingCharacters(in: .whitespaces)
            if reason.isEmpty {
                s.status = "Type why you skip it (it goes into the session record)."
            } else {
                s.gate = .choosing
                s.status = "Skipped: \(reason)"
                effects.append(.skipCommand(proposal, reason: reason))
            }
        case (.editing(let field, _), .confirmText):
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
        case (.mutation(var dialog), .switchButton):
            if dialog.canRun(word: proposal.confirmWord, changesEnabled: s.changesEnabled) {
                dialog.picked = dialog.focus(word: proposal.confirmWord, changesEnabled: s.changesEnabled) == .run ? .cancel : .run
                s.gate = .mutation(dialog)
            } else {
                s.status = runDisabledHint(proposal, changesEnabled: s.changesEnabled)
            }
        case (.mutation, .decline): decline(proposal, in: &s, effects: &effects)
        case (.mutation(let dialog), .confirmChange):
            if dialog.focus(word: proposal.confirmWord, changesEnabled: s.changesEnabled) == .run {
                run(proposal, in: &s, effects: &effects)
            } else {
                decline(proposal, in: &s, effects: &effects)
            }
        default: break
        }
    }

    /// Why the change dialog's Run cannot be picked yet (keys and mouse say the same).
    static func runDisabledHint(_ proposal: CommandProposal, changesEnabled: Bool) -> String {
        changesEnabled ? "Type \(proposal.confirmWord) to enable Run." : "The session is read-only: F4 or Ctrl-T enables changes."
    }

    /// The session waits for credentials: pick a profile to check again with, or check again as
    /// before. The check runs at once (the operator asked for it), as `a` runs a step's reads.
    private static func handleCredentials(_ action: KeyAction, in s: inout GuidedState, effects: inout [Effect]) {
        guard let check = s.session?.credentials else { return }
        let last = max(0, check.profiles.count - 1)
        switch action {
        case .profileUp: s.profileChoice = max(0, min(s.profileChoice, last) - 1)
        case .profileDown: s.profileChoice = min(last, s.profileChoice + 1)
        case .useProfile:
            guard check.profiles.indices.contains(s.profileChoice) else {
                s.status = "No profiles are configured: set credentials up, then r checks again."
                return
            }
            checkAgain(check, profile: check.profiles[s.profileChoice], in: &s, effects: &effects)
        case .checkCredentialsAgain: checkAgain(check, profile: nil, in: &s, effects: &effects)
        default: break
        }
    }

    private static func checkAgain(_ check: CredentialsCheck, profile: String?, in s: inout GuidedState,
                                   effects: inout [Effect]) {
        s.session?.credentials = nil
        s.profileChoice = 0
        s.autoRunStep = check.stepID
        s.status = "Checking the credentials" + (profile.map { " of profile \($0)" } ?? " again") + "…"
        effects.append(.checkCredentials(profile: profile))
    }

    /// `y`: the command at the gate, the command whose output the pager shows, or the fix as
    /// the fix view shows it, onto the terminal's clipboard.
    private static func copy(in s: inout GuidedState, effects: inout [Effect]) {
        let text: String?
        let what: String
        if s.pager != nil, let output = pagerOutput(s) {
            (text, what) = (output.proposal.displayLine, "the command")
        } else if s.pager == nil, let proposal = s.session?.proposal, s.running == nil {
            (text, what) = (proposal.displayLine, "the command")
        } else if let recommendation = s.session?.recommendation {
            let shown = recommendation.rendering(s.fixView)
            (text, what) = (shown.text, "the fix as \(shown.name)")
        } else {
            (text, what) = (nil, "")
        }
        guard let text, !text.isEmpty else {
            let hint = "Nothing to copy yet: y copies the shown command or the recommended fix."
            if s.pager != nil { s.pager?.message = hint } else { s.status = hint }
            return
        }
        effects.append(.copyToClipboard(text))
        let done = "Copied \(what) (\(text.count) characters) to the clipboard."
        if s.pager != nil { s.pager?.message = done } else { s.status = done }
    }

    /// `v`: the next rendering of the fix (JSON policy → Terraform → CloudFormation).
    private static func switchFixView(in s: inout GuidedState) {
        guard let recommendation = s.session?.recommendation else {
            let hint = "No fix yet: v switches its view once the session recommends one."
            if s.pager != nil { s.pager?.message = hint } else { s.status = hint }
            return
        }
        let count = recommendation.renderings.count
        guard count > 1 else {
            let hint = "This fix has no Terraform or CloudFormation form here: only the JSON policy."
            if s.pager != nil { s.pager?.message = hint } else { s.status = hint }
            return
        }
        s.fixView = (s.fixView + 1) % count
        let name = recommendation.rendering(s.fixView).name
        if s.pagerSource == .findings {
            refreshFindings(in: &s)
            s.pager?.message = "fix shown as \(name)"
        } else {
            s.status = "The fix is shown as \(name) (v switches)."
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
        s.pagerSource = .output
    }

    private static func openFindings(in s: inout GuidedState) {
        guard s.session != nil else { return }
        s.pager = nil
        s.pagerSource = .findings
        refreshFindings(in: &s)
    }

    /// Lays the findings page out for the screen's width and the fix view, keeping the place.
    static func refreshFindings(in s: inout GuidedState) {
        guard let session = s.session, s.pagerSource == .findings else { return }
        var pager = Pager(title: "Findings and recommendation",
                          lines: OutputPages.findingsLines(session, width: s.size.width, fixView: s.fixView))
        if let old = s.pager {
            pager.top = min(old.top, max(0, pager.lines.count - 1))
            if old.wrap { pager.perform(.wrap, pageHeight: pagerBodyHeight(s.size), pageWidth: s.size.width) }
        }
        pager.message = nil
        s.pager = pager
    }
}
