import ArgumentParser
import Foundation
import WhyDeniedAnalysis
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// `whydenied run`: the access-denied runbook against your account (or a recording of one).
///
/// ```
/// whydenied run --non-interactive --yes-read-only --param principal=DataAnalystRole \
///     --param region=us-east-1 --param time_frame='1 hour ago' --profile audit --record session.runs.jsonl
/// ```
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the access-denied runbook: find the denied request, the deciding policy and the fix.",
        discussion: """
        Headless (--non-interactive) runs every read-only command of the runbook without asking, \
        never runs a command that changes the account (it prints what it would have run), and \
        prints the findings and the recommendation. --yes-read-only confirms that.

        Examples:
          whydenied run --non-interactive --yes-read-only \\
            --param principal=DataAnalystRole --param region=us-east-1 \\
            --param time_frame='1 hour ago'
        """)

    @Flag(help: "Run without a terminal UI.")
    var nonInteractive = false

    @Option(name: .customLong("param"), help: "A runbook parameter as name=value (repeatable): principal, time_frame, region, resource, account_id, error_message, action.")
    var parameters: [String] = []

    @Flag(help: "Confirm that every read-only command may run without asking (required with --non-interactive).")
    var yesReadOnly = false

    @Option(help: "AWS CLI profile for every command.")
    var profile: String?

    @Option(name: .customLong("org-profile"),
            help: "AWS CLI profile for the organization reads (SCPs): the management account or a delegated administrator (the parameter org_profile).")
    var orgProfile: String?

    @Option(help: "Endpoint URL for every command (a local sandbox, a VPC endpoint).")
    var endpointUrl: String?

    @Option(help: "AWS CLI profile of the resource's account, when it is not the caller's: the resource's policy is read (and a fix of it applied) with it. Same as --param resource_profile=NAME.")
    var resourceProfile: String?

    @Option(help: "Record every command (argv, output, exit, duration) to this JSON Lines file.")
    var record: String?

    @Option(help: "Replay a recording instead of running aws.")
    var replay: String?

    @Option(help: "The runbook file (default: Runbooks/access-denied.yaml).")
    var runbook: String?

    @Option(help: "The aws executable (default: aws on PATH).")
    var aws: String = "aws"

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("--record and --replay exclude each other") }
        if !nonInteractive {
            throw ValidationError("`run` is the headless session: add --non-interactive --yes-read-only, or use `whydenied guide` for the interactive one")
        }
        if !yesReadOnly {
            throw ValidationError("--non-interactive needs --yes-read-only: it runs every read-only command without asking")
        }
        _ = try Self.parameterValues(parameters)
    }

    func run() async throws {
        var values = try Self.parameterValues(parameters)
        if let orgProfile { values["org_profile"] = orgProfile }
        if let resourceProfile { values["resource_profile"] = resourceProfile }
        let connection = AWSConnection(executable: aws, profile: profile, region: values["region"], endpointURL: endpointUrl,
                                       organizationProfile: values["org_profile"])
        let runner = try Self.runner(connection: connection, record: record, replay: replay)
        let code = await Self.runHeadless(runbookPath: runbook, parameters: values, runner: runner, banner: nil,
                                          store: SessionStore(environment: ProcessInfo.processInfo.environment))
        if code != 0 { throw ExitCode(code) }
    }

    static func parameterValues(_ pairs: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param \(pair): expected name=value")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return values
    }

    static func runner(connection: AWSConnection, record: String?, replay: String?) throws -> AWSCommandRunner {
        let launcher = try sessionLauncher()
        if let replay {
            let records: [RunRecord]
            do { records = try RunRecording.read(from: URL(fileURLWithPath: replay)) } catch { throw ValidationError("\(error)") }
            return AWSCommandRunner(connection: connection, launcher: ReplayLauncher(records: records), needsExecutable: false)
        }
        if let record {
            do {
                return AWSCommandRunner(connection: connection,
                                        launcher: try RecordingLauncher(wrapping: launcher, to: URL(fileURLWithPath: record)))
            } catch {
                throw ValidationError("--record \(record): \(error.localizedDescription)")
            }
        }
        return AWSCommandRunner(connection: connection, launcher: launcher)
    }

    /// How the session's `aws` commands start (`WHYDENIED_AWS_DRIVER`: a process each, or the CLI's resident driver).
    static func sessionDriver(environment: [String: String] = ProcessInfo.processInfo.environment,
                              unset: SessionCLIDriver = .processes) throws -> SessionCLIDriver {
        do { return try SessionCLIDriver(environment: environment, unset: unset) } catch { throw ValidationError("\(error)") }
    }

    /// The launcher for that choice (`SessionCLIDriver.launcher`).
    static func sessionLauncher(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any ProcessLauncher {
        try sessionDriver(environment: environment).launcher()
    }

    /// Loads the runbook, runs the session headless and prints the findings. Returns the exit
    /// code: 0 finished, 3 finished but Undecided, 2 halted (the reason is printed), 1 the runbook
    /// or parameters are unusable.
    static func runHeadless(runbookPath: String?, parameters: [String: String], runner: AWSCommandRunner,
                            banner: String?, store: SessionStore?,
                            origins: [String: ParameterOrigin] = [:]) async -> Int32 {
        guard let loaded = loadRunbook(runbookPath) else { return 1 }
        var session = GuidedSession(runbook: loaded, parameters: parameters, now: Date(), readOnly: true)
        if !session.missingParameters.isEmpty {
            printError("whydenied: missing required parameter(s): " + session.missingParameters.map { "--param \($0)=…" }.joined(separator: " "))
            return 1
        }
        if let banner { print(banner) }
        var journal: SessionJournal?
        if let store {
            do {
                journal = try SessionJournal.create(in: store)
            } catch {
                session.addNote("No journal for this session: \(store.root.path): \(error.localizedDescription)")
            }
        }
        journal?.parameterOrigins = origins
        journal?.connection = runner.target
        if let journal { print("Session: \(journal.id) (journal: \(journal.folder.journalURL.path))") }
        print("Runbook: \(loaded.title)")
        print(redactor.redact("Parameters: " + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "  ")))
        print("")
        let interruption = SessionInterruption()
        session = await drive(session, runner: runner, journal: journal, interruption: interruption)
        print("")
        print(redactor.redact(report(session)))
        if let journal { print("\nSession \(journal.id) journaled in \(journal.folder.url.path)") }
        if let status = interruption.exitStatus { return status }
        return session.headlessExitStatus
    }

    /// The runbook file, or nil after saying what is wrong with it.
    static func loadRunbook(_ path: String?) -> Runbook? {
        do {
            return try RunbookLoader.load(contentsOf: try RunbookFile.locate(path), classifier: CommandClassifier.bundled)
        } catch {
            printError("whydenied: \(error)")
            return nil
        }
    }

    /// Runs the session to its end with progress on stdout; Ctrl-C, SIGTERM and SIGHUP cancel it
    /// cleanly (the running command's group is ended, the journal says which signal) and are
    /// recorded in `interruption`.
    static func drive(_ session: GuidedSession, runner: AWSCommandRunner, journal: SessionJournal?,
                      restoring: RestoredResults? = nil,
                      interruption: SessionInterruption = SessionInterruption()) async -> GuidedSession {
        let task = Task { [session] in
            var running = session
            // Each progress line is flushed, so it shows as it happens also through a pipe.
            await running.runHeadless(effects: runner, journal: journal, restoring: restoring,
                                      interruption: interruption) { print(redactor.redact($0)); fflush(nil) }
            return running
        }
        let interrupt = InterruptHandler(signals: SessionInterruption.signals) { number in
            interruption.record(number)
            task.cancel()
        }
        let finished = await task.value
        interrupt.restore()
        return finished
    }

    /// The findings and the recommendation as plain text.
    static func report(_ session: GuidedSession) -> String {
        var lines: [String] = ["── Findings ──"]
        let ran = session.transcript.filter { if case .ran = $0.result { return true } else { return false } }.count
        let refused = session.transcript.filter { if case .refused = $0.result { return true } else { return false } }
        lines.append("Commands run: \(ran); not run because they change the account: \(refused.count)")
        let words = OperatorWords(session.engine.runbook)
        for (step, status) in session.engine.stepStates {
            lines.append("  \(step.title): \(words.say(describe(status)))")
        }
        let findings = session.findings
        lines.append("Denied events found: \(findings.deniedEventsFound)")
        if let chosen = findings.explainedEvent {
            lines.append("  explained: \(chosen.eventTimeText ?? "?")  \(chosen.eventSource ?? "?") \(chosen.eventName ?? "?")  \(chosen.errorCode ?? "")  by \(chosen.userIdentity?.arn ?? "?")")
        }
        if !findings.whyNoEvent.isEmpty {
            lines.append("Why no event was found:")
            for finding in findings.whyNoEvent {
                lines.append("  - \(finding.explanation)")
                if let command = finding.command {
                    lines.append("    \(finding.commandChanges ? "would change it (changes the account; not run)" : "would look again (read-only; not run)"): \(ArgvDisplay.line(command))")
                }
            }
        }
        if case .reported(let reported)? = findings.evidence {
            lines.append("Explained without an event: the request was built from " + (reported.message == nil ? "the parameters:" : "the pasted message and the parameters:"))
            lines += reported.sourceLines.map { "  \($0)" }
        }
        if let verdict = findings.verdict { lines.append("Verdict: \(describe(verdict))") }
        if let policy = findings.decidingPolicy { lines.append("Deciding policy: \(policy)") }
        if let statement = findings.decidingStatement { lines.append("Deciding statement: \(statement)") }
        if let explanation = findings.explanation { lines.append("Why: \(explanation)") }
        for (name, label) in [("trail_buckets", "Trail buckets"), ("trail_log_groups", "Trail log groups"), ("trail_statuses", "Trail status")] {
            if let value = session.engine.captures[name] { lines.append("  \(label): \(value.serialized())") }
        }
        if !session.notes.isEmpty {
            lines.append("Notes:")
            lines += session.notes.map { "  - \(words.say($0))" }
        }
        lines.append("")
        lines.append("── Recommendation ──")
        if let analysis = session.analysis {
            lines.append(AnalyzeCommand.text(analysis).trimmingCharacters(in: .newlines))
        } else {
            lines.append("No recommendation: the session did not reach an analysable denied event.")
        }
        if !refused.isEmpty {
            lines.append("")
            lines.append("Would have run (after your confirmation, in an interactive session):")
            lines += refused.map { "  " + ArgvDisplay.line($0.argv) }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ verdict: Decision) -> String {
        switch verdict {
        case .explicitDeny: "explicit deny"
        case .implicitDeny: "implicit deny (no statement allows it)"
        case .allowed: "allowed by the policies read (the denial comes from something not read here)"
        case .undecided: "undecided (a context key the evidence does not carry, or a policy that could not be read: see Why)"
        }
    }

    static func describe(_ status: StepState) -> String {
        switch status {
        case .pending: "not reached"
        case .active: "in progress"
        case .completed: "completed"
        case .completedWithFailures: "completed, some commands failed"
        case .failed(let reason): "failed: \(reason)"
        case .skipped(let reason): "skipped: \(reason)"
        case .notApplicable: "not applicable"
        }
    }

    /// What the headless run prints goes through the one redactor.
    static let redactor = Redactor()

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((redactor.redact(text) + "\n").utf8))
    }
}

/// Ctrl-C, SIGTERM or SIGHUP during a session cancels it (the running command's process group is
/// killed and reaped) instead of killing whydenied with children left behind. Handlers nest: the
/// newest one for a signal gets it; `restore()` hands the signal back to the one before, and with
/// none left the signal ends whydenied as it would by default (exit 128 + signal).
final class InterruptHandler: @unchecked Sendable {
    private let signals: [Int32]
    private let id = UUID()

    init(signals: [Int32] = [SIGINT], _ onSignal: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        for number in signals { SignalRouter.shared.push(number, id: id, onSignal) }
    }

    func restore() {
        for number in signals { SignalRouter.shared.remove(number, id: id) }
    }
}

/// One dispatch source per signal for the whole process (libdispatch installs its handler once;
/// changing the disposition afterwards would silently detach it), routed to the newest handler.
final class SignalRouter: @unchecked Sendable {
    static let shared = SignalRouter()
    private let lock = NSLock()
    private var sources: [Int32: any DispatchSourceSignal] = [:]
    private var handlers: [Int32: [(id: UUID, action: @Sendable (Int32) -> Void)]] = [:]

    func push(_ number: Int32, id: UUID, _ action: @escaping @Sendable (Int32) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        handlers[number, default: []].append((id, action))
        if sources[number] == nil {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
            sources[number] = source
        }
    }

    func remove(_ number: Int32, id: UUID) {
        lock.lock()
        handlers[number]?.removeAll { $0.id == id }
        lock.unlock()
    }

    private func deliver(_ number: Int32) {
        lock.lock()
        let action = handlers[number]?.last?.action
        lock.unlock()
        guard let action else {
            Foundation.exit(128 + number)
        }
        action(number)
    }
}
