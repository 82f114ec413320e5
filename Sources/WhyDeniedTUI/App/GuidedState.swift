import Foundation

/// The whole UI as one value: which screen, the form, the paste dialog, the session as last
/// reported, the command gate, overlays, and the clock. `Guided.update` is the only thing that
/// changes it and `Guided.view` the only thing that draws it.
///
/// ```swift
/// let state = GuidedState(size: TerminalSize(width: 100, height: 30), now: .now,
///                         environment: ProcessInfo.processInfo.environment)
/// ```
public struct GuidedState: Hashable, Sendable {
    public enum Phase: Hashable, Sendable { case form, session }

    /// What the command gate is doing with the current proposal.
    public enum Gate: Hashable, Sendable {
        case choosing
        case skipReason(TextField)
        case editing(TextField, problem: String?)
        case mutation(MutationDialog)
    }

    /// What the pager shows: the last output, the findings, or one step's commands and outputs.
    public enum PagerSource: Hashable, Sendable { case output, findings, step(String) }

    /// A yes/no question that takes over the keyboard until answered; the default is "no".
    public enum Prompt: Hashable, Sendable { case quit, enableChanges }

    public struct Running: Hashable, Sendable {
        public var proposal: CommandProposal
        public var startedAt: Date
        public var cancelling = false
    }

    public var size: TerminalSize
    public var now: Date
    public var phase: Phase = .form
    public var form: ParameterForm
    public var paste: PasteDialog?
    /// The last paste dialog, kept after it closes so its text is never lost.
    public var pasteDraft: PasteDialog?
    /// The "load a local event file" prompt, while it is open.
    public var eventFile: EventFilePrompt?
    /// The path last typed there, offered again when the prompt opens.
    public var lastEventFilePath = ""
    public var starting = false
    public var session: SessionView?
    /// Whether the runtime points at the local moto sandbox (shown before the session starts).
    public var sandbox: Bool
    /// `guide --replay`: the banner says REPLAY from the first frame.
    public var replay: Bool
    public var changesEnabled = false
    public var gate: Gate = .choosing
    public var running: Running?
    /// Step whose read-only commands run without asking (the `a` key), until it changes.
    public var autoRunStep: String?
    /// The step selected in the step list while it has the keyboard (Tab); nil: the main pane has it.
    public var stepFocus: Int?
    public var pager: Pager?
    /// What the pager shows, so the findings page is laid out again for a new width or fix view.
    public var pagerSource: PagerSource?
    public var helpVisible = false
    /// The first help line shown (the help scrolls when it is longer than the screen).
    public var helpTop = 0
    /// Which rendering of the fix is shown (`v`): the JSON policy, Terraform, CloudFormation.
    public var fixView = 0
    public var prompt: Prompt?
    /// The highlighted profile while the session waits for credentials.
    public var profileChoice = 0
    /// `/` search in the selectable list on screen (one for every list: `Guided.searchableList`).
    public var listSearch = ListSearch()
    /// One line of feedback for the operator (why a key did nothing, what just happened).
    public var status: String?

    public init(size: TerminalSize, now: Date, environment: [String: String], sandbox: Bool = false, replay: Bool = false) {
        self.size = size
        self.now = now
        self.form = ParameterForm.standard(environment: environment)
        self.sandbox = sandbox
        self.replay = replay
    }

    /// The banner's context: the session's once it runs, the form's values before.
    public var context: ContextBanner {
        if let session { return session.context }
        return ContextBanner(account: form.value(of: "account_id").flatMap { $0.isEmpty ? nil : $0 },
                             caller: nil,
                             region: form.value(of: "region").flatMap { $0.isEmpty ? nil : $0 },
                             profile: form.value(of: "profile").flatMap { $0.isEmpty ? nil : $0 },
                             sandbox: sandbox, replay: replay)
    }
}

/// The dialog for a command that changes the account. Run needs changes enabled for the session
/// and the shown word typed; the focus follows the word (Cancel until it matches, then Run), so a
/// typed word and Enter runs the change, as `terraform apply` does with "yes", and anything else
/// with Enter declines. Tab picks the other button, Run only once it can run.
public struct MutationDialog: Hashable, Sendable {
    public enum Button: Hashable, Sendable { case cancel, run }
    public var typed = TextField()
    /// The button picked with Tab since the word was last edited; nil follows the word.
    public var picked: Button?

    public init() {}

    public func canRun(word: String, changesEnabled: Bool) -> Bool {
        changesEnabled && typed.text == word
    }

    /// The button Enter presses.
    public func focus(word: String, changesEnabled: Bool) -> Button {
        canRun(word: word, changesEnabled: changesEnabled) ? picked ?? .run : .cancel
    }
}
