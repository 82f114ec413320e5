import Foundation
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// What the guided driver asks of the world outside the session value: the runbook, the
/// executor of a connection's commands (`SessionEffects`: the live runner, or a recording in
/// tests), and the profiles the CLI knows (offered after a credentials failure). A profile
/// picked then makes a new connection, so the executor is made per connection.
///
/// ```swift
/// let edges = GuidedSessionEdges(loadRunbook: { try RunbookLoader.load(contentsOf: path) },
///                                connect: { _ in replay }, configuredProfiles: { _ in ["dev"] })
/// ```
package struct GuidedSessionEdges: Sendable {
    package var loadRunbook: @Sendable () throws -> Runbook
    package var connect: @Sendable (AWSConnection) -> any SessionEffects
    package var configuredProfiles: @Sendable (AWSConnection) async -> [String]

    package init(loadRunbook: @escaping @Sendable () throws -> Runbook,
                 connect: @escaping @Sendable (AWSConnection) -> any SessionEffects,
                 configuredProfiles: @escaping @Sendable (AWSConnection) async -> [String]) {
        self.loadRunbook = loadRunbook
        self.connect = connect
        self.configuredProfiles = configuredProfiles
    }

    /// The real `aws` for every command, started with `environment` by `launcher` (one for the
    /// whole session, whatever connection a picked profile makes).
    package static func live(environment: [String: String], launcher: any ProcessLauncher = ChildProcess(),
                             loadRunbook: @escaping @Sendable () throws -> Runbook) -> Self {
        Self(loadRunbook: loadRunbook,
             connect: { AWSCommandRunner(connection: $0, launcher: launcher, inheritedEnvironment: environment) },
             configuredProfiles: { connection in
                 // `aws configure list-profiles` (read-only, CLI-local), or, on a CLI without it
                 // (v1), the section names of the CLI's own files.
                 let lister = AWSCommandRunner(connection: AWSConnection(executable: connection.executable),
                                               inheritedEnvironment: environment)
                 let outcome = await lister.run(CommandRequest(argv: ConfiguredProfiles.listArgv))
                 if outcome.succeeded { return ConfiguredProfiles.fromListing(outcome.stdout) }
                 return ConfiguredProfiles.fromFiles(environment: environment)
             })
    }

    /// `guide --replay`: every command answered from the recorded runs, never a process; one
    /// launcher for the whole session, so a recorded run answers once (a profile picked after a
    /// credentials halt stays on the recording too).
    package static func replaying(_ records: [RunRecord], environment: [String: String],
                                  loadRunbook: @escaping @Sendable () throws -> Runbook) -> Self {
        let launcher = ReplayLauncher(records: records)
        var edges = live(environment: environment, loadRunbook: loadRunbook)
        edges.connect = { AWSCommandRunner(connection: $0, launcher: launcher, needsExecutable: false) }
        return edges
    }
}
