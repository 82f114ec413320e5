extension DecodedAuthorization {
    /// The read-only command that decodes an encoded authorization failure message, as argv.
    /// The session offers it through the runbook (shown and confirmed like every command);
    /// `parse` prints it.
    ///
    /// ```swift
    /// DecodedAuthorization.decodeCommand(for: "EXAMPLEWody…")
    /// // ["aws", "sts", "decode-authorization-message", "--encoded-message", "EXAMPLEWody…"]
    /// ```
    public static func decodeCommand(for encodedMessage: String) -> [String] {
        ["aws", "sts", "decode-authorization-message", "--encoded-message", encodedMessage]
    }
}
