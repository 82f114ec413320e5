import Foundation
import WhyDeniedJSON
import WhyDeniedSession

/// Runs the session's `aws` commands: resolves the CLI, adds `--output json` and the session's
/// profile, region and endpoint, starts the process through a `ProcessLauncher` (live, recording
/// or replay), classifies failures, retries throttling with back-off, paces and pages.
///
/// ```swift
/// let runner = AWSCommandRunner(connection: AWSConnection(region: "us-east-1"))
/// let outcome = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
/// print(outcome.failure?.operatorMessage ?? outcome.stdout)
/// ```
public actor AWSCommandRunner: CommandEffects {
    public let connection: AWSConnection
    public let retry: RetryPolicy
    public let defaultTimeout: Duration
    private let launcher: any ProcessLauncher
    private let inheritedEnvironment: [String: String]
    /// In replay mode nothing is spawned, so the CLI need not exist.
    private let needsExecutable: Bool
    private let sleep: @Sendable (Duration) async -> Void
    private let unitRandom: @Sendable () -> Double
    private var lastStarts: [String: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    public init(connection: AWSConnection,
                launcher: any ProcessLauncher = ChildProcess(),
                retry: RetryPolicy = RetryPolicy(),
                defaultTimeout: Duration = .seconds(60),
                needsExecutable: Bool = true,
                inheritedEnvironment: [String: String] = ProcessInfo.processInfo.environment,
                sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
                unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.connection = connection
        self.launcher = launcher
        self.retry = retry
        self.defaultTimeout = defaultTimeout
        self.needsExecutable = needsExecutable
        self.inheritedEnvironment = inheritedEnvironment
        self.sleep = sleep
        self.unitRandom = unitRandom
    }

    /// The same runner (launcher, retries, timeout) with another connection: a second account's profile.
    public nonisolated func connected(to connection: AWSConnection) -> AWSCommandRunner {
        AWSCommandRunner(connection: connection, launcher: launcher, retry: retry, defaultTimeout: defaultTimeout,
                         needsExecutable: needsExecutable, inheritedEnvironment: inheritedEnvironment, sleep: sleep,
                         unitRandom: unitRandom)
    }

    /// Where this runner's commands go (journaled at the start of a session).
    public nonisolated var target: SessionConnection { connection.target(inherited: inheritedEnvironment) }

    /// The CLI's path, or `nil` when it is not on PATH (nothing is run to find out).
    public func locateCLI() -> String? {
        ExecutableLocator.find(connection.executable, path: inheritedEnvironment["PATH"])
    }

    /// Runs `aws --version` (no AWS call) and says whether the CLI is missing or too old.
    public func checkCLI() async -> CommandFailure? {
        guard let executable = locateCLI() else { return .cliMissing(searched: searchedDescription) }
        let exit = await ChildProcess.run(executable: executable, arguments: ["--version"],
                                          environment: connection.childEnvironment(inherited: inheritedEnvironment),
                                          timeout: .seconds(30))
        guard let version = AWSCLIVersion(versionOutput: exit.stdout + " " + exit.stderr) else {
            return .failed(code: nil, message: "`aws --version` printed no version: \(exit.stdout)\(exit.stderr)")
        }
        return version.isSupported ? nil : .cliTooOld(found: version.description, minimum: version.minimum.description)
    }

    public func run(_ request: CommandRequest) async -> CommandOutcome {
        if let poll = request.polling { return await runPolling(request, poll: poll, sleep: sleep) }
        var arguments = connection.arguments(for: request.argv)
        let displayArgv = ["aws"] + arguments
        if let reason = connection.unreachableReason(for: request.argv) {
            return CommandOutcome(argv: displayArgv, ending: .notStarted(reason), attempts: 0, pagesRead: 0,
                                  failure: .sourceUnavailable(reason: reason))
        }
        let executable: String
        if needsExecutable {
            guard let found = locateCLI() else {
                return CommandOutcome(argv: displayArgv, ending: .notStarted("aws not found"), attempts: 0, pagesRead: 0,
                                      failure: .cliMissing(searched: searchedDescription))
            }
            executable = found
        } else {
            executable = connection.executable
        }
        let environment = connection.childEnvironment(inherited: inheritedEnvironment)
        let timeout = request.timeout ?? defaultTimeout
        let interval = request.minimumInterval ?? RequestPacer.defaultInterval(for: displayArgv)
        let paceKey = displayArgv.prefix(3).joined(separator: " ")
        let maxPages = request.paging?.maxPages ?? 1

        var pages: [JSONValue] = []
        var attempts = 0
        var totalMilliseconds = 0
        var lastExit = ProcessExit(stdout: "", stderr: "", ending: .notStarted("not run"), durationMilliseconds: 0)
        var morePages = false

        for pageNumber in 1...maxPages {
            var attempt = 0
            var failure: CommandFailure?
            repeat {
                attempt += 1
                attempts += 1
                if attempt > 1 { await sleep(retry.delay(beforeAttempt: attempt, unitRandom: unitRandom())) }
                if let interval { await pace(key: paceKey, interval: interval) }
                lastExit = await launcher.launch(executable: executable, arguments: arguments,
                                                 environment: environment, timeout: timeout)
                totalMilliseconds += lastExit.durationMilliseconds
                failure = Self.failure(of: lastExit, argv: displayArgv, timeout: timeout)
            } while failure?.isRetryable == true && attempt < retry.maxAttempts && !Task.isCancelled

            if let failure {
                return CommandOutcome(argv: displayArgv, stdout: lastExit.stdout, stderr: lastExit.stderr,
                                      ending: lastExit.ending, durationMilliseconds: totalMilliseconds,
                                      attempts: attempts, pagesRead: pageNumber - 1, failure: failure)
            }
            guard let paging = request.paging else {
                return CommandOutcome(argv: displayArgv, stdout: lastExit.stdout, stderr: lastExit.stderr,
                                      ending: lastExit.ending, durationMilliseconds: totalMilliseconds,
                                      attempts: attempts, pagesRead: 1)
            }
            let page: JSONValue
            do {
                page = try JSONValue.parse(lastExit.stdout)
            } catch {
                return CommandOutcome(argv: displayArgv, stdout: lastExit.stdout, stderr: lastExit.stderr,
                                      ending: lastExit.ending, durationMilliseconds: totalMilliseconds,
                                      attempts: attempts, pagesRead: pageNumber - 1,
                                      failure: .failed(code: nil, message: "page \(pageNumber) is not JSON (\(error))"))
            }
            pages.append(page)
            guard let token = PageMerger.nextToken(in: page, field: paging.tokenField) else { break }
            if pageNumber == maxPages {
                morePages = true
                break
            }
            if Task.isCancelled {
                return CommandOutcome(argv: displayArgv, ending: .cancelled, durationMilliseconds: totalMilliseconds,
                                      attempts: attempts, pagesRead: pages.count, failure: .cancelled)
            }
            arguments = PageMerger.argv(arguments, withToken: token, argument: paging.tokenArgument)
        }
        let tokenField = request.paging?.tokenField ?? "NextToken"
        return CommandOutcome(argv: displayArgv,
                              stdout: PagedItems.merge(pages, tokenField: tokenField, itemsPath: request.paging?.itemsPath).serialized(pretty: true),
                              stderr: lastExit.stderr, ending: lastExit.ending,
                              durationMilliseconds: totalMilliseconds, attempts: attempts,
                              pagesRead: pages.count, morePagesAvailable: morePages)
    }

    var needsExecutableForRuns: Bool { needsExecutable }
    var environmentPath: String? { inheritedEnvironment["PATH"] }

    private var searchedDescription: String {
        connection.executable.contains("/") ? connection.executable : "PATH=\(inheritedEnvironment["PATH"] ?? "")"
    }

    private func pace(key: String, interval: Duration) async {
        let since = lastStarts[key].map { clock.now - $0 }
        let wait = RequestPacer.wait(minimumInterval: interval, sinceLastStart: since)
        if wait > .zero { await sleep(wait) }
        lastStarts[key] = clock.now
    }

    static func failure(of exit: ProcessExit, argv: [String], timeout: Duration) -> CommandFailure? {
        switch exit.ending {
        case .exited(let code):
            return CommandFailure.classify(stderr: exit.stderr, exitCode: code, argv: argv)
        case .signalled(let signal):
            return .failed(code: nil, message: "aws was killed by signal \(signal)")
        case .timedOut:
            let (seconds, attoseconds) = timeout.components
            return .timedOut(seconds: Double(seconds) + Double(attoseconds) / 1e18)
        case .cancelled:
            return .cancelled
        case .notStarted(let reason):
            return .failed(code: nil, message: reason)
        }
    }
}
