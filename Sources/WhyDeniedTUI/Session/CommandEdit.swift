/// Re-validation of a command the operator edited in the gate: it must still be the same
/// program, must parse as words, and a read-only command must not become a mutating one.
///
/// ```swift
/// CommandEdit.validate("aws iam delete-role --role-name x", replacing: readOnlyProposal)
/// // .failure("… would change the account …")
/// ```
public enum CommandEdit {
    /// Operation prefixes of the AWS CLI that change state.
    static let mutatingPrefixes = ["create-", "put-", "attach-", "detach-", "delete-", "update-", "set-",
                                   "remove-", "add-", "tag-", "untag-", "modify-", "upload-", "enable-",
                                   "disable-", "start-", "stop-", "terminate-", "reset-", "replace-"]

    public static func validate(_ line: String, replacing original: CommandProposal)
        -> Result<CommandProposal, FieldProblem> {
        let argv: [String]
        do {
            argv = try ShellWords.split(line)
        } catch {
            return .failure(error)
        }
        guard let program = argv.first else { return .failure(FieldProblem("the command is empty")) }
        guard program == original.argv.first else {
            return .failure(FieldProblem("must still run \(original.argv.first ?? "the same program"), not \(program)"))
        }
        if !original.mutates, let operation = argv.dropFirst(2).first,
           mutatingPrefixes.contains(where: { operation.hasPrefix($0) }) {
            return .failure(FieldProblem("\(operation) would change the account; a read-only step cannot be edited into a change"))
        }
        var edited = original
        edited.argv = argv
        edited.edited = argv != original.argv || original.edited
        return .success(edited)
    }
}
