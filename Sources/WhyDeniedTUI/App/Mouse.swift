/// A mouse event at a screen cell (row and column from the top left, 0-based), as the terminal
/// edge reads it: a left press or a turn of the wheel.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var row: Int
    public var column: Int

    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }
}

/// The mouse, as keys would do it: a press on a footer hint presses its key; on the form, a
/// press on a field focuses it (the cursor where it landed); a press on a dialog's button acts
/// as its key (the change dialog's Run only once the typed word matches, as Enter; the yes/no
/// prompt's buttons as y and "any other key"); a press on a step selects it (the step list takes
/// the keys, as Tab would), a press in the main pane gives the keys back to it; the wheel
/// scrolls the pager and the help, and moves the selection in the focused step list. Where a key
/// would not act (a dialog waits), the mouse does nothing either. Every place comes from the
/// layout the screen is drawn with.
extension Guided {
    /// Lines one wheel notch scrolls.
    static let wheelLines = 3

    static func handleMouse(_ event: MouseEvent, in s: inout GuidedState, effects: inout [Effect]) {
        guard s.size.width >= minimumSize.width, s.size.height >= minimumSize.height else { return }
        if event.kind == .press, event.row == s.size.height - 1 {
            if let key = FooterLayout.item(atColumn: event.column, of: KeyMap.footerItems(s), width: s.size.width)?.key {
                handle(key, in: &s, effects: &effects)
            }
            return
        }
        if let prompt = s.prompt {
            guard event.kind == .press else { return }
            let layout = PromptLayout(prompt, state: s, area: body(s.size))
            if layout.yes.contains(row: event.row, column: event.column) {
                handle(.character("y"), in: &s, effects: &effects)
            } else if layout.no.contains(row: event.row, column: event.column) {
                handle(.escape, in: &s, effects: &effects)
            }
            return
        }
        let scroll: PagerAction? = switch event.kind {
        case .wheelUp: .lineUp
        case .wheelDown: .lineDown
        case .press: nil
        }
        if s.helpVisible {
            if let scroll { for _ in 0..<wheelLines { scrollHelp(scroll, in: &s) } }
            return
        }
        if s.pager != nil {
            if let scroll {
                for _ in 0..<wheelLines { s.pager?.perform(scroll, pageHeight: pagerBodyHeight(s.size), pageWidth: s.size.width) }
            }
            return
        }
        switch s.phase {
        case .form: pressOnForm(event, in: &s)
        case .session: mouseOnSession(event, in: &s, effects: &effects)
        }
    }

    /// A press on a field focuses it and puts the cursor where it landed on the value.
    private static func pressOnForm(_ event: MouseEvent, in s: inout GuidedState) {
        guard event.kind == .press, s.paste == nil, s.eventFile == nil, !s.starting else { return }
        let area = body(s.size)
        guard let index = FormScreen.field(atRow: event.row, in: s.form, area: area) else { return }
        let focused = index == s.form.focus
        if let at = FormScreen.characterIndex(atColumn: event.column, of: s.form.fields[index].input, focused: focused, area: area),
           event.row == FormScreen.row(of: index, in: s.form, area: area) {
            s.form.fields[index].input.moveCursor(to: at)
        }
        s.form.focus = index
        s.status = nil
    }

    private static func mouseOnSession(_ event: MouseEvent, in s: inout GuidedState, effects: inout [Effect]) {
        guard let session = s.session else { return }
        if let proposal = session.proposal, case .mutation(var dialog) = s.gate, s.running == nil {
            guard event.kind == .press else { return }
            let runEnabled = dialog.canRun(word: proposal.confirmWord, changesEnabled: s.changesEnabled)
            let buttons = MutationScreen.buttons(area: body(s.size), runEnabled: runEnabled)
            if buttons.cancel.contains(row: event.row, column: event.column) {
                handle(.escape, in: &s, effects: &effects)
            } else if buttons.run.contains(row: event.row, column: event.column) {
                // Run as Enter runs it: only with changes enabled and the word typed.
                guard runEnabled else {
                    s.status = runDisabledHint(proposal, changesEnabled: s.changesEnabled)
                    return
                }
                dialog.picked = .run
                s.gate = .mutation(dialog)
                handle(.enter, in: &s, effects: &effects)
            }
            return
        }
        guard canFocusSteps(s), !s.listSearch.typing else { return }
        let listWidth = SessionScreen.stepListWidth(session, screenWidth: s.size.width)
        switch event.kind {
        case .press where event.column < listWidth:
            guard let index = SessionScreen.step(atRow: event.row, in: body(s.size), session: session, focus: s.stepFocus) else { return }
            s.stepFocus = index
            s.status = nil
        case .press:
            s.stepFocus = nil
        case .wheelUp, .wheelDown:
            guard event.column < listWidth, s.stepFocus != nil else { return }
            handleSteps(.selectStep(event.kind == .wheelUp ? .up : .down), in: &s)
        }
    }
}
