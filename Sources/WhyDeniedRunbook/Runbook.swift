import WhyDeniedJSON

/// A troubleshooting runbook as loaded from YAML: parameters the operator supplies, and ordered
/// steps of guidance, argv command templates and named Swift parsers/analyses. It holds no logic
/// of its own; `StepEngine` walks it and `RunbookPlan` previews it.
///
/// ```swift
/// let runbook = try RunbookLoader.load(contentsOf: "Runbooks/access-denied.yaml")
/// runbook.steps.map(\.id)   // ["verify_dependencies", "check_trails", ...]
/// ```
public struct Runbook: Sendable, Equatable {
    public var id: String
    public var title: String
    public var version: String
    public var summary: String
    public var defaults: RunbookDefaults
    public var parameters: [RunbookParameter]
    public var steps: [RunbookStep]
    /// The file name used in issue messages.
    public var source: String

    public func step(_ id: String) -> RunbookStep? { steps.first { $0.id == id } }
    public func parameter(_ name: String) -> RunbookParameter? { parameters.first { $0.name == name } }

    /// Every capture any command declares, by name.
    public var captureSpecs: [String: CaptureSpec] {
        var specs: [String: CaptureSpec] = [:]
        for step in steps { for command in step.commands { for capture in command.captures { specs[capture.name] = capture } } }
        return specs
    }
}

/// Settings every command inherits unless it says otherwise.
public struct RunbookDefaults: Sendable, Equatable {
    /// Seconds before a command is cancelled.
    public var timeoutSeconds: Int
    /// Environment the runner sets for every command, e.g. `AWS_PAGER=""`.
    public var environment: [String: String]

    public init(timeoutSeconds: Int = 60, environment: [String: String] = [:]) {
        self.timeoutSeconds = timeoutSeconds
        self.environment = environment
    }
}

/// A value the operator gives once for the whole session (`principal`, `region`, ...).
public struct RunbookParameter: Sendable, Equatable {
    public var name: String
    public var label: String
    public var help: String
    public var required: Bool
    public var example: String?
    public var line: Int
}

/// One of the runbook's steps: guidance for the operator, local tool checks, commands and an
/// optional named analysis that runs after the commands.
public struct RunbookStep: Sendable, Equatable {
    public var id: String
    public var title: String
    public var guidance: String
    public var when: WhenCondition?
    /// Tools that must be on PATH; checked for existence only, never run.
    public var toolChecks: [String]
    public var strategy: StepStrategy
    public var onFailure: FailurePolicy
    public var commands: [CommandTemplate]
    /// Name of the Swift analysis the Session layer runs after the commands.
    public var analysis: String?
    public var line: Int
    /// Whose credentials run the step's commands, unless a command says otherwise.
    public var account: CommandAccount = .caller
}

/// Whose credentials a command runs with (`account:` on a step or a command). The resource's
/// policy lives in the resource's account: when that is another account, its reads (and a fix
/// of it) need that account's credentials, which the session takes from the `resource_profile`
/// parameter (`--resource-profile`). Without one, they run as every other command.
///
/// ```yaml
/// - id: check_resource_policies
///   account: resource
/// ```
public enum CommandAccount: String, Sendable, Equatable {
    /// The credentials the session runs with (the default).
    case caller
    /// The resource owner's account: the `resource_profile` parameter's profile, when given.
    case resource
}

/// How a step treats its list of commands.
public enum StepStrategy: String, Sendable, Equatable {
    /// Run every applicable command (the default).
    case all
    /// Alternative sources: stop at the first command that succeeds; `fallback_on` error codes
    /// mean "not available here, try the next".
    case firstSuccess = "first_success"
}

/// What a failed command (or analysis, or tool check) does to the run.
public enum FailurePolicy: Sendable, Equatable {
    /// Halt and wait for the operator to re-run, skip or stop (the default).
    case stop
    /// Note the failure and go on with the next command.
    case `continue`
    /// End this step as failed and jump to the named (later) step.
    case goto(String)
}

/// A command as written in the runbook: argv elements with `{{placeholders}}`.
public struct CommandTemplate: Sendable, Equatable {
    public var id: String
    public var why: String
    public var argv: [ArgumentTemplate]
    public var when: WhenCondition?
    public var forEach: ForEachSpec?
    /// True for commands that change the account; the caller must confirm them specially.
    public var mutates: Bool
    /// Named Swift parser that reads this command's output (the Session layer implements it).
    public var parser: String?
    public var timeoutSeconds: Int?
    public var pagination: Pagination?
    public var rateLimitPerSecond: Double?
    /// Error codes that mean "this source is unavailable here, try the next command"
    /// (only meaningful with `strategy: first_success`).
    public var fallbackOn: [String]
    /// Error codes that are an answer rather than a failure (e.g. `NoSuchBucketPolicy`).
    public var answeredBy: [String]
    public var captures: [CaptureSpec]
    /// Named checks the caller must pass before offering the command (e.g. policy size).
    public var preconditions: [String]
    /// The caller keeps this command's output as a backup of what is about to change.
    public var backup: Bool
    public var line: Int
    /// Re-run the same argv until a selected value is terminal (an asynchronous query's state).
    public var polling: Polling? = nil
    /// Consecutive commands sharing a group are one alternative of a `first_success` step.
    public var group: String? = nil
    /// In a `first_success` step, a success that captured nothing means "nothing here, try the next".
    public var fallbackIfEmpty: Bool = false
    /// A failure is noted and the step goes on whatever its `on_failure` (a check that adds
    /// confidence but is not needed, like the simulator after an offline verification).
    public var optional: Bool = false
    /// Whose credentials run it; nil takes the step's.
    public var account: CommandAccount? = nil
}

/// `poll:` — the runner re-runs the same command, with growing pauses, until the value at
/// `select` is one of `until` or `maxAttempts` runs are spent; one confirmation covers it all.
/// A terminal value listed in `failOn` ends the command as failed, with the text at `reason`.
///
/// ```yaml
/// poll: {select: QueryExecution.Status.State, until: [SUCCEEDED, FAILED, CANCELLED],
///        fail_on: [FAILED, CANCELLED], reason: QueryExecution.Status.StateChangeReason,
///        max_attempts: 30, interval: 1s..10s}
/// ```
public struct Polling: Sendable, Equatable {
    public var select: JSONPath
    public var until: [String]
    public var failOn: [String]
    public var reason: JSONPath?
    public var maxAttempts: Int
    /// Pause before the second run; it doubles up to `longestIntervalMilliseconds`.
    public var firstIntervalMilliseconds: Int
    public var longestIntervalMilliseconds: Int

    public init(select: JSONPath, until: [String], failOn: [String] = [], reason: JSONPath? = nil,
                maxAttempts: Int = 30, firstIntervalMilliseconds: Int = 1000, longestIntervalMilliseconds: Int = 10_000) {
        self.select = select
        self.until = until
        self.failOn = failOn
        self.reason = reason
        self.maxAttempts = maxAttempts
        self.firstIntervalMilliseconds = firstIntervalMilliseconds
        self.longestIntervalMilliseconds = longestIntervalMilliseconds
    }
}

/// Repeat a command once per element of captured lists.
public struct ForEachSpec: Sendable, Equatable {
    /// Capture names whose lists are concatenated (duplicates dropped, order kept).
    public var items: [String]
    /// The loop variable's name, used as `{{name}}` or `{{name.Field}}`.
    public var variable: String
    public var maxItems: Int
}

/// Token-driven pagination the runner may perform for the command.
public struct Pagination: Sendable, Equatable {
    public var tokenArgument: String
    public var tokenField: String
    public var maxPages: Int
    /// The list that pages add to when it is not a top-level field (Athena: `ResultSet.Rows`).
    public var itemsPath: JSONPath? = nil
}

/// A named value taken from a command's result.
public struct CaptureSpec: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A path into the command's JSON output.
        case select(JSONPath)
        /// A value the named parser produced under the capture's name.
        case parser
    }
    public enum Kind: String, Sendable, Equatable {
        case string, list, object, any
    }
    public var name: String
    public var source: Source
    public var kind: Kind
    public var optional: Bool
    /// Inside a `foreach`, store each value as `{"item": <loop item>, "value": <value>}` so a
    /// later loop can pair them (e.g. a group and its inline policy names).
    public var keepItem: Bool
}

/// A structured `when` condition; never a string language.
public indirect enum WhenCondition: Sendable, Equatable {
    case all([WhenCondition])
    case any([WhenCondition])
    case not(WhenCondition)
    case test(ConditionSubject, ConditionTest)
}

/// What a condition looks at.
public enum ConditionSubject: Sendable, Equatable, CustomStringConvertible {
    case parameter(String)
    case fact(String)
    case capture(String)

    public var description: String {
        switch self {
        case .parameter(let name): "params.\(name)"
        case .fact(let name): "facts.\(name)"
        case .capture(let name): "captures.\(name)"
        }
    }
}

/// The comparison a condition makes.
public enum ConditionTest: Sendable, Equatable {
    case equals(String)
    case oneOf([String])
    /// `present: true` holds when the value is known and not empty.
    case present(Bool)
    /// Holds when the value is a list holding this item, or a single value equal to it.
    case contains(String)
}
