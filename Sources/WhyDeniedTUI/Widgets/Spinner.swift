/// The frames every "still working" line turns through, ten a second.
public enum Spinner {
    public static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// The frame for a task running for `seconds`.
    public static func frame(after seconds: Double) -> String {
        frames[Int(max(0, seconds) * 10) % frames.count]
    }
}
