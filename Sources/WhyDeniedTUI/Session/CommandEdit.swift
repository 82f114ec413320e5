import WhyDeniedRunbook
import WhyDeniedSession

/// Re-validation of a command the operator edited in the gate: it must still be the same
/// program, must parse as words, must keep the session's `--endpoint-url`, `--profile` and
/// `--region`, and is classified again by the one `CommandClassifier`. An edit that turns a
/// read into a change becomes a mutation (change dialog, typed word) when changes are enabled,
/// and is refused with the reason when they are not.
///
/// ```swift
/// CommandEdit.validate("aws iam delete-role --role-name x", replacing: readOnlyProposal, changesEnabled: false)
/// // .failure("changes the account (iam:DeleteRole is Write in the action catalog); …")
/// ```
public enum CommandEdit {
    public static func validate(_ line: String, replacing original: CommandProposal, changesEnabled: Bool,
                                classifier: CommandClassifier = .bundled) -> Result<CommandProposal, FieldProblem> {
        let argv: [String]
        do {
            argv = try ShellWords.split(line)
        } catch {
            return .failure(error)
        }
        if let problem = EditedCommand.problem(editing: original.argv, into: argv) {
            return .failure(FieldProblem(problem))
        }
        var edited = original
        edited.argv = argv
        edited.edited = argv != original.argv || original.edited
        let classification = classifier.classify(argv)
        if classification.mutates && !original.mutates {
            guard changesEnabled else {
                return .failure(FieldProblem("changes the account (\(classification.reason)); the session is read-only, so it is not run"))
            }
            let command = AWSCommandLine(argv)
            edited.mutates = true
            edited.why = "You edited a read into a change: \(classification.reason)."
            edited.change = nil
            edited.confirmWord = [command.service, command.operation].compactMap { $0 }.joined(separator: "-")
            if edited.confirmWord.isEmpty { edited.confirmWord = "apply" }
        }
        return .success(edited)
    }
}
