import ArgumentParser
import Foundation
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
        options.resourceProfile = resourceProfile
        options.color = colorOption.color
        try await GuidedSessionApp.run(options, environment: environment)
    }
}

/// How a guided session starts: prefilled parameters and where `aws` commands go.
struct GuidedSessionOptions: Sendable {
    var prefill: [String: String] = [:]
    var endpointURL: String?
    var sandbox = false
    /// The resource account's AWS CLI profile (`--resource-profile`), the `resource_profile` parameter.
    var resourceProfile: String?
    /// Set when SIGTERM, SIGHUP or SIGINT ends the session; the journal's end names it.
    var interruption: SessionInterruption?
    /// `--color`: how the terminal UI draws its colour roles.
    var color: ColorChoice = .auto
}

/// Opens the TUI on the terminal with the session performer behind it; shared by `guide` and
/// `demo` (which passes the sandbox's endpoint).
enum GuidedSessionApp {
    static func run(_ given: GuidedSessionOptions, environment: [String: String]) async throws {
        // SIGTERM, SIGHUP or SIGINT from outside: stop the running command at once, then close
        // the screen and the journal as quitting does. Installed before the screen starts, so
        // ncurses leaves these signals to us.
        let interruption = SessionInterruption()
        var options = given
        options.interruption = interruption
        var environment = environment
        let lifeline = environment.removeValue(forKey: ParentLifeline.environmentKey)
        let performer = GuidedSessionPerformer(options: options, environment: environment)
        let handler = InterruptHandler(signals: SessionInterruption.signals) { number in
            interruption.record(number)
            performer.perform(.cancelRunningCommand) { _ in }
        }
        defer { handler.restore() }
        // Opened by `demo`: a demo that ends without telling us (killed) ends this session like
        // SIGTERM would, rather than leaving it on a sandbox that is gone.
        if let lifeline { ParentLifeline.arm(signal: SIGTERM, parentPid: lifeline) }
        let result = await MainActor.run {
            openTerminal(options, performer: performer, environment: environment) { interruption.signal != nil }
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
    private static func openTerminal(_ options: GuidedSessionOptions, performer: GuidedSessionPerformer,
                                     environment: [String: String],
                                     interrupted: @escaping @Sendable () -> Bool) -> Result<GuidedState, NCursesScreen.StartError> {
        var state = GuidedState(size: TerminalSize(width: 80, height: 24), now: Date(), environment: environment,
                                sandbox: options.sandbox)
        for (name, value) in options.prefill.sorted(by: { $0.key < $1.key }) {
            state.form.set(name, to: value, origin: ParameterOrigin(source: .commandLine))
        }
        do {
            return .success(try TerminalLoop.run(state, performer: performer, environment: environment,
                                                 color: options.color, interrupted: interrupted))
        } catch {
            return .failure(error)
        }
    }
}
