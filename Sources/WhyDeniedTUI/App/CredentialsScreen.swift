import WhyDeniedSession

/// The box shown while the session waits for working credentials: what is missing, what to do,
/// the configured profiles to check again with (the highlighted one is Enter's), and the demo.
enum CredentialsScreen {
    /// Draws the box from `top` in `area`; returns the row after it.
    static func draw(_ check: CredentialsCheck, choice: Int, top: Int, area: Rect, into screen: inout ScreenBuffer) -> Int {
        let inner = area.width - 4
        let headline = Wrap.lines(check.headline, width: inner).map { ($0, CellStyle(bold: true, role: .danger)) }
        let said = check.detail.isEmpty ? []
            : Wrap.lines("The AWS CLI said: " + check.detail, width: inner).map { ($0, CellStyle(role: .muted)) }
        let remedy = Wrap.lines(check.remedy, width: inner).map { ($0, CellStyle.plain) }
        var choices: [(String, CellStyle)] = [("", .plain)]
        let highlighted = min(choice, max(0, check.profiles.count - 1))
        if check.profiles.isEmpty {
            choices.append(("No profiles are configured (aws configure list-profiles lists none).", .dim))
        } else {
            choices.append(("Configured profiles (Enter checks with ▶):", .bold))
            for (i, name) in check.profiles.enumerated() {
                let current = i == highlighted
                choices.append(((current ? "▶ " : "  ") + name + (name == check.profile ? " (the one that failed)" : ""),
                                CellStyle(bold: current, reverse: current)))
            }
        }
        choices.append(("", .plain))
        choices += Wrap.lines("r checks again as before · q quits (exit status 2)", width: inner).map { ($0, .dim) }
        choices += Wrap.lines(CredentialsCheck.demoHint, width: inner).map { ($0, CellStyle(role: .accent)) }
        // On a short screen the CLI's own words go first, then the remedy: what is missing, the
        // profiles, the keys and the demo always stay.
        let room = area.row + area.height - top - 2
        var body = headline + said + remedy + choices
        if body.count > room { body = headline + remedy + choices }
        if body.count > room { body = headline + choices }
        let height = min(body.count + 2, area.row + area.height - top)
        let box = Rect(row: top, column: area.column, width: area.width, height: height)
        Chrome.box(box, title: "Credentials needed", style: CellStyle(role: .danger), into: &screen)
        // A long profile list scrolls with the highlight: it stays in view.
        let shown = height - 2
        let highlightRow = body.firstIndex { $0.0.hasPrefix("▶ ") } ?? 0
        let skip = highlightRow >= shown ? highlightRow - shown + 1 : 0
        for (i, entry) in body.dropFirst(skip).prefix(shown).enumerated() {
            screen.put(entry.0, row: top + 1 + i, column: area.column + 2, style: entry.1, maxWidth: inner)
        }
        return top + height + 1
    }
}
