import ArgumentParser
import Foundation
import WhyDeniedGuided
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTerminal
import WhyDeniedTUI

/// `whydenied guide` (also what plain `whydenied` runs): the guided session in the terminal.
/// Collects the parameters on one form (or from a pasted error / CloudTrail event), then walks
/// the runbook showing every command before it runs. Without a terminal it says so and points
/// at the headless mode.
struct GuidedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guide",
        abstract: "The guided session: parameters, then each command shown and confirmed before it runs.",
        discussion: """
        Examples:
          whydenied guide --param principal=DataAnalystRole \\
            --param region=us-east-1 --param time_frame='1 hour ago'
          whydenied guide --color never   # emphasis only, as NO_COLOR=1
          whydenied guide --replay session.runs.jsonl --endpoint-url http://127.0.0.1:5000 \
            --sandbox --param principal=DataAnalystRole …   # walk a recorded session again, offline
        """
    )

    @Option(name: .customLong("param"), help: "Prefill a parameter, name=value (repeatable).")
    var parameters: [String] = []

    @Option(help: "Send every aws command to this endpoint (e.g. a local moto sandbox).")
    var endpointURL: String?

    @Flag(help: "Mark the session as a local sandbox in the banner (credentials come from the environment).")
    var sandbox = false

    @Option(help: "AWS CLI profile for every command (prefills the form's profile).")
    var profile: String?

    @Option(help: "AWS region (prefills the form's region).")
    var region: String?

    @Option(name: .customLong("org-profile"),
            help: "AWS CLI profile for the organization reads (SCPs): the management account or a delegated administrator (prefills the form's organization profile).")
    var orgProfile: String?
    @Option(help: "AWS CLI profile of the resource's account, when it is not the caller's: the resource's policy is read (and a fix of it applied) with it (prefills the form's resource account profile).")
    var resourceProfile: String?

    @Option(help: "Answer every aws command from a recording (`run --record` / `demo --record`) instead of running it: walk a recorded session again, offline. Give the same --endpoint-url, --profile and --param values as the recorded run; a command the recording does not hold fails, naming it.")
    var replay: String?

    @OptionGroup var colorOption: ColorOption

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var prefill: [String: String] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                throw ValidationError("--param \(parameter): expected name=value")
            }
            prefill[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        if let profile { prefill["profile"] = profile }
        if let region { prefill["region"] = region }
        if let orgProfile { prefill["org_profile"] = orgProfile }
        if let resourceProfile { prefill["resource_profile"] = resourceProfile }
        guard NCursesScreen.isInteractive() else {
            FileHandle.standardError.write(Data("""
                whydenied: no terminal (stdin or stdout is not a TTY), so the guided session cannot open.
                Use the headless mode instead: whydenied run --non-interactive --param principal=... \
                --param time_frame=... --param region=... --yes-read-only

                """.utf8))
            throw ExitCode(2)
        }
        var options = GuidedSessionOptions(prefill: prefill, endpointURL: endpointURL, sandbox: sandbox)
        if let replay {
            // Read before the screen opens: a bad file is a plain error, not a broken session.
            do { options.replay = try RunRecording.read(from: URL(fileURLWithPath: replay)) } catch {
                throw ValidationError("--replay \(replay): \(error)")
            }
        }
        try await GuidedSessionApp.run(options, color: colorOption.color, environment: environment)
    }
}

/// Opens the TUI on the terminal with the session performer behind it; shared by `guide` and
/// `demo` (which passes the sandbox's endpoint). Only wiring: the session itself is
/// `GuidedSessionDriver` (WhyDeniedGuided), here given the real `aws` and the runbook file.
enum GuidedSessionApp {
    /// - Parameter color: `--color`, how the terminal UI draws its colour roles.
    static func run(_ given: GuidedSessionOptions, color: ColorChoice, environment: [String: String]) async throws {
        // SIGTERM, SIGHUP or SIGINT from outside: stop the running command at once, then close
        // the screen and the journal as quitting does. Installed before the screen starts, so
        // ncurses leaves these signals to us.
        let interruption = SessionInterruption()
        var options = given
        options.interruption = interruption
        var environment = environment
        let lifeline = environment.removeValue(forKey: ParentLifeline.environmentKey)
        let loadRunbook: @Sendable () throws -> Runbook = {
            try RunbookLoader.load(contentsOf: try RunbookFile.locate(nil), classifier: CommandClassifier.bundled)
        }
        let edges: GuidedSessionEdges
        if let replay = options.replay {
            edges = GuidedSessionEdges.replaying(replay, environment: environment, loadRunbook: loadRunbook)
        } else {
            edges = GuidedSessionEdges.live(environment: environment, launcher: try RunCommand.sessionLauncher(environment: environment),
                                            loadRunbook: loadRunbook)
        }
        let performer = GuidedSessionPerformer(driver: GuidedSessionDriver(options: options, environment: environment, edges: edges))
        let handler = InterruptHandler(signals: SessionInterruption.signals) { number in
            interruption.record(number)
            performer.perform(.cancelRunningCommand) { _ in }
        }
        defer { handler.restore() }
        // Opened by `demo`: a demo that ends without telling us (killed) ends this session like
        // SIGTERM would, rather than leaving it on a sandbox that is gone.
        if let lifeline { ParentLifeline.arm(signal: SIGTERM, parentPid: lifeline) }
        let result = await MainActor.run {
            openTerminal(options, color: color, performer: performer, environment: environment) { interruption.signal != nil }
        }
        // Quitting while the credentials do not work is not a finished session: say so, exit 2.
        let credentials: CredentialsCheck? = if case .success(let state) = result { state.session?.credentials } else { nil }
        await performer.shutdown(reason: interruption.endReason
                                 ?? (credentials != nil ? "the operator quit without working credentials" : "the operator quit"))
        if let folder = await performer.driver.folder {
            print("Session folder: \(folder.url.path)")
        }
        if case .failure(let error) = result {
            throw ValidationError("cannot open the terminal: \(error.description)")
        }
        if let status = interruption.exitStatus { throw ExitCode(status) }
        if let credentials {
            FileHandle.standardError.write(Data("whydenied: \(credentials.headline)\n\(CredentialsCheck.demoHint)\n".utf8))
            throw ExitCode(2)
        }
    }

    @MainActor
    private static func openTerminal(_ options: GuidedSessionOptions, color: ColorChoice, performer: GuidedSessionPerformer,
                                     environment: [String: String],
                                     interrupted: @escaping @Sendable () -> Bool) -> Result<GuidedState, NCursesScreen.StartError> {
        var state = GuidedState(size: TerminalSize(width: 80, height: 24), now: Date(), environment: environment,
                                sandbox: options.sandbox, replay: options.replay != nil)
        for (name, value) in options.prefill.sorted(by: { $0.key < $1.key }) {
            state.form.set(name, to: value, origin: ParameterOrigin(source: .commandLine))
        }
        do {
            return .success(try TerminalLoop.run(state, performer: performer, environment: environment,
                                                 color: color, interrupted: interrupted))
        } catch {
            return .failure(error)
        }
    }
}
