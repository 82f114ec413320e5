import WhyDeniedJSON

/// One `aws` command the session wants run, as the runbook resolved it: an argv array that starts
/// with `aws`, plus how to run it (time limit, paging, pacing). Never a shell line.
///
/// ```swift
/// let request = CommandRequest(argv: ["aws", "cloudtrail", "lookup-events", "--max-items", "50"],
///                              paging: PageRequest(tokenArgument: "--starting-token",
///                                                  tokenField: "NextToken", maxPages: 5),
///                              minimumInterval: .milliseconds(500))
/// ```
public struct CommandRequest: Sendable, Hashable {
    public var argv: [String]
    /// Per-command limit; `nil` uses the runner's default.
    public var timeout: Duration?
    public var paging: PageRequest?
    /// Client-side pacing between two starts of this command (CloudTrail LookupEvents: 2/s).
    public var minimumInterval: Duration?
    /// Mutating commands are refused by headless runs; the runner itself does not judge.
    public var mutates: Bool
    /// Re-run until a terminal state (asynchronous queries); see `PollRequest`.
    public var polling: PollRequest? = nil

    public init(argv: [String], timeout: Duration? = nil, paging: PageRequest? = nil,
                minimumInterval: Duration? = nil, mutates: Bool = false) {
        self.argv = argv
        self.timeout = timeout
        self.paging = paging
        self.minimumInterval = minimumInterval
        self.mutates = mutates
    }
}

/// How to follow a paginated answer: which output field holds the next token, which argument
/// passes it back, and how many pages at most (a bound the operator sees in the outcome).
///
/// ```swift
/// PageRequest(tokenArgument: "--starting-token", tokenField: "NextToken", maxPages: 5)
/// ```
public struct PageRequest: Sendable, Hashable {
    public var tokenArgument: String
    public var tokenField: String
    public var maxPages: Int
    /// The list pages add to when it is nested (Athena's `ResultSet.Rows`); nil: every top-level list.
    public var itemsPath: JSONPath? = nil

    public init(tokenArgument: String = "--starting-token", tokenField: String = "NextToken", maxPages: Int = 5) {
        self.tokenArgument = tokenArgument
        self.tokenField = tokenField
        self.maxPages = max(1, maxPages)
    }
}
