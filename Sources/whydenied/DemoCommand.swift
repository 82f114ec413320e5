import ArgumentParser
import Foundation
import WhyDeniedRunner
import WhyDeniedEvidence
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedRunbook
import WhyDeniedTerminal
import WhyDeniedTUI

/// `whydenied demo`: a real case solved end to end in a local AWS sandbox (moto on 127.0.0.1),
/// no AWS account needed.
///
/// ```
/// whydenied demo --list
/// whydenied demo --scenario kms-key-policy --non-interactive
/// ```
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Solve a staged AccessDenied case in a local AWS sandbox (moto), no account needed.",
        discussion: """
        Examples:
          whydenied demo --list                    # the scenarios
          whydenied demo --scenario kms-key-policy # the guided session on it
          whydenied demo --scenario seed-paste --non-interactive
        """)

    @Option(help: "The scenario to stage (see --list).")
    var scenario: String = SandboxScenario.defaultName

    @Flag(help: "List the scenarios and exit.")
    var list = false

    @Flag(help: "Run the session headless and print the findings (always the case without a terminal).")
    var nonInteractive = false

    @Option(help: "Record every command of the session to this JSON Lines file (replay it with `whydenied run --replay`).")
    var record: String?

    @Option(help: "The runbook file (default: Runbooks/access-denied.yaml).")
    var runbook: String?

    @OptionGroup var colorOption: ColorOption

    func run() async throws {
        if list {
            for scenario in SandboxScenario.all {
                print("\(scenario.name)\(scenario.name == SandboxScenario.defaultName ? " (default)" : "")\(scenario.stagesEvent ? "" : " (no CloudTrail event: the pasted message alone)")")
                print("  \(scenario.title)")
                print("  \(scenario.summary)")
            }
            return
        }
        let chosen: SandboxScenario
        do { chosen = try SandboxScenario.named(scenario) } catch { throw ValidationError(error.description) }
        // A WHYDENIED_AWS_DRIVER it does not know is refused before a sandbox is staged for nothing.
        _ = try RunCommand.sessionDriver()
        guard MotoSandbox.locateMoto() != nil else {
            RunCommand.printError("whydenied demo needs moto_server, the local AWS sandbox. Install it with: pip install 'moto[server]'")
            throw ExitCode(1)
        }
        print("Starting a local AWS sandbox (moto_server on 127.0.0.1)…")
        let sandbox: MotoSandbox
        do { sandbox = try await MotoSandbox.start() } catch {
            RunCommand.printError("whydenied: \(error)")
            throw ExitCode(1)
        }
        // Killed or hung up at any point: moto must not be left running.
        let stopOnTermination = InterruptHandler(signals: [SIGTERM, SIGHUP]) { number in
            sandbox.stop()
            Foundation.exit(128 + number)
        }
        defer { stopOnTermination.restore() }
        // Ctrl-C while seeding must not leave moto running either.
        let stopOnInterrupt = InterruptHandler { _ in sandbox.stop(); Foundation.exit(130) }
        let parameters: [String: String]
        do {
            print("Staging scenario \"\(chosen.name)\": \(chosen.title)…")
            let drawer = StagingLineDrawer(scenario: chosen.name)
            let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory,
                                        progress: { drawer.started($0) })
            do {
                parameters = try await chosen.seed(seeder)
                drawer.finish(succeeded: true)
            } catch {
                drawer.finish(succeeded: false)
                throw error
            }
        } catch {
            stopOnInterrupt.restore()
            sandbox.stop()
            RunCommand.printError("whydenied: \(error)")
            throw ExitCode(1)
        }
        stopOnInterrupt.restore()
        // From here Ctrl-C belongs to the session (headless: it cancels; guided: the child gets
        // it); whydenied itself ignores it so it always gets to stop the sandbox.
        let ignoreInterrupt = InterruptHandler { _ in }
        defer { ignoreInterrupt.restore() }

        let interactive = !nonInteractive && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        if interactive {
            let ending = Self.openGuidedSession(sandbox: sandbox, parameters: parameters, profile: chosen.sessionProfile,
                                                color: colorOption.color)
            sandbox.stop()
            print("Sandbox stopped.")
            switch ending {
            case .exited(0): return
            case .exited(let code): throw ExitCode(code)
            case .signalled(let signal): throw ExitCode(128 + signal)
            case .notStarted(let reason):
                RunCommand.printError("whydenied: could not open the guided session: \(reason)")
                throw ExitCode(1)
            }
        }
        if !nonInteractive {
            print("(Not a terminal: running the session headless. Run it in a terminal for the guided session.)")
        }
        let runner: AWSCommandRunner
        do {
            var connection = sandbox.connection
            // The SCP scenarios' session runs as the member account and reads the organization as its management account.
            connection.profile = chosen.sessionProfile
            connection.organizationProfile = parameters["org_profile"]
            runner = try RunCommand.runner(connection: connection, record: record, replay: nil)
        } catch {
            sandbox.stop()
            throw error
        }
        let banner = """
        ┌──────────────────────────────────────────────────────────────────────────────┐
        │ LOCAL SANDBOX — not AWS. moto_server on \(sandbox.endpointURL.padding(toLength: 37, withPad: " ", startingAt: 0))│
        │ Scenario: \(chosen.name.padding(toLength: 67, withPad: " ", startingAt: 0))│
        │ Dummy credentials; nothing leaves this machine. Stopped when the demo ends.  │
        └──────────────────────────────────────────────────────────────────────────────┘
        \(chosen.summary)
        """
        var sessionParameters = parameters
        if record != nil, let frame = parameters["time_frame"], let fixed = try? TimeFrame.parse(frame, now: Date()) {
            // A replay matches commands argv for argv: pin the time frame so it can be given again.
            sessionParameters["time_frame"] = fixed.canonical
        }
        let code = await RunCommand.runHeadless(runbookPath: runbook, parameters: sessionParameters, runner: runner, banner: banner,
                                                store: SessionStore(environment: ProcessInfo.processInfo.environment),
                                                origins: sessionParameters.mapValues { _ in
                                                    ParameterOrigin(source: .defaultValue, detail: "demo scenario \(chosen.name)")
                                                })
        sandbox.stop()
        print("Sandbox stopped.")
        if let record {
            let replay = ["whydenied", "run", "--non-interactive", "--yes-read-only", "--replay", record,
                          "--endpoint-url", sandbox.endpointURL] + (chosen.sessionProfile.map { ["--profile", $0] } ?? [])
                + sessionParameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
            print("Recorded to \(record). Replay it offline (no sandbox needed):")
            print("  " + ArgvDisplay.line(replay))
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Opens `whydenied guide` on the sandbox as a child of this process (same executable), with
    /// the terminal inherited and the sandbox's dummy credentials in its environment. Ctrl-C
    /// goes to the guided session; we wait for it and then stop the sandbox.
    static func openGuidedSession(sandbox: MotoSandbox, parameters: [String: String], profile: String? = nil,
                                  color: ColorChoice = .auto) -> TerminalChild.Ending {
        var arguments = ["guide", "--endpoint-url", sandbox.endpointURL, "--sandbox", "--color", color.rawValue]
        // A profile of the sandbox's own credentials file (the SCP scenarios' member account).
        if let profile { arguments += ["--profile", profile] }
        for name in ["principal", "region", "time_frame", "error_message", "org_profile", "resource_profile"] {
            if let value = parameters[name], !value.isEmpty { arguments += ["--param", "\(name)=\(value)"] }
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.connection.environment { environment[key] = value }
        environment["AWS_REGION"] = MotoSandbox.region
        environment["AWS_DEFAULT_REGION"] = MotoSandbox.region
        // A profile from the operator's shell would point the CLI at real credentials.
        environment["AWS_PROFILE"] = nil
        environment["AWS_SESSION_TOKEN"] = nil
        environment[ParentLifeline.environmentKey] = String(getpid())
        print("Opening the guided session on the sandbox at \(sandbox.endpointURL)…")
        // SIGTERM/SIGHUP sent to the demo go to the guided session too: it ends its command and
        // journal and restores the terminal; the demo then stops the sandbox and exits alike.
        let child = GuidedChild()
        let forward = InterruptHandler(signals: [SIGTERM, SIGHUP]) { number in
            guard let pid = child.pid else {
                sandbox.stop()
                Foundation.exit(128 + number)
            }
            kill(pid, number)
        }
        defer { forward.restore() }
        return TerminalChild.run(executable: TerminalChild.ownExecutablePath(), arguments: arguments, environment: environment,
                                 started: { child.pid = $0 })
    }
}

/// The guided session's pid once it runs, for forwarding signals to it.
final class GuidedChild: @unchecked Sendable {
    private let lock = NSLock()
    private var value: pid_t?
    var pid: pid_t? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
