/// A yes/no prompt's box, lines and buttons, for drawing it and for the mouse.
struct PromptLayout {
    var title: String
    var lines: [String]
    var yesLabel: String
    var noLabel: String
    var box: Rect
    var yes: Rect
    var no: Rect

    init(_ prompt: GuidedState.Prompt, state: GuidedState, area: Rect) {
        switch prompt {
        case .quit:
            title = "Quit"
            lines = [state.running != nil ? "A command is running; quitting cancels it." : "Quit whydenied?",
                     "", "y quit · any other key stays"]
            (yesLabel, noLabel) = ("[ Quit ]", "[ Stay ]")
        case .enableChanges:
            title = "Enable changes"
            lines = ["Allow commands that change the account for this session?",
                     "Each one still shows its change and needs a typed word.",
                     "", "y enable · any other key keeps it read-only"]
            (yesLabel, noLabel) = ("[ Enable ]", "[ Keep read-only ]")
        }
        let buttons = CharacterWidth.of(yesLabel) + 2 + CharacterWidth.of(noLabel)
        let width = min(area.width - 4, max(buttons, lines.map(CharacterWidth.of).max() ?? 0) + 4)
        box = area.centred(width: width, height: lines.count + 4)
        let row = box.row + 1 + lines.count + 1
        yes = Rect(row: row, column: box.column + 2, width: CharacterWidth.of(yesLabel), height: 1)
        no = Rect(row: row, column: yes.column + yes.width + 2, width: CharacterWidth.of(noLabel), height: 1)
    }
}
