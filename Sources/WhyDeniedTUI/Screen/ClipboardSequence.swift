import Foundation

/// The OSC 52 escape sequence that asks the terminal to put text on the system clipboard
/// ("c"), base64-encoded as the sequence requires; BEL ends it (tmux and xterm accept it).
///
/// ```swift
/// ClipboardSequence.osc52("hi") // "\u{1B}]52;c;aGk=\u{07}"
/// ```
public enum ClipboardSequence {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}
