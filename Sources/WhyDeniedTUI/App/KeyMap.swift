/// The keys that matter in each context: a short list for the footer and the full, grouped map
/// for the `?`/F1 overlay. One table, so the footer and the help never disagree.
///
/// ```swift
/// KeyMap.footer(state) // ["F2 start", "F6 paste", …]
/// ```
public enum KeyMap {
    public static func footer(_ state: GuidedState) -> [String] {
        if state.prompt != nil { return ["y yes", "any other key: no"] }
        if state.helpVisible { return ["Esc/?/F1 close help"] }
        if let pager = state.pager {
            if pager.searchInput != nil { return ["Enter search", "Esc cancel"] }
            return ["↑↓ scroll", "PgUp/PgDn", "g/G ends", "/ search", "n/N next/prev", "J pretty/raw", "Esc back"]
        }
        switch state.phase {
        case .form:
            if let paste = state.paste {
                switch paste.stage {
                case .editing: return ["Enter newline", "Ctrl-D/F2 read it", "Esc back to form"]
                case .parsing: return ["Esc edit again"]
                case .reviewing: return ["↑↓ choose", "Space toggle", "a accept all", "Enter accept checked", "e/Esc edit text"]
                }
            }
            return ["F2 start", "F6 paste", "Tab/↑↓ move", "Ctrl-U clear", "F1 help", "F10 quit"]
        case .session:
            if state.running != nil { return ["x/Ctrl-C cancel", "o last output", "? help"] }
            guard let proposal = state.session?.proposal else {
                let again = state.session?.declinedChangeStep == nil ? [] : ["r offer the declined change again"]
                return again + ["f findings", "o last output", "e export report", "? help", "q quit"]
            }
            switch state.gate {
            case .choosing:
                if proposal.mutates { return ["Esc cancel", "? help"] }
                return ["Enter run", "s skip", "e edit", "a run all read-only", "? help", "q quit", "o output", "f findings"]
            case .skipReason, .editing: return ["Enter confirm", "Esc back"]
            case .mutation:
                return ["type the word + Enter runs", "Enter otherwise declines", "Tab switch", "Esc cancel",
                        state.changesEnabled ? "F4 read-only" : "F4 enable changes"]
            }
        }
    }

    /// Grouped help for the current screen: (group title, [(keys, what they do)]).
    public static func help(_ state: GuidedState) -> [(String, [(String, String)])] {
        var groups: [(String, [(String, String)])] = [
            ("Everywhere", [("F1 / ?", "this help (? only outside text fields); Esc closes"),
                            ("F10 / Ctrl-C", "quit (Ctrl-C cancels a running command first)")]),
        ]
        if state.pager != nil {
            groups.append(("Pager", [("↑↓ j k", "line"), ("PgUp PgDn Space b", "page"), ("Ctrl-U Ctrl-D", "half page"),
                                      ("g G", "top / bottom"), ("/ n N", "search, next, previous"), ("J", "pretty / raw JSON"),
                                      ("Esc q", "back")]))
            return groups
        }
        switch state.phase {
        case .form:
            groups.append(("Parameters", [("Tab ↓ Enter / Shift-Tab ↑", "next / previous field"), ("F2", "check and start the session"),
                                           ("F6 / Ctrl-V", "paste an error message or CloudTrail event"),
                                           ("←→ Ctrl-A Ctrl-E", "move in the field"), ("Ctrl-U Ctrl-K Ctrl-W", "clear before / after / word")]))
            groups.append(("Paste dialog", [("Enter", "new line"), ("Ctrl-D / F2", "read the pasted text"),
                                             ("Space / a / Enter", "toggle one / accept all / accept checked"), ("e", "edit the text again")]))
        case .session:
            groups.append(("Command gate", [("Enter / y / F5", "run the shown command"), ("s / F8", "skip it (asks the reason, recorded)"),
                                             ("e", "edit the arguments (re-checked)"), ("a", "run all read-only commands of this step"),
                                             ("q", "quit"), ("F4", "enable / disable changes for the session")]))
            groups.append(("Change dialog", [("type the word", "enables Run and focuses it"),
                                              ("Enter", "runs once the word matches, otherwise declines"),
                                              ("Tab", "Cancel ↔ Run (once Run is enabled)"), ("Esc", "decline"),
                                              ("r", "offer a declined change again (its step restarts)")]))
            groups.append(("Results", [("o", "output of the last command (pager: / n N g G J)"),
                                        ("f", "findings, explanation, recommended policy"),
                                        ("x", "cancel the running command"),
                                        ("F9 / e", "export the report (e only when no command waits)")]))
        }
        return groups
    }
}

/// Draws the help overlay.
enum HelpScreen {
    static func draw(_ state: GuidedState, area: Rect, into screen: inout ScreenBuffer) {
        screen.fill(area)
        let box = area.centred(width: min(area.width - 2, 90), height: area.height)
        Chrome.box(box, title: "Keys", style: CellStyle(bold: true, role: .accent), into: &screen)
        var row = box.row + 1
        let keyWidth = 28
        for (title, keys) in KeyMap.help(state) {
            guard row < box.row + box.height - 1 else { break }
            screen.put(title, row: row, column: box.column + 2, style: .bold, maxWidth: box.width - 4)
            row += 1
            for (key, what) in keys where row < box.row + box.height - 1 {
                screen.put(key, row: row, column: box.column + 4, style: CellStyle(role: .accent), maxWidth: keyWidth)
                screen.put(what, row: row, column: box.column + 4 + keyWidth, maxWidth: box.width - keyWidth - 6)
                row += 1
            }
        }
    }
}
