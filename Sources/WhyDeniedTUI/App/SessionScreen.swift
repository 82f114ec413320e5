import Foundation

/// Draws the session: step list on the left; on the right the current step's guidance, the
/// command gate (or the running command's spinner), and what the session found so far.
/// A mutating proposal opens a modal on top.
enum SessionScreen {

    static func draw(_ state: GuidedState, area: Rect, into screen: inout ScreenBuffer) {
        guard let session = state.session else { return }
        let listWidth = stepListWidth(session, screenWidth: area.width)
        drawSteps(session, focus: state.stepFocus, area: Rect(row: area.row, column: 0, width: listWidth, height: area.height),
                  into: &screen)
        // The focused pane's edge is drawn heavy and in colour, so where the keys go reads without colour too.
        for row in area.row..<(area.row + area.height) {
            screen.put(state.stepFocus == nil ? "│" : "┃", row: row, column: listWidth,
                       style: state.stepFocus == nil ? .dim : CellStyle(bold: true, role: .accent))
        }
        let right = Rect(row: area.row, column: listWidth + 2, width: area.width - listWidth - 3, height: area.height)
        if let focus = state.stepFocus, session.steps.indices.contains(focus) {
            drawStepDetail(state, session: session, index: focus, area: right, into: &screen)
        } else {
            drawRight(state, session: session, area: right, into: &screen)
        }
        if let proposal = session.proposal, case .mutation(let dialog) = state.gate, state.running == nil {
            MutationScreen.draw(proposal, dialog: dialog, changesEnabled: state.changesEnabled, area: area, into: &screen)
        }
    }

    /// The step list is as wide as its longest row ("✓ 12 title"), at most two fifths of the
    /// screen and never so wide that the command gate gets fewer than 46 columns; a title that
    /// still does not fit ends in "…".
    static func stepListWidth(_ session: SessionView, screenWidth: Int) -> Int {
        let longest = session.steps.enumerated().map { i, step in CharacterWidth.of("\(i + 1) \(step.title)") }.max() ?? 0
        let wanted = max(CharacterWidth.of(" Steps "), longest + 4)
        return max(12, min(wanted, screenWidth * 2 / 5, screenWidth - 46))
    }

    /// The steps with their state. With the focus (`focus`: the selected row), the title says
    /// so in reverse and the selection, not the current step, is the reversed row; the list
    /// scrolls to keep the selection in view.
    static func drawSteps(_ session: SessionView, focus: Int? = nil, area: Rect, into screen: inout ScreenBuffer) {
        if focus != nil {
            screen.put(" Steps ", row: area.row, column: 0, style: CellStyle(bold: true, reverse: true, role: .accent))
        } else {
            screen.put("Steps", row: area.row, column: 1, style: .bold)
        }
        let first = firstShownStep(focus: focus, height: area.height)
        for (i, step) in session.steps.enumerated() where i >= first && i - first + 2 < area.height {
            let row = area.row + 1 + i - first
            let current = focus.map { $0 == i } ?? (i == session.currentStep)
            let style = CellStyle(bold: current || i == session.currentStep, reverse: current)
            if current { screen.fill(Rect(row: row, column: 0, width: area.width, height: 1), style: style) }
            screen.put(step.status.glyph, row: row, column: 1, style: CellStyle(bold: true, reverse: current, role: step.status.role))
            screen.put("\(i + 1) \(step.title)", row: row, column: 3, style: style, maxWidth: area.width - 4)
        }
    }

    /// The step `drawSteps` draws at screen row `row` of a list in `area`, if any (the title row
    /// and the rows below the last step shown hold none): where a click lands.
    static func step(atRow row: Int, in area: Rect, session: SessionView, focus: Int?) -> Int? {
        let first = firstShownStep(focus: focus, height: area.height)
        let index = row - area.row - 1 + first
        guard row > area.row, index >= first, index - first + 2 < area.height, session.steps.indices.contains(index) else { return nil }
        return index
    }

    /// The first step row shown in a list `height` rows high (title included): the list scrolls
    /// so the selection stays in view.
    static func firstShownStep(focus: Int?, height: Int) -> Int {
        let visible = max(1, height - 2)
        return focus.map { max(0, $0 - visible + 1) } ?? 0
    }

    static func drawRight(_ state: GuidedState, session: SessionView, area: Rect, into screen: inout ScreenBuffer) {
        var pane = PaneLines(area)
        func line(_ text: String, _ style: CellStyle = .plain) { pane.add(text, style, into: &screen) }
        if let index = session.currentStep, session.steps.indices.contains(index) {
            let step = session.steps[index]
            line("Step \(index + 1) of \(session.steps.count) · \(step.title) · \(step.status.rawValue)", .bold)
            // While the credentials box waits, it is what matters: the guidance gives it room.
            let guidanceRoom = session.credentials == nil ? max(1, area.height / 4) : 2
            for text in Wrap.lines(step.guidance, width: area.width).prefix(guidanceRoom) {
                line(text, CellStyle(role: .muted))
            }
        } else if session.finished {
            if session.stopped {
                for text in Wrap.lines("Session stopped: a step failed and the runbook stops there.", width: area.width) {
                    line(text, CellStyle(bold: true, role: .danger))
                }
                if session.retryableStep != nil {
                    for text in Wrap.lines("Fixed the cause (e.g. refreshed the credentials)? r proposes the failed command "
                                           + "again and the session goes on from there.", width: area.width) {
                        line(text, .bold)
                    }
                }
            } else {
                line("Session complete.", CellStyle(bold: true, role: .success))
            }
        }
        if let notice = session.notice {
            // After a change this holds the rollback command: shown whole, or pointed to in full.
            let wrapped = Wrap.lines(notice, width: area.width)
            let room = max(2, area.height / 3)
            for text in wrapped.prefix(wrapped.count > room ? room - 1 : room) { line(text, CellStyle(role: .warning)) }
            if wrapped.count > room { line("… the rest: f (findings, Last notice)", CellStyle(role: .warning)) }
        }
        pane.row += 1
        if let running = state.running {
            let elapsed = max(0, state.now.timeIntervalSince(running.startedAt))
            let frame = Spinner.frame(after: elapsed)
            let verb = running.cancelling ? "Cancelling" : "Running"
            line("\(frame) \(verb) \(String(format: "%.1fs", elapsed)) · x or Ctrl-C cancels", CellStyle(bold: true, role: .accent))
            for text in Wrap.lines("$ " + running.proposal.displayLine, width: area.width).prefix(3) { line(text) }
            pane.row += 1
        } else if let check = session.credentials {
            pane.row = CredentialsScreen.draw(check, choice: state.profileChoice, top: pane.row, area: area, into: &screen)
        } else if let proposal = session.proposal {
            pane.row = drawGate(state, proposal: proposal, top: pane.row, area: area, into: &screen)
        } else if session.finished, session.retryableStep == nil {
            for text in Wrap.lines("Nothing left to run. f shows findings and the recommendation; q quits.", width: area.width) {
                line(text, .bold)
            }
            pane.row += 1
        } else if state.session != nil {
            line("Waiting for the session…", .dim)
        }
        if let output = session.outputs.last, pane.hasRoom {
            let took = String(format: "%.1fs", output.seconds)
            let head = "Last: \(output.proposal.argv.prefix(3).joined(separator: " ")) → exit \(output.exitCode), \(took)"
            for text in Wrap.lines(head + (output.summary.map { " · " + $0 } ?? "") + " (o)", width: area.width).prefix(2) {
                line(text, CellStyle(role: output.exitCode == 0 ? .normal : .danger))
            }
        }
        if !session.findings.isEmpty {
            let first = session.findings[0]
            for text in Wrap.lines("Denied events: \(session.findings.count) · \(first.action) on \(first.resource) (f)",
                                   width: area.width).prefix(2) {
                line(text, CellStyle(role: .warning))
            }
        }
        for text in session.explanation.prefix(3).flatMap({ Wrap.lines($0, width: area.width) }) {
            line(text)
        }
        if let recommendation = session.recommendation {
            pane.row += pane.hasRoom ? 1 : 0
            for text in Wrap.lines("Recommendation: " + recommendation.headline, width: area.width) {
                line(text, CellStyle(bold: true, role: .success))
            }
            let shown = recommendation.rendering(state.fixView)
            if recommendation.renderings.count > 1 {
                line("as \(shown.name) · v: " + recommendation.renderings.map(\.name).joined(separator: " / "), .dim)
            }
            for text in LineDiff.lines(shown.text) where pane.hasRoom {
                line("  " + text)
            }
        }
    }

    /// The selected step while the step list has the focus: its state, why, guidance, and each
    /// command it ran with its result; Enter shows them in full.
    static func drawStepDetail(_ state: GuidedState, session: SessionView, index: Int, area: Rect,
                               into screen: inout ScreenBuffer) {
        var pane = PaneLines(area)
        func line(_ text: String, _ style: CellStyle = .plain) { pane.add(text, style, into: &screen) }
        let step = session.steps[index]
        line("Step \(index + 1) of \(session.steps.count) · \(step.title) · \(step.status.rawValue)", .bold)
        if let why = step.why {
            for text in Wrap.lines(why, width: area.width).prefix(3) { line(text, CellStyle(role: step.status.role)) }
        }
        for text in Wrap.lines(step.guidance, width: area.width).prefix(max(1, area.height / 4)) { line(text, CellStyle(role: .muted)) }
        pane.row += 1
        if let running = state.running {
            let elapsed = max(0, state.now.timeIntervalSince(running.startedAt))
            line("\(Spinner.frame(after: elapsed)) Running \(String(format: "%.1fs", elapsed)): " + running.proposal.displayLine,
                 CellStyle(bold: true, role: .accent))
            pane.row += 1
        }
        let outputs = StepPages.outputs(of: step, in: session)
        if outputs.isEmpty {
            line(step.status == .pending ? "Not reached yet." : "No command of this step ran in this session.", .dim)
        } else {
            line("Commands (Enter shows them with their outputs in full):", .bold)
            for output in outputs {
                for text in Wrap.lines("$ " + output.proposal.displayLine, width: area.width).prefix(2) { line(text) }
                line("  " + StepPages.resultLine(output), CellStyle(role: output.exitCode == 0 ? .success : .danger))
            }
        }
        if state.running == nil, session.retryableStep == step.id || step.retryable {
            pane.row += 1
            let offer = session.retryableStep == step.id ? "This step stopped the session: r proposes its failed command again."
                : "This step failed and the session went on: r runs its failed commands again (what answered is "
                    + "not asked again; later steps take the new outcome)."
            for text in Wrap.lines(offer, width: area.width) {
                line(text, CellStyle(bold: true, role: .warning))
            }
        }
    }

    /// The command gate box; returns the row after it.
    static func drawGate(_ state: GuidedState, proposal: CommandProposal, top: Int, area: Rect,
                         into screen: inout ScreenBuffer) -> Int {
        let inner = area.width - 4
        var body: [(String, CellStyle)] = []
        for text in Wrap.lines("$ " + proposal.displayLine, width: inner) { body.append((text, .bold)) }
        for text in Wrap.lines("Why: " + proposal.why, width: inner) { body.append((text, .plain)) }
        var cursorLine: (index: Int, column: Int)?
        switch state.gate {
        case .choosing, .mutation:
            body.append(("", .plain))
            for text in Wrap.lines("Enter run · s skip · e edit · a run all read-only of this step · y copy · q quit", width: inner) {
                body.append((text, .dim))
            }
        case .skipReason(let field):
            body.append(("", .plain))
            body.append(("Why skip it? (recorded; Enter confirms, Esc goes back)", CellStyle(role: .warning)))
            cursorLine = (body.count, field.cursor)
            body.append(("> " + field.text, .plain))
        case .editing(let field, let problem):
            body.append(("", .plain))
            body.append(("Edit the command (Enter checks and keeps it, Esc goes back):", CellStyle(role: .warning)))
            body.append(("> " + field.text, .plain))
            cursorLine = (body.count - 1, field.cursor)
            if let problem {
                for text in Wrap.lines("✗ " + problem, width: inner) { body.append((text, CellStyle(bold: true, role: .danger))) }
            }
        }
        let kind = proposal.mutates ? "CHANGES THE ACCOUNT" : "read-only"
        let title = "Next command · \(kind)" + (proposal.edited ? " · edited" : "")
        let height = min(body.count + 2, area.row + area.height - top)
        let box = Rect(row: top, column: area.column, width: area.width, height: height)
        Chrome.box(box, title: title, style: CellStyle(role: proposal.mutates ? .danger : .accent), into: &screen)
        for (i, entry) in body.enumerated() where i < height - 2 {
            screen.put(entry.0, row: top + 1 + i, column: area.column + 2, style: entry.1, maxWidth: inner)
        }
        if let cursorLine, cursorLine.index < height - 2 {
            let text: String
            switch state.gate {
            case .skipReason(let field), .editing(let field, _): text = String(field.characters.prefix(cursorLine.column))
            default: text = ""
            }
            screen.cursor = (top + 1 + cursorLine.index, min(area.column + 2 + 2 + CharacterWidth.of(text), area.column + area.width - 2))
        }
        return top + height + 1
    }
}

/// The modal for a command that changes the account: the change as a diff, the typed word,
/// and the buttons: Cancel focused until the word matches, then Run.
enum MutationScreen {
    /// Rows at the dialog's foot: the typed word, a gap, the buttons.
    static let bottomReserved = 4

    static func draw(_ proposal: CommandProposal, dialog: MutationDialog, changesEnabled: Bool, area: Rect,
                     into screen: inout ScreenBuffer) {
        screen.fill(area)
        let box = box(area)
        Chrome.box(box, title: "This command CHANGES your account", style: CellStyle(bold: true, role: .danger), into: &screen)
        let inner = inner(area)
        var pane = PaneLines(inner, reservingBottom: bottomReserved)
        func line(_ text: String, _ style: CellStyle = .plain) { pane.add(text, style, into: &screen) }
        for text in Wrap.lines("$ " + proposal.displayLine, width: inner.width).prefix(4) { line(text, .bold) }
        for text in Wrap.lines("Why: " + proposal.why, width: inner.width).prefix(2) { line(text) }
        if let change = proposal.change {
            line("Change to \(change.target):", .bold)
            for diff in LineDiff.hunks(LineDiff.between(change.before, change.after), context: 2) {
                switch diff.kind {
                case .same: line(diff.marked, .dim)
                case .removed: line(diff.marked, CellStyle(bold: true, role: .danger))
                case .added: line(diff.marked, CellStyle(bold: true, role: .success))
                }
            }
        } else {
            line("(the session gave no before/after document for this change)", .dim)
        }
        let base = inner.row + inner.height - bottomReserved + 1
        if changesEnabled {
            screen.put("Type \(proposal.confirmWord) to enable Run: ", row: base, column: inner.column, style: .bold)
            let labelWidth = CharacterWidth.of("Type \(proposal.confirmWord) to enable Run: ")
            let fieldWidth = max(8, min(40, inner.width - labelWidth))
            screen.fill(Rect(row: base, column: inner.column + labelWidth, width: fieldWidth, height: 1), style: CellStyle(underline: true))
            let cursor = dialog.typed.draw(into: &screen, row: base, column: inner.column + labelWidth, width: fieldWidth,
                                           style: CellStyle(underline: true))
            screen.cursor = (base, inner.column + labelWidth + cursor)
        } else {
            screen.put("The session is READ-ONLY: F4 enables changes. Enter or Esc declines.", row: base,
                       column: inner.column, style: CellStyle(bold: true, role: .warning), maxWidth: inner.width)
        }
        let runEnabled = dialog.canRun(word: proposal.confirmWord, changesEnabled: changesEnabled)
        let focus = dialog.focus(word: proposal.confirmWord, changesEnabled: changesEnabled)
        let cancelStyle = CellStyle(bold: true, reverse: focus == .cancel)
        let runStyle = CellStyle(bold: runEnabled, reverse: focus == .run, dim: !runEnabled, role: .danger)
        let buttons = buttons(area: area, runEnabled: runEnabled)
        screen.put(cancelLabel, row: buttons.cancel.row, column: buttons.cancel.column, style: cancelStyle)
        screen.put(runLabel(enabled: runEnabled), row: buttons.run.row, column: buttons.run.column, style: runStyle)
    }

    static func box(_ area: Rect) -> Rect { area.centred(width: min(area.width - 2, 110), height: area.height) }
    static func inner(_ area: Rect) -> Rect { box(area).inset(by: 1).insetHorizontally(1) }

    static let cancelLabel = "[ Cancel ]"
    static func runLabel(enabled: Bool) -> String { enabled ? "[ Run ]" : "[ Run (disabled) ]" }

    /// Where the dialog drawn in `area` has its buttons (the mouse presses them).
    static func buttons(area: Rect, runEnabled: Bool) -> (cancel: Rect, run: Rect) {
        let inner = inner(area)
        let row = inner.row + inner.height - bottomReserved + 3
        let cancel = Rect(row: row, column: inner.column, width: CharacterWidth.of(cancelLabel), height: 1)
        let run = Rect(row: row, column: cancel.column + cancel.width + 2, width: CharacterWidth.of(runLabel(enabled: runEnabled)),
                       height: 1)
        return (cancel, run)
    }
}
