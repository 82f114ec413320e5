extension DecodedAuthorization {
    /// The read-only command that decodes an encoded authorization failure message, as argv.
    /// The session offers it through the runbook (shown and confirmed like every command);
    /// `parse` prints it.
    ///
    /// The blob is joined to its option with `=`: a blob may start with `-`, which the CLI
    /// would otherwise take for an option.
    ///
    /// ```swift
    /// DecodedAuthorization.decodeCommand(for: "EXAMPLEWody…")
    /// // ["aws", "sts", "decode-authorization-message", "--encoded-message=EXAMPLEWody…"]
    /// ```
    public static func decodeCommand(for encodedMessage: String) -> [String] {
        ["aws", "sts", "decode-authorization-message", "--encoded-message=\(encodedMessage)"]
    }
}
