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

/// The mouse, as keys would do it: a press on a step selects it (the step list takes the keys,
/// as Tab would), a press in the main pane gives the keys back to it; the wheel scrolls the pager
/// and the help, and moves the selection in the focused step list. Where a key would not act
/// (a dialog waits), the mouse does nothing either.
extension Guided {
    /// Lines one wheel notch scrolls.
    static let wheelLines = 3

    static func handleMouse(_ event: MouseEvent, in s: inout GuidedState) {
        if s.prompt != nil { return }
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
        guard s.phase == .session, let session = s.session, canFocusSteps(s), !s.listSearch.typing else { return }
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
