/// An argv read the way the AWS CLI reads it: the global options, which the CLI accepts
/// anywhere, as `--opt value` or `--opt=value`, and abbreviated to any unambiguous prefix
/// (`--endp` is `--endpoint-url`: the CLI's argparse allows it), are set aside; the first two
/// other words are the service and the operation.
///
/// ```swift
/// let line = AWSCommandLine(["aws", "--debug", "iam", "--region=eu-west-1", "create-user", "--user-name", "x"])
/// line.service                 // "iam"
/// line.operation               // "create-user"
/// line.values(of: "--region")  // ["eu-west-1"]
/// ```
public struct AWSCommandLine: Sendable, Equatable {
    /// A global option as given, with the CLI's full name (`--endpoint-url` for `--endp`).
    public struct GlobalOption: Sendable, Equatable {
        public let name: String
        public let value: String?
    }

    public let program: String
    public let globalOptions: [GlobalOption]
    /// The first word that is not a global option or its value, e.g. `iam`, `s3`, `configure`, `help`.
    public let service: String?
    /// The second such word, e.g. `list-users`.
    public let operation: String?
    /// The words after the operation that are not global options (the operation's own arguments).
    public let arguments: [String]
    /// An option before the operation that is not a global one: the CLI would refuse it, or a
    /// plugin would read it; either way nothing about the command can be proven from it.
    public let unknownOptionBeforeOperation: String?
    /// A global option the CLI could not tell apart (`--no` is `--no-paginate` or `--no-verify-ssl`?).
    public let ambiguousOption: String?

    /// The CLI's global options that take a value (AWS CLI v1 and v2).
    public static let optionsWithValue: Set<String> = [
        "--endpoint-url", "--output", "--query", "--profile", "--region", "--color", "--ca-bundle",
        "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format",
    ]
    /// The CLI's global options that are flags (AWS CLI v1 and v2).
    public static let flags: Set<String> = [
        "--debug", "--no-verify-ssl", "--no-paginate", "--version", "--no-sign-request", "--v2-debug",
        "--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt",
    ]

    public init(_ argv: [String]) {
        program = argv.first ?? ""
        var options: [GlobalOption] = []
        var words: [String] = []
        var unknown: String?
        var ambiguous: String?
        var plainWords = 0
        var index = 1
        while index < argv.count {
            let word = argv[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                words.append(word)
                plainWords += 1
                continue
            }
            let given = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let written = String(given[0])
            switch Self.globalName(written) {
            case .some(.some(let name)):
                if Self.optionsWithValue.contains(name) {
                    if given.count == 2 {
                        options.append(GlobalOption(name: name, value: String(given[1])))
                    } else {
                        options.append(GlobalOption(name: name, value: index < argv.count ? argv[index] : nil))
                        index += 1
                    }
                } else {
                    options.append(GlobalOption(name: name, value: given.count == 2 ? String(given[1]) : nil))
                }
            case .some(.none):
                ambiguous = ambiguous ?? written
                if plainWords < 2 { unknown = unknown ?? written }
                words.append(word)
            case .none:
                if plainWords < 2 { unknown = unknown ?? written }
                words.append(word)
            }
        }
        // Options before the operation were collected as words so the order is kept; the
        // service and operation are the first two words that are not options.
        let plain = words.enumerated().filter { !($0.element.hasPrefix("--") && $0.element.count > 2) }
        service = plain.first?.element
        operation = plain.dropFirst().first?.element
        let afterOperation = plain.dropFirst().first.map { $0.offset + 1 } ?? words.count
        arguments = Array(words[min(afterOperation, words.count)...])
        unknownOptionBeforeOperation = unknown
        ambiguousOption = ambiguous
        globalOptions = options
    }

    /// Whether the program is the AWS CLI (`aws`, or a path ending in `/aws`).
    public var isAWS: Bool { program == "aws" || program.hasSuffix("/aws") }

    /// Every value given for a global option, in order (the last one is what the CLI uses).
    public func values(of option: String) -> [String] {
        globalOptions.filter { $0.name == option }.compactMap(\.value)
    }

    /// Whether a global flag (or option) is present.
    public func has(_ option: String) -> Bool { globalOptions.contains { $0.name == option } }

    /// The global option `written` stands for: nil when it is none, `.some(nil)` when it is a
    /// prefix of more than one (argparse refuses it as ambiguous).
    static func globalName(_ written: String) -> String?? {
        let all = optionsWithValue.union(flags)
        if all.contains(written) { return .some(written) }
        let candidates = all.filter { $0.hasPrefix(written) }
        switch candidates.count {
        case 0: return nil
        case 1: return .some(candidates.first)
        default: return .some(nil)
        }
    }
}
