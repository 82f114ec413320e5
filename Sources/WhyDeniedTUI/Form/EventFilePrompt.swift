/// The "load a local event file" prompt on the form: one path field with Tab completion, the
/// candidates of the last Tab, and why the last load failed. A failure keeps the typed path, so
/// the operator corrects it instead of typing it again.
///
/// ```swift
/// var prompt = EventFilePrompt(path: "~/Downloads/trail.json.gz")
/// prompt.field.text   // "~/Downloads/trail.json.gz"
/// ```
public struct EventFilePrompt: Hashable, Sendable {
    public enum Stage: Hashable, Sendable { case editing, reading }

    public var field: TextField
    public var stage: Stage = .editing
    /// The names the last Tab matched when there were several.
    public var candidates: [String] = []
    /// Why the last completion or load failed; the typed path stays.
    public var error: String?
    /// The text a Tab asked to complete, until the answer comes back.
    public var completing: String?
    /// Enter came while a completion was on its way: load once it is applied (as a shell
    /// completes before it runs the line).
    public var loadWhenCompleted = false

    public init(path: String = "") {
        field = TextField(path)
    }
}
