import WhyDeniedRunbook

/// What an operator's edit of a proposed command may not do, whatever it runs: start another
/// program, or send the request somewhere else or as someone else. `--endpoint-url`,
/// `--profile` and `--region` (in any spelling the CLI accepts) must stay exactly as proposed;
/// they are the session's, chosen before it started. Whether the edit changes the account is
/// the classifier's question, asked separately.
///
/// ```swift
/// EditedCommand.problem(editing: ["aws", "iam", "list-users"],
///                       into: ["aws", "iam", "list-users", "--endpoint-url=https://elsewhere.example"])
/// // "--endpoint-url can't be changed in an edit: the session's is none (…)"
/// ```
public enum EditedCommand {
    /// The global options that choose where, and as whom, a command runs.
    public static let connectionOptions = ["--endpoint-url", "--profile", "--region"]

    /// Why the edit is refused, or nil when it may run (after classification).
    public static func problem(editing original: [String], into edited: [String]) -> String? {
        guard let program = edited.first, !program.isEmpty else { return "the command is empty" }
        guard program == original.first else {
            return "must still run \(original.first ?? "the same program"), not \(program)"
        }
        let before = AWSCommandLine(original)
        let after = AWSCommandLine(edited)
        for option in connectionOptions where before.values(of: option) != after.values(of: option) {
            let was = before.values(of: option).last.map { "\"\($0)\"" } ?? "none (the session's own)"
            return "\(option) can't be changed in an edit: this command runs with \(was); start a session with the one you want instead"
        }
        return nil
    }
}
