/// What a key does. `Guided.update` dispatches on these, and the footer and the help are
/// generated from the same bindings (`KeyMap.bindings`), so what is shown is what the keys do.
public enum KeyAction: Hashable, Sendable {
    case help, quit, cancelOrQuit
    case start, openPaste, nextField, previousField, editField
    case openEventFile, completePath, loadEventFile, closeEventFile
    case readPaste, closePaste, newline, editPasteText
    case chooseUp, chooseDown, toggleField, acceptAll, acceptChecked, editPasteAgain
    case run, skip, editCommand, runAllReadOnly, confirmText, backFromText
    case toggleChanges, exportReport, lastOutput, findings, cancelCommand, offerAgain, fixView, copy, back
    case switchButton, decline, confirmChange
    case profileUp, profileDown, useProfile, checkCredentialsAgain
    case focusSteps, leaveSteps, openStep, retryFailed
    case selectStep(StepMove)
    case pager(PagerAction)
    case listSearch(ListSearchAction)
    case closeHelp, helpScroll(PagerAction)
    /// Answers to a yes/no question (`GuidedState.Prompt`); Ctrl-C again answers the quit one.
    case yes, no, quitAgain
}

/// Where the keyboard is: each context has its own bindings; `KeyMap.contexts` says which apply
/// now, most specific first.
public enum KeyContext: String, Hashable, Sendable, CaseIterable {
    case everywhere, form, eventFile, pasteText, pasteReading, pasteReview, gate, gateText, changeDialog, credentials, session, finished
    /// The step list has the keyboard (Tab): pick any step to see its commands and outputs.
    case steps
    case running, pager, help
    /// Any selectable list on screen (profiles, detected fields): `/` search, n/N.
    case list
    /// The `/` prompt of a list search, while it is typed.
    case listSearch
    /// A yes/no question (quit, enable changes) has the keyboard.
    case prompt
    /// The pager's `/` search field, while it is typed.
    case pagerSearch

    var title: String {
        switch self {
        case .everywhere: "Everywhere"
        case .form: "Parameters"
        case .eventFile: "Load a local event file"
        case .pasteText: "Paste dialog: the text"
        case .pasteReading: "Paste dialog: reading"
        case .pasteReview: "Paste dialog: detected fields"
        case .gate: "Command gate"
        case .gateText: "Skip reason / edited command"
        case .changeDialog: "Change dialog"
        case .credentials: "No working credentials"
        case .session: "Session"
        case .steps: "Step list (Tab focuses it)"
        case .finished: "Once nothing waits"
        case .running: "While a command runs"
        case .pager: "Pager"
        case .help: "This help"
        case .list: "Lists (profiles, detected fields)"
        case .listSearch: "Searching a list"
        case .prompt: "A yes/no question (quit, enable changes)"
        case .pagerSearch: "Typing a pager search"
        }
    }
}

/// One row of the key table: the keys, how the footer and the help name them, and the action.
public struct KeyBinding: Hashable, Sendable {
    public var context: KeyContext
    public var keys: [Key]
    /// The keys as shown ("F2/Ctrl-S").
    public var label: String
    /// The footer's word for it; nil keeps it out of the footer (still in the help).
    public var footer: String?
    public var help: String
    public var action: KeyAction
    /// Footer order: lower comes first, so what matters most survives a narrow screen.
    public var rank: Int
    /// The label while a text field has the keys (where `?` is text, say which keys still work).
    public var textLabel: String?
    /// The footer keeps it whatever the width (`FooterLayout`): the help, the key to every
    /// other key. The current screen's way out is kept too (`KeyMap.exits`).
    public var pinned: Bool

    init(_ context: KeyContext, _ keys: [Key], _ label: String, footer: String? = nil, rank: Int = 50, pinned: Bool = false,
         _ help: String, _ action: KeyAction, textLabel: String? = nil) {
        self.textLabel = textLabel
        self.pinned = pinned
        self.context = context
        self.keys = keys
        self.label = label
        self.footer = footer
        self.help = help
        self.action = action
        self.rank = rank
    }
}

/// The one key table. Every F-key has a letter or Ctrl-letter twin (laptops need fn for F-keys).
///
/// ```swift
/// KeyMap.action(for: .control("s"), in: state) // .start on the form
/// KeyMap.footer(state)                          // ["F2/Ctrl-S start", …]
/// ```
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(.everywhere, [.function(1), .control("g"), .character("?")], "?/F1", footer: "help", rank: 8, pinned: true,
                   "this help (Ctrl-G too; in a text field, where ? is text, F1 or Ctrl-G)", .help,
                   textLabel: "F1/Ctrl-G"),
        KeyBinding(.everywhere, [.function(10), .control("q")], "F10/Ctrl-Q", footer: "quit", rank: 9,
                   "quit (asks; y quits)", .quit),
        KeyBinding(.everywhere, [.control("c")], "Ctrl-C", "cancel the running command; otherwise quit (asks; Ctrl-C again quits)",
                   .cancelOrQuit),

        KeyBinding(.form, [.function(2), .control("s")], "F2/Ctrl-S", footer: "start", rank: 1, "check and start the session", .start),
        KeyBinding(.form, [.function(6), .control("v")], "F6/Ctrl-V", footer: "paste", rank: 2,
                   "paste an error message or CloudTrail event", .openPaste),
        KeyBinding(.form, [.function(3), .control("o")], "F3/Ctrl-O", footer: "load file", rank: 3,
                   "load a local event file (one CloudTrail event, {\"Records\": […]}, a .json.gz trail file)", .openEventFile),
        KeyBinding(.form, [.tab, .down, .enter], "Tab/↓", footer: "next", rank: 10, "next field (Enter too)", .nextField),
        KeyBinding(.form, [.backTab, .up], "Shift-Tab/↑", "previous field", .previousField),
        KeyBinding(.form, [.left, .right, .home, .end, .control("a"), .control("e"), .backspace, .delete],
                   "←→ Ctrl-A Ctrl-E", "move in the field, delete", .editField),
        KeyBinding(.form, [.control("u"), .control("k"), .control("w")], "Ctrl-U/Ctrl-K/Ctrl-W", footer: "clear", rank: 12,
                   "clear before / after the cursor, the word before it", .editField),
        KeyBinding(.form, [.escape], "Esc", "quit (asks)", .quit),

        KeyBinding(.eventFile, [.enter], "Enter", footer: "load", rank: 1, "read the file (its denied event fills the form)",
                   .loadEventFile),
        KeyBinding(.eventFile, [.tab], "Tab", footer: "complete", rank: 2,
                   "complete the file or folder name (relative to the working directory, ~ is home); several: lists them",
                   .completePath),
        KeyBinding(.eventFile, [.escape], "Esc", footer: "back", rank: 3, "close (the path is kept)", .closeEventFile),

        KeyBinding(.pasteText, [.enter], "Enter", footer: "newline", rank: 1, "a new line in the text", .newline),
        KeyBinding(.pasteText, [.up, .down, .left, .right, .home, .end, .tab, .backspace, .delete,
                                .control("a"), .control("e"), .control("u"), .control("k")],
                   "↑↓←→ Tab", "move in the text (Home/End, Ctrl-A/Ctrl-E the line's ends), Tab a tab, delete "
                   + "(Ctrl-U/Ctrl-K: the line before / after the cursor)", .editPasteText),
        KeyBinding(.pasteText, [.control("d"), .function(2), .control("s")], "Ctrl-D/F2", footer: "read it", rank: 2,
                   "read the pasted text", .readPaste),
        KeyBinding(.pasteText, [.escape], "Esc", footer: "back to form", rank: 3, "close (the text is kept)", .closePaste),
        KeyBinding(.pasteReading, [.escape], "Esc", footer: "edit again", rank: 1, "back to the text", .editPasteAgain),
        KeyBinding(.pasteReview, [.up, .character("k")], "↑/k", "previous field", .chooseUp),
        KeyBinding(.pasteReview, [.down, .character("j")], "↓/j", footer: "choose", rank: 1, "next field", .chooseDown),
        KeyBinding(.pasteReview, [.character(" ")], "Space", footer: "toggle", rank: 2, "take this field or not", .toggleField),
        KeyBinding(.pasteReview, [.character("a")], "a", footer: "accept all", rank: 3, "take every field", .acceptAll),
        KeyBinding(.pasteReview, [.enter], "Enter", footer: "accept checked", rank: 4, "take the checked fields", .acceptChecked),
        KeyBinding(.pasteReview, [.character("e"), .escape], "e/Esc", footer: "edit text", rank: 5, "edit the text again",
                   .editPasteAgain),

        KeyBinding(.gate, [.enter, .function(5)], "Enter/F5", footer: "run", rank: 1, "run the shown command", .run),
        KeyBinding(.gate, [.character("s"), .function(8)], "s/F8", footer: "skip", rank: 2, "skip it (asks the reason, recorded)", .skip),
        KeyBinding(.gate, [.character("e")], "e", footer: "edit", rank: 3, "edit the arguments (checked again)", .editCommand),
        KeyBinding(.gate, [.character("a")], "a", footer: "run all read-only", rank: 5,
                   "run every read-only command of this step", .runAllReadOnly),
        KeyBinding(.gate, [.character("y")], "y", footer: "copy", rank: 32, "copy the command (OSC 52 clipboard)", .copy),
        KeyBinding(.gateText, [.enter], "Enter", footer: "confirm", rank: 1, "confirm", .confirmText),
        KeyBinding(.gateText, [.escape], "Esc", footer: "back", rank: 2, "back to the command", .backFromText),

        KeyBinding(.changeDialog, [.enter], "word+Enter", footer: "runs (else declines)", rank: 1,
                   "runs once the typed word matches, otherwise declines", .confirmChange),
        KeyBinding(.changeDialog, [.tab, .backTab, .left, .right], "Tab", footer: "switch", rank: 3,
                   "Cancel ↔ Run (once Run is enabled)", .switchButton),
        KeyBinding(.changeDialog, [.escape], "Esc", footer: "cancel", rank: 4, "decline (recorded; nothing changes)", .decline),
        KeyBinding(.changeDialog, [.function(4), .control("t")], "F4/Ctrl-T", footer: "changes on/off", rank: 2,
                   "enable / disable changes for the session", .toggleChanges),

        KeyBinding(.credentials, [.enter], "Enter", footer: "check with this profile", rank: 0,
                   "check the credentials again with the highlighted profile (every later command uses it)", .useProfile),
        KeyBinding(.credentials, [.down, .character("j")], "↓/j", footer: "choose", rank: 1, "next profile", .profileDown),
        KeyBinding(.credentials, [.up, .character("k")], "↑/k", "previous profile", .profileUp),
        KeyBinding(.credentials, [.character("r")], "r", footer: "check again", rank: 2,
                   "check again as before (after refreshing the credentials elsewhere)", .checkCredentialsAgain),
        KeyBinding(.credentials, [.escape], "Esc/q", "quit (asks; the exit status is 2: no credentials)", .quit),

        KeyBinding(.finished, [.character("r")], "r", footer: "offer the declined change again", rank: 0,
                   "offer a declined change again (its step restarts, backup first)", .offerAgain),
        KeyBinding(.finished, [.character("r")], "r", footer: "retry the failed command", rank: 0,
                   "after a failed step stopped the session: propose its failed command again (once you fixed the cause, "
                   + "e.g. refreshed the credentials); it runs through the gate, and on success the session goes on",
                   .retryFailed),
        KeyBinding(.finished, [.character("e")], "e", footer: "export report", rank: 5, "export the report", .exportReport),
        KeyBinding(.finished, [.character("y")], "y", footer: "copy fix", rank: 33, "copy the fix as shown (v switches)", .copy),
        KeyBinding(.session, [.character("o")], "o", footer: "output", rank: 30, "output of the last command", .lastOutput),
        KeyBinding(.session, [.character("f")], "f", footer: "findings", rank: 31,
                   "findings, explanation, the fix and its commands in full", .findings),
        KeyBinding(.session, [.character("v")], "v", footer: "fix as JSON/Terraform/CFN", rank: 34,
                   "show the fix as the JSON policy, Terraform or CloudFormation", .fixView),
        KeyBinding(.session, [.function(4), .control("t")], "F4/Ctrl-T", footer: "changes on/off", rank: 35,
                   "enable / disable changes for the session", .toggleChanges),
        KeyBinding(.session, [.function(9), .control("r")], "F9/Ctrl-R", footer: "export", rank: 36, "export the report", .exportReport),
        KeyBinding(.session, [.character("q")], "q", footer: "quit", rank: 9, "quit (asks): the session is the top", .quit),
        KeyBinding(.session, [.tab], "Tab", footer: "steps", rank: 4,
                   "focus the step list: any step's commands and outputs", .focusSteps),
        KeyBinding(.session, [.character("r")], "r", "try a failed step (✗) again: select it in the step list (Tab), then r",
                   .retryFailed),

        KeyBinding(.steps, [.down, .character("j")], "↓/j", footer: "choose", rank: 1, "next step", .selectStep(.down)),
        KeyBinding(.steps, [.up, .character("k")], "↑/k", "previous step", .selectStep(.up)),
        KeyBinding(.steps, [.home, .character("g")], "g/G", "first step", .selectStep(.first)),
        KeyBinding(.steps, [.end, .character("G")], "G", "last step", .selectStep(.last)),
        KeyBinding(.steps, [.enter], "Enter", footer: "its outputs", rank: 2,
                   "the selected step's commands and their outputs in full (the pager)", .openStep),
        KeyBinding(.steps, [.character("r")], "r", footer: "retry its failed commands", rank: 0,
                   "the selected step failed (✗): run its failed commands again once you fixed the cause (e.g. refreshed "
                   + "the credentials), each through the gate or the change dialog; what answered before is not asked "
                   + "again, and the later steps and the findings take the new outcome", .retryFailed),
        KeyBinding(.steps, [.tab, .backTab, .escape], "Tab/Esc", footer: "back", rank: 3,
                   "back to the current step (the command gate)", .leaveSteps),

        KeyBinding(.running, [.character("x")], "x/Ctrl-C", footer: "cancel", rank: 1, "cancel the running command", .cancelCommand),
        KeyBinding(.running, [.character("o")], "o", footer: "last output", rank: 2, "output of the last command", .lastOutput),

        KeyBinding(.pager, [.down, .character("j"), .enter], "↓/j", footer: "scroll", rank: 1, "next line", .pager(.lineDown)),
        KeyBinding(.pager, [.up, .character("k")], "↑/k", "previous line", .pager(.lineUp)),
        KeyBinding(.pager, [.pageDown, .character(" "), .character("f")], "PgDn/Space", footer: "page", rank: 5, "next page (f too)",
                   .pager(.pageDown)),
        KeyBinding(.pager, [.pageUp, .character("b")], "PgUp/b", "previous page", .pager(.pageUp)),
        KeyBinding(.pager, [.control("d")], "Ctrl-D", "half a page down", .pager(.halfDown)),
        KeyBinding(.pager, [.control("u")], "Ctrl-U", "half a page up", .pager(.halfUp)),
        KeyBinding(.pager, [.home, .character("g")], "g/G", footer: "top/end", rank: 14, "first line", .pager(.top)),
        KeyBinding(.pager, [.end, .character("G")], "G", "last line", .pager(.bottom)),
        KeyBinding(.pager, [.left, .character("h")], "←/h", "half a screen left", .pager(.left)),
        KeyBinding(.pager, [.right, .character("l")], "→/l", footer: "sideways", rank: 6, "half a screen right", .pager(.right)),
        KeyBinding(.pager, [.character("0")], "0", "back to column 1", .pager(.firstColumn)),
        KeyBinding(.pager, [.character("w")], "w", footer: "wrap", rank: 3, "wrap long lines on / off", .pager(.wrap)),
        KeyBinding(.pager, [.character("/")], "/", footer: "search", rank: 4, "search", .pager(.search)),
        KeyBinding(.pager, [.character("n")], "n/N", footer: "next/prev", rank: 7, "next match", .pager(.nextMatch)),
        KeyBinding(.pager, [.character("N")], "N", "previous match", .pager(.previousMatch)),
        KeyBinding(.pager, [.character("J")], "J", footer: "pretty/raw", rank: 13, "pretty / raw JSON", .pager(.json)),
        KeyBinding(.pager, [.character("v")], "v", "findings: the fix as JSON / Terraform / CloudFormation", .fixView),
        KeyBinding(.pager, [.character("y")], "y", footer: "copy", rank: 11, "copy the command, or in the findings the fix",
                   .copy),
        KeyBinding(.pager, [.escape, .character("q")], "Esc/q", footer: "back", rank: 2, "back", .back),
        KeyBinding(.pagerSearch, [.enter], "Enter", footer: "search", rank: 1, "search for the typed text (then n/N)",
                   .pager(.searchAccept)),
        KeyBinding(.pagerSearch, [.escape], "Esc", footer: "cancel", rank: 2, "close the search field", .pager(.searchCancel)),

        KeyBinding(.list, [.character("/")], "/", footer: "search", rank: 20,
                   "search the list: typing selects the first match from the selection", .listSearch(.begin)),
        KeyBinding(.list, [.character("n")], "n/N", footer: "next/prev", rank: 21, "next match (wraps, says so)",
                   .listSearch(.next)),
        KeyBinding(.list, [.character("N")], "N", "previous match (wraps, says so)", .listSearch(.previous)),
        KeyBinding(.listSearch, [.enter], "Enter", footer: "go to match", rank: 1,
                   "go to the first match from the selection (the search stays for n/N)", .listSearch(.accept)),
        KeyBinding(.listSearch, [.escape], "Esc", footer: "cancel", rank: 2, "cancel: the selection goes back",
                   .listSearch(.cancel)),

        KeyBinding(.prompt, [.character("y"), .character("Y")], "y", footer: "yes", rank: 1, "yes: quit, or enable changes", .yes),
        KeyBinding(.prompt, [.control("c")], "Ctrl-C", footer: "again quits", rank: 2, "a second Ctrl-C quits", .quitAgain),
        KeyBinding(.prompt, [.escape, .character("n")], "any other key:", footer: "no", rank: 3,
                   "no (Esc, n, or any key but y): nothing happens", .no),

        KeyBinding(.help, [.down, .character("j")], "↓/j", footer: "scroll", rank: 1, "next line", .helpScroll(.lineDown)),
        KeyBinding(.help, [.up, .character("k")], "↑/k", "previous line", .helpScroll(.lineUp)),
        KeyBinding(.help, [.pageDown, .character(" "), .control("d")], "PgDn/Space/Ctrl-D", "down", .helpScroll(.pageDown)),
        KeyBinding(.help, [.pageUp, .character("b"), .control("u")], "PgUp/b/Ctrl-U", "up", .helpScroll(.pageUp)),
        KeyBinding(.help, [.home, .character("g")], "g", "top", .helpScroll(.top)),
        KeyBinding(.help, [.end, .character("G")], "G", "bottom", .helpScroll(.bottom)),
        KeyBinding(.help, [.escape, .character("?"), .character("q"), .function(1), .control("g"), .enter], "Esc/?/q",
                   footer: "close help", rank: 0, "close the help", .closeHelp),
    ]

    /// The contexts that apply now, most specific first.
    public static func contexts(_ state: GuidedState) -> [KeyContext] {
        if state.prompt != nil { return [.prompt] }
        if state.helpVisible { return [.help, .everywhere] }
        if let pager = state.pager { return pager.searchInput == nil ? [.pager, .everywhere] : [.pagerSearch, .everywhere] }
        switch state.phase {
        case .form:
            if state.eventFile != nil { return [.eventFile, .everywhere] }
            guard let paste = state.paste else { return [.form, .everywhere] }
            switch paste.stage {
            case .editing: return [.pasteText, .everywhere]
            case .parsing: return [.pasteReading, .everywhere]
            case .reviewing: return state.listSearch.typing ? [.listSearch, .everywhere] : [.pasteReview, .list, .everywhere]
            }
        case .session:
            if state.running != nil, state.stepFocus == nil { return [.running, .session, .everywhere] }
            if state.session?.credentials != nil {
                return state.listSearch.typing ? [.listSearch, .everywhere] : [.credentials, .list, .session, .everywhere]
            }
            if state.stepFocus != nil, Guided.canFocusSteps(state) {
                if state.listSearch.typing { return [.listSearch, .everywhere] }
                let waiting: [KeyContext] = state.running != nil ? [.running] : state.session?.proposal == nil ? [.finished] : []
                return [.steps, .list] + waiting + [.session, .everywhere]
            }
            guard state.session?.proposal != nil else { return [.finished, .session, .everywhere] }
            switch state.gate {
            case .choosing: return [.gate, .session, .everywhere]
            case .skipReason, .editing: return [.gateText, .everywhere]
            case .mutation: return [.changeDialog, .everywhere]
            }
        }
    }

    /// Contexts where printable keys are text for a field, so `?` and letters never act there.
    static let textContexts: Set<KeyContext> = [.form, .eventFile, .pasteText, .gateText, .changeDialog, .listSearch, .pagerSearch]

    /// Whether a binding can act now: one key can do different things by what the session waits
    /// for (`r` offers a declined change again, or retries a failed command).
    static func available(_ binding: KeyBinding, in state: GuidedState) -> Bool {
        switch binding.action {
        case .offerAgain: state.session?.declinedChangeStep != nil
        case .retryFailed: Guided.retryTarget(state) != nil
        case .focusSteps: Guided.canFocusSteps(state)
        case .quitAgain: state.prompt == .quit
        default: true
        }
    }

    /// Why a key bound here does nothing right now (its binding is not available), if it is.
    /// A key bound to several actions here says why each cannot act (`r`: no declined change,
    /// and no command stopped the session).
    static func unavailableHint(for key: Key, in state: GuidedState) -> String? {
        let contexts = contexts(state)
        let hints = bindings.filter { contexts.contains($0.context) && $0.keys.contains(key) && !available($0, in: state) }
            .compactMap { binding -> String? in
                switch binding.action {
                case .offerAgain: "No declined change to offer again."
                case .retryFailed: Guided.noRetryHint(state)
                case .focusSteps: "The step list can take the keys once nothing waits for an answer here."
                default: nil
                }
            }
        // One key bound in several contexts (r) says each reason once.
        let unique = hints.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return unique.isEmpty ? nil : unique.joined(separator: " ")
    }

    /// The action bound to `key` now, nil when the key does nothing here.
    public static func action(for key: Key, in state: GuidedState) -> KeyAction? {
        let contexts = contexts(state)
        let typing = contexts.contains { textContexts.contains($0) }
        for context in contexts {
            if let binding = bindings.first(where: { $0.context == context && $0.keys.contains(key) && available($0, in: state) }) {
                if typing, context == .everywhere, key.text != nil { continue }
                return binding.action
            }
        }
        return nil
    }

    /// Actions that leave where the operator is: the footer keeps the current screen's (the first
    /// one found, most specific context first), so the way out is always shown.
    static let exits: Set<KeyAction> = [.quit, .back, .decline, .closePaste, .closeEventFile, .backFromText, .closeHelp,
                                        .leaveSteps, .listSearch(.cancel), .editPasteAgain, .pager(.searchCancel)]

    /// The footer's hints in rank order, as text.
    public static func footer(_ state: GuidedState) -> [String] { footerItems(state).map(\.text) }

    /// The footer's hints in rank order, each saying whether it is pinned (a way out).
    public static func footerItems(_ state: GuidedState) -> [FooterLayout.Item] {
        // A binding whose keys a more specific context takes (F1 closes the help) is not offered.
        var taken = Set<Key>()
        var shown: [KeyBinding] = []
        for context in contexts(state) {
            let own = bindings.filter { $0.context == context }
            shown += own.filter { $0.footer != nil && taken.isDisjoint(with: $0.keys) }
            taken.formUnion(own.flatMap(\.keys))
        }
        shown.removeAll { !available($0, in: state) }
        // One item per action: the most specific binding's (q quit in the session, not F10 too).
        var seen = Set<KeyAction>()
        let typing = contexts(state).contains { textContexts.contains($0) }
        let unique = shown.filter { seen.insert($0.action).inserted }
        let exit = unique.first { exits.contains($0.action) }
        return unique.sorted { $0.rank < $1.rank }
            .map { .init(text: ((typing ? $0.textLabel : nil) ?? $0.label) + " " + ($0.footer ?? ""),
                         pinned: $0.pinned || $0 == exit, key: clickKey($0, typing: typing)) }
    }

    /// The key a click on a footer hint presses: the binding's first key that acts here (where
    /// text is typed, not a printable one: `?` would be typed, F1 opens the help).
    static func clickKey(_ binding: KeyBinding, typing: Bool) -> Key? {
        binding.keys.first { !typing || binding.context != .everywhere || $0.text == nil }
    }

    /// The help for the current screen: every context that can apply in this phase, with all
    /// its keys: (group title, [(keys, what they do)]).
    public static func help(_ state: GuidedState) -> [(String, [(String, String)])] {
        let contexts: [KeyContext]
        if state.pager != nil {
            contexts = [.pager, .pagerSearch, .everywhere]
        } else {
            switch state.phase {
            case .form: contexts = [.form, .eventFile, .pasteText, .pasteReading, .pasteReview, .list, .listSearch, .everywhere, .prompt]
            case .session:
                contexts = (state.session?.credentials != nil ? [.credentials] : [])
                    + [.gate, .gateText, .changeDialog, .session, .steps, .list, .listSearch, .finished, .running, .everywhere, .prompt]
            }
        }
        return (contexts + [.help]).map { context in
            (context.title, bindings.filter { $0.context == context }.map { ($0.label, $0.help) })
        }
    }

    /// The help as lines (for drawing and scrolling): group titles, then "keys  what" rows.
    static func helpLines(_ state: GuidedState, width: Int) -> [(text: String, title: Bool)] {
        let keyWidth = min(24, max(10, width / 3))
        var lines: [(String, Bool)] = []
        for (title, keys) in help(state) {
            if !lines.isEmpty { lines.append(("", false)) }
            lines.append((title, true))
            for (key, what) in keys {
                let pad = key.padding(toLength: max(key.count, keyWidth), withPad: " ", startingAt: 0)
                let wrapped = Wrap.lines(what, width: max(8, width - keyWidth - 4))
                for (i, part) in wrapped.enumerated() {
                    lines.append(((i == 0 ? "  " + pad + " " : String(repeating: " ", count: keyWidth + 3)) + part, false))
                }
            }
        }
        return lines
    }
}

/// Draws the help overlay; it scrolls (j/k, PgDn/PgUp, g/G) when it is longer than the screen.
enum HelpScreen {
    static func box(_ area: Rect) -> Rect { area.centred(width: min(area.width - 2, 90), height: area.height) }

    /// Rows the help's text has inside its box.
    static func bodyHeight(_ size: TerminalSize) -> Int { max(1, size.height - 3 - 2) }

    static func draw(_ state: GuidedState, area: Rect, into screen: inout ScreenBuffer) {
        screen.fill(area)
        let box = box(area)
        let lines = KeyMap.helpLines(state, width: box.width - 4)
        let body = box.height - 2
        let top = max(0, min(state.helpTop, lines.count - body))
        let more = lines.count > body ? " · \(top + 1)-\(min(lines.count, top + body)) of \(lines.count), j/k scroll" : ""
        Chrome.box(box, title: "Keys" + more, style: CellStyle(bold: true, role: .accent), into: &screen)
        for (i, line) in lines.dropFirst(top).prefix(body).enumerated() {
            screen.put(line.text, row: box.row + 1 + i, column: box.column + 2,
                       style: line.title ? .bold : .plain, maxWidth: box.width - 4)
        }
    }
}
