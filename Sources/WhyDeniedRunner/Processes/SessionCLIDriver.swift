import Foundation

/// How a session's `aws` commands start, chosen with `WHYDENIED_AWS_DRIVER`:
/// - `processes` (a session's default): each command is an `aws` process of its own, as typed by hand.
/// - `resident` (a batch's default: `analyze --live`, `snapshot`): commands run through AWS CLI v1's own driver in resident Python processes (one
///   per core), saving the CLI's half-second start per command; only when `aws` is v1's own entry
///   script (directly or behind a pyenv shim), else each command is still a process. The argv,
///   the output and the exit status are the CLI's either way.
///
/// ```swift
/// let runner = AWSCommandRunner(connection: connection,
///                               launcher: try SessionCLIDriver(environment: env).launcher())
/// ```
public enum SessionCLIDriver: String, Sendable, CaseIterable {
    case processes
    case resident

    public static let variable = "WHYDENIED_AWS_DRIVER"

    public struct InvalidChoice: Error, CustomStringConvertible {
        public let value: String
        public var description: String {
            "\(SessionCLIDriver.variable)=\(value): expected one of \(SessionCLIDriver.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    /// The choice in `environment`; unset or empty is `unset` (a session's default is `processes`,
    /// as typed by hand; a batch's, `resident`).
    public init(environment: [String: String], unset: SessionCLIDriver = .processes) throws {
        let value = environment[Self.variable] ?? ""
        if value.isEmpty {
            self = unset
            return
        }
        guard let choice = SessionCLIDriver(rawValue: value) else { throw InvalidChoice(value: value) }
        self = choice
    }

    /// One launcher for a whole session (shared by its connections, so drivers are reused).
    public func launcher() -> any ProcessLauncher {
        switch self {
        case .processes: return ChildProcess()
        case .resident:
            return ResidentAWSCLI(admission: .cliScriptOnly, workers: ProcessInfo.processInfo.activeProcessorCount)
        }
    }
}
