/// The list search's keys, for whichever selectable list is on screen: one mechanism
/// (`ListSearch`) for every list; this only says where each list keeps its rows and selection.
extension Guided {
    /// The selectable list on screen now, if any: its rows as text (what `/` searches) and the
    /// selected row. Overlays (the pager, the help, a prompt) hide the list.
    static func searchableList(_ s: GuidedState) -> (items: [String], selection: Int)? {
        guard s.pager == nil, !s.helpVisible, s.prompt == nil else { return nil }
        return listUnderOverlays(s)
    }

    /// The selectable list of the current screen, whatever covers it.
    private static func listUnderOverlays(_ s: GuidedState) -> (items: [String], selection: Int)? {
        switch s.phase {
        case .form:
            guard let dialog = s.paste, dialog.stage == .reviewing else { return nil }
            return (dialog.detected.map { "\($0.name) \($0.value)" }, dialog.selection)
        case .session:
            if let focus = s.stepFocus, canFocusSteps(s), let steps = s.session?.steps {
                return (steps.enumerated().map { "\($0.offset + 1) \($0.element.title)" }, focus)
            }
            guard s.running == nil, let check = s.session?.credentials else { return nil }
            return (check.profiles, min(s.profileChoice, max(0, check.profiles.count - 1)))
        }
    }

    /// A search belongs to the list it was made in: once that list has gone (the profiles were
    /// checked, the detected fields taken), an open prompt or a query would act on the next list.
    static func forgetListSearchWithoutList(in s: inout GuidedState) {
        if listUnderOverlays(s) == nil, s.listSearch != ListSearch() { s.listSearch = ListSearch() }
    }

    private static func select(_ row: Int, in s: inout GuidedState) {
        switch s.phase {
        case .form: s.paste?.selection = row
        case .session:
            if s.stepFocus != nil { s.stepFocus = row } else { s.profileChoice = row }
        }
    }

    static func handleListSearch(_ action: ListSearchAction, in s: inout GuidedState) {
        guard let list = searchableList(s) else { return }
        let row: Int
        switch action {
        case .begin:
            s.listSearch.begin(at: list.selection)
            s.status = nil
            return
        case .accept: row = s.listSearch.accept(items: list.items)
        case .cancel: row = s.listSearch.cancel()
        case .next: row = s.listSearch.step(1, from: list.selection, items: list.items)
        case .previous: row = s.listSearch.step(-1, from: list.selection, items: list.items)
        }
        select(row, in: &s)
        s.status = s.listSearch.message
    }

    /// A key typed into the search prompt: the selection follows the query.
    static func typeListSearch(_ key: Key, in s: inout GuidedState) {
        guard let list = searchableList(s) else { return }
        select(s.listSearch.type(key, items: list.items), in: &s)
    }
}
