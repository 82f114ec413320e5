import ArgumentParser
import Foundation
import WhyDeniedTerminal
import WhyDeniedTUI

/// `whydenied guide` (also what plain `whydenied` runs): the guided session in the terminal.
/// Collects the parameters on one form (or from a pasted error / CloudTrail event), then walks
/// the runbook showing every command before it runs. Without a terminal it says so and points
/// at the headless mode.
struct GuidedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guide",
        abstract: "The guided session: parameters, then each command shown and confirmed before it runs."
    )

    @Option(name: .customLong("param"), help: "Prefill a parameter, name=value (repeatable).")
    var parameters: [String] = []

    @Option(help: "Send every aws command to this endpoint (e.g. a local moto sandbox).")
    var endpointURL: String?

    @Flag(help: "Mark the session as a local sandbox in the banner.")
    var sandbox = false

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var prefill: [String: String] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                throw ValidationError("--param \(parameter): expected name=value")
            }
            prefill[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        guard NCursesScreen.isInteractive() else {
            FileHandle.standardError.write(Data("""
                whydenied: no terminal (stdin or stdout is not a TTY), so the guided session cannot open.
                Use the headless mode instead: whydenied run --non-interactive --param principal=... \
                --param time_frame=... --param region=... --yes-read-only

                """.utf8))
            throw ExitCode(2)
        }
        let options = GuidedSessionOptions(prefill: prefill, endpointURL: endpointURL, sandbox: sandbox)
        try await GuidedSessionApp.run(options, environment: environment)
    }
}

/// How a guided session starts: prefilled parameters and where `aws` commands go.
struct GuidedSessionOptions: Sendable {
    var prefill: [String: String] = [:]
    var endpointURL: String?
    var sandbox = false
}

/// Opens the TUI on the terminal with the session performer behind it; shared by `guide` and
/// `demo` (which passes the sandbox's endpoint).
enum GuidedSessionApp {
    @MainActor
    static func run(_ options: GuidedSessionOptions, environment: [String: String]) throws {
        var state = GuidedState(size: TerminalSize(width: 80, height: 24), now: Date(), environment: environment,
                                sandbox: options.sandbox)
        for (name, value) in options.prefill.sorted(by: { $0.key < $1.key }) {
            state.form.set(name, to: value, origin: "from --param")
        }
        let performer = GuidedSessionPerformer(options: options, environment: environment)
        do {
            _ = try TerminalLoop.run(state, performer: performer, environment: environment)
        } catch {
            throw ValidationError("cannot open the terminal: \(error.description)")
        }
        performer.shutdown()
    }
}
