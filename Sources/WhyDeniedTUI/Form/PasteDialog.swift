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
    public var detected: [PrefillField] = []
    public var accepted: [Bool] = []
    public var selection = 0
    /// Why the last submit failed (parse error, nothing detected); the text stays for another try.
    public var error: String?

    public init() {}

    public var acceptedFields: [PrefillField] {
        zip(detected, accepted).filter(\.1).map(\.0)
    }
}

/// A parameter value read off pasted text, with where it came from
/// (e.g. `error message: "User: arn:…"` or `event.userIdentity.arn`).
public struct PrefillField: Hashable, Sendable {
    public var name: String
    public var value: String
    public var origin: String

    public init(name: String, value: String, origin: String) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}
