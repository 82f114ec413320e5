import WhyDeniedAnalysis
import WhyDeniedRunbook

/// The one rule for "does this command change the account", used by the gate for edited
/// commands, by `runbook validate` and by every session (TUI and headless) for each command it
/// is about to run. A command is read-only only when that is proven:
///
/// 1. the program is `aws`; the CLI's global options (anywhere, `--opt value` or `--opt=value`,
///    abbreviated or not) are set aside, no other option comes before the operation, and
///    `--cli-auto-prompt` (which lets the command be changed at a prompt) is absent;
/// 2. the command is a read in `AWSCLICommands` (`aws s3 ls`, `aws configure list|get|list-profiles`,
///    `help`, `aws --version`), or
/// 3. its service and operation (`s3api list-objects-v2` → `s3`, `ListObjectsV2`) map, through the
///    action catalog's API table, to IAM actions that are all `List` or `Read` (or listed, with
///    their reason, in `readOnlyExceptions`: `sts:DecodeAuthorizationMessage`), or to a call that
///    needs no permission (`sts get-caller-identity`).
///
/// Everything else — unknown services and operations, non-`aws` programs, other `aws s3` and
/// `aws configure` commands — changes the account.
///
/// ```swift
/// CommandClassifier.bundled.classify(["aws", "--debug", "iam", "create-user", "--user-name", "x"])
/// // changes the account: iam:CreateUser is Write in the action catalog
/// ```
public struct CommandClassifier: CommandClassifying {
    public static let bundled = CommandClassifier(catalog: .bundled)

    /// The access levels that only read.
    static let readOnlyLevels: Set<String> = ["List", "Read"]

    /// Actions the catalog files under another level that provably only read, each with the
    /// reason and its source. Short on purpose: an entry needs a test and a reference; every
    /// other action follows the catalog.
    static let readOnlyExceptions: [String: String] = [
        "sts:DecodeAuthorizationMessage":
            "it only decodes the encoded authorization message it is given and returns the text; it changes nothing "
            + "(STS API reference, DecodeAuthorizationMessage: the response is DecodedMessage, the decoded document)",
    ]

    let catalog: ActionCatalog

    public init(catalog: ActionCatalog) {
        self.catalog = catalog
    }

    public func classify(_ argv: [String]) -> CommandClassification {
        guard let program = argv.first, !program.isEmpty else { return .mutating("the command is empty") }
        let line = AWSCommandLine(argv)
        guard line.isAWS else { return .mutating("only aws commands can be proven read-only, and \(program) is not aws") }
        if line.has("--cli-auto-prompt") {
            return .mutating("--cli-auto-prompt lets the command be changed at a prompt before it runs")
        }
        if let ambiguous = line.ambiguousOption {
            return .mutating("\(ambiguous) is ambiguous among the aws CLI's global options")
        }
        if let unknown = line.unknownOptionBeforeOperation {
            return .mutating("\(unknown) before the operation is not a global option of the aws CLI")
        }
        if let local = AWSCLICommands.local(line) { return local }
        guard let service = line.service, let operation = line.operation else {
            return .mutating("an aws command needs a service and an operation")
        }
        guard let cliAPIName = AWSCLICommands.apiName(forCLIOperation: operation) else {
            return .mutating("\"\(operation)\" is not an aws CLI operation name")
        }
        let apiName = AWSCLICommands.catalogAPIName(forCLIService: service, apiName: cliAPIName)
        let prefix = AWSCLICommands.iamPrefix(forCLIService: service)
        do {
            guard try catalog.service(prefix) != nil else {
                return .mutating("\(service) is not a service in the action catalog")
            }
            let call = try catalog.actionsForCall(servicePrefix: prefix, apiName: apiName)
            switch call.basis {
            case .permissionless:
                return .readOnly("\(prefix):\(call.apiName) needs no permission and changes nothing")
            case .unknown:
                return .mutating("the action catalog has no action for aws \(service) \(operation) (\(prefix):\(apiName))")
            case .knownMapping, .sameNameAction:
                guard !call.actions.isEmpty else {
                    return .mutating("the action catalog names no action for aws \(service) \(operation)")
                }
                var levels: [(action: String, level: String)] = []
                for name in call.actions {
                    guard let action = try catalog.action(name) else {
                        return .mutating("the action catalog has no action \(name)")
                    }
                    levels.append((action.iamAction, action.accessLevel))
                }
                if let change = levels.first(where: {
                    !Self.readOnlyLevels.contains($0.level) && Self.readOnlyExceptions[$0.action] == nil
                }) {
                    return .mutating("\(change.action) is \(change.level) in the action catalog")
                }
                guard levels.contains(where: { Self.readOnlyExceptions[$0.action] != nil }) else {
                    return .readOnly(levels.map { "\($0.action) is \($0.level)" }.joined(separator: ", ") + " in the action catalog")
                }
                return .readOnly(levels.map { level in
                    Self.readOnlyExceptions[level.action].map { "\(level.action) is \(level.level) in the action catalog, but \($0)" }
                        ?? "\(level.action) is \(level.level) in the action catalog"
                }.joined(separator: "; "))
            }
        } catch {
            return .mutating("the action catalog could not be read: \(error)")
        }
    }
}
