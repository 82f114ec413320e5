import Foundation

extension Guided {
    /// Smallest terminal the layout supports; below it a "too small" screen is drawn.
    public static let minimumSize = TerminalSize(width: 60, height: 16)

    /// The screen between the banner and the footer: where the form and the session are drawn.
    static func body(_ size: TerminalSize) -> Rect {
        Rect(row: 1, column: 0, width: size.width, height: size.height - 3)
    }

    public static func view(_ state: GuidedState) -> ScreenBuffer {
        var screen = ScreenBuffer(size: state.size)
        let size = state.size
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            let lines = Wrap.lines("Terminal too small (\(size)): whydenied needs at least \(minimumSize). "
                                   + "Enlarge the window; F10 quits.", width: max(1, size.width))
            for (i, line) in lines.prefix(max(0, size.height)).enumerated() {
                screen.put(line, row: i, column: 0)
            }
            return screen
        }
        Chrome.banner(state, into: &screen)
        let body = body(size)
        switch state.phase {
        case .form:
            FormScreen.draw(state, area: body, into: &screen)
            if let paste = state.paste { PasteScreen.draw(paste, area: body, into: &screen) }
            if let prompt = state.eventFile { EventFileScreen.draw(prompt, area: body, into: &screen) }
        case .session:
            SessionScreen.draw(state, area: body, into: &screen)
        }
        if let pager = state.pager {
            screen.fill(body)
            pager.draw(into: &screen, area: Rect(row: 1, column: 0, width: size.width, height: size.height - 2))
        }
        Chrome.statusLine(state, into: &screen)
        Chrome.footer(state, into: &screen)
        if state.helpVisible { HelpScreen.draw(state, area: body, into: &screen) }
        if let prompt = state.prompt { Chrome.prompt(prompt, state: state, area: body, into: &screen) }
        return screen
    }
}

/// Banner, status line, footer, boxes and yes/no prompts shared by every screen.
enum Chrome {
    static func banner(_ state: GuidedState, into screen: inout ScreenBuffer) {
        let context = state.context
        var parts = [state.changesEnabled ? "CHANGES ENABLED" : "READ-ONLY", context.target]
        parts.append(context.account ?? "account ?")
        parts.append(context.region ?? "region ?")
        parts.append("profile " + (context.profile ?? "default"))
        // The caller's resource part (user/…, assumed-role/…) says who; the account is already shown.
        let caller = context.caller.map { arn in
            arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).count == 6
                ? String(arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)[5]) : arn
        }
        parts.append("as " + (caller ?? "?"))
        let style = CellStyle(bold: true, reverse: true, role: state.changesEnabled ? .danger : .normal)
        screen.fill(Rect(row: 0, column: 0, width: screen.width, height: 1), style: style)
        screen.put(fitting(parts, separator: " │ ", prefix: " whydenied │ ", width: screen.width), row: 0, column: 0, style: style)
    }

    static func statusLine(_ state: GuidedState, into screen: inout ScreenBuffer) {
        if let input = state.listSearch.input, Guided.searchableList(state) != nil {
            listSearchPrompt(input, message: state.listSearch.message, into: &screen)
            return
        }
        guard let status = state.status, state.pager == nil else { return }
        let row = screen.height - 2
        screen.fill(Rect(row: row, column: 0, width: screen.width, height: 1))
        screen.put(status, row: row, column: 1, style: CellStyle(bold: true, role: .warning), maxWidth: screen.width - 2)
    }

    /// The list search's one-line prompt above the footer: "/query", then how many rows match.
    static func listSearchPrompt(_ input: TextField, message: String?, into screen: inout ScreenBuffer) {
        let row = screen.height - 2
        screen.fill(Rect(row: row, column: 0, width: screen.width, height: 1))
        screen.put("/", row: row, column: 1, style: .bold)
        let width = max(8, min(40, screen.width - 3))
        let cursor = input.draw(into: &screen, row: row, column: 2, width: width)
        if let message {
            let column = 2 + min(CharacterWidth.of(input.text), width) + 3
            screen.put(message, row: row, column: column, style: CellStyle(role: .warning), maxWidth: max(0, screen.width - column - 1))
        }
        screen.cursor = (row, 2 + cursor)
    }

    static func footer(_ state: GuidedState, into screen: inout ScreenBuffer) {
        let row = screen.height - 1
        screen.fill(Rect(row: row, column: 0, width: screen.width, height: 1), style: .reverse)
        screen.put(FooterLayout.fit(KeyMap.footerItems(state), width: screen.width), row: row, column: 0, style: .reverse)
    }

    /// Joins items in priority order, leaving out the ones that no longer fit (never half an item).
    static func fitting(_ items: [String], separator: String, prefix: String, width: Int) -> String {
        var line = prefix
        var first = true
        for item in items {
            let candidate = line + (first ? "" : separator) + item
            if CharacterWidth.of(candidate) > width { break }
            line = candidate
            first = false
        }
        return line
    }

    static func box(_ area: Rect, title: String, style: CellStyle = .plain, into screen: inout ScreenBuffer) {
        guard area.width >= 4, area.height >= 2 else { return }
        screen.fill(area)
        let inner = area.width - 2
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", row: area.row, column: area.column, style: style)
        for row in (area.row + 1)..<(area.row + area.height - 1) {
            screen.put("│", row: row, column: area.column, style: style)
            screen.put("│", row: row, column: area.column + area.width - 1, style: style)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", row: area.row + area.height - 1,
                   column: area.column, style: style)
        if !title.isEmpty {
            screen.put(" \(title) ", row: area.row, column: area.column + 2, style: CellStyle(bold: true, role: style.role),
                       maxWidth: inner - 2)
        }
    }

    static func prompt(_ prompt: GuidedState.Prompt, state: GuidedState, area: Rect, into screen: inout ScreenBuffer) {
        let layout = PromptLayout(prompt, state: state, area: area)
        Chrome.box(layout.box, title: layout.title, style: CellStyle(bold: true, role: .warning), into: &screen)
        for (i, line) in layout.lines.enumerated() {
            screen.put(line, row: layout.box.row + 1 + i, column: layout.box.column + 2, maxWidth: layout.box.width - 4)
        }
        // No is the default (any key but y), so it is the one drawn as focused.
        screen.put(layout.yesLabel, row: layout.yes.row, column: layout.yes.column, style: .bold)
        screen.put(layout.noLabel, row: layout.no.row, column: layout.no.column, style: CellStyle(bold: true, reverse: true))
    }
}
