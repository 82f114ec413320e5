import WhyDeniedEvidence

/// The "paste what AWS told you" dialog: a multi-line text area (Enter inserts a newline;
/// Ctrl-D or F2 submits), then the fields detected in it with where each came from, to accept
/// all or one by one. The pasted text is kept whatever happens, so an error never loses it.
///
/// ```swift
/// var dialog = PasteDialog()
/// dialog.area = TextArea("User: arn:aws:iam::123456789012:user/alice is not authorized…")
/// ```
public struct PasteDialog: Hashable, Sendable {
    public enum Stage: Hashable, Sendable { case editing, parsing, reviewing }

    public var area = TextArea()
    public var stage: Stage = .editing
    public var detected: [PrefilledParameter] = []
    /// The pasted message as the parser read it (nil for CloudTrail content).
    public var denial: PastedDenial?
    public var accepted: [Bool] = []
    public var selection = 0
    /// The file the fields were read from (the F3 prompt); nil for pasted text.
    public var source: String?
    /// What the reader noted (several denied events: which one was used).
    public var notes: [String] = []
    /// Why the last submit failed (parse error, nothing detected); the text stays for another try.
    public var error: String?

    public init() {}

    /// What the fields were read from, for titles and the status line.
    public var sourceName: String { source ?? "the pasted text" }

    public var acceptedFields: [PrefilledParameter] {
        zip(detected, accepted).filter(\.1).map(\.0)
    }
}

