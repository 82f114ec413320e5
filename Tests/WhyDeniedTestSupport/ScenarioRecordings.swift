import Foundation
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession

/// One live run of a sandbox scenario: `whydenied demo --scenario NAME --non-interactive --record
/// FILE`, the built binary against its own moto_server through the real `aws` CLI, as an operator
/// runs it. What it printed, its exit status, the commands it recorded and the parameters its
/// journal holds.
public struct ScenarioRecording: Sendable {
    public var scenario: String
    public var status: Int32
    /// Standard output, then standard error.
    public var output: String
    public var records: [RunRecord]
    public var recordingPath: String
    /// The run's XDG_STATE_HOME (its session journal is under `whydenied/sessions`).
    public var stateFolder: URL
    public var parameters: [String: String]
    public var endpointURL: String
    public var sessionProfile: String?

    /// A runner that answers the session's commands from the recording, argv for argv, as the
    /// live run's connection would have sent them; an argv never recorded fails, naming it.
    public func replayRunner() -> AWSCommandRunner {
        let connection = AWSConnection(profile: sessionProfile, region: MotoSandbox.region, endpointURL: endpointURL,
                                       inheritsEnvironment: false, organizationProfile: parameters["org_profile"])
        return AWSCommandRunner(connection: connection, launcher: ReplayLauncher(records: records),
                                needsExecutable: false, sleep: { _ in })
    }
}

/// Each sandbox scenario is solved live once per test run, for every test that asks for it: the
/// first asker starts the live run (under `LiveSandboxGate`), the others wait for it, and each
/// test then replays the recorded commands in memory through its own session. Issue 17: the same
/// scenario used to be seeded and solved live at three levels.
///
/// ```swift
/// let recording = try await ScenarioRecordings.shared.recording("kms-grant")
/// let session = try await run(recording.parameters, effects: recording.replayRunner())
/// ```
public actor ScenarioRecordings {
    public static let shared = ScenarioRecordings()

    private var runs: [String: Task<ScenarioRecording, any Error>] = [:]

    public func recording(_ scenario: String) async throws -> ScenarioRecording {
        if let run = runs[scenario] { return try await run.value }
        let run = Task { try await LiveSandboxGate.shared.holding { try await Self.runLive(scenario) } }
        runs[scenario] = run
        return try await run.value
    }

    public enum Failure: Error, CustomStringConvertible {
        case noJournal(String, output: String)
        case noEndpoint(String, output: String)

        public var description: String {
            switch self {
            case .noJournal(let scenario, let output): "demo \(scenario) left no session journal:\n\(output.suffix(3000))"
            case .noEndpoint(let scenario, let output): "demo \(scenario) printed no sandbox endpoint:\n\(output.suffix(3000))"
            }
        }
    }

    static func runLive(_ scenario: String) async throws -> ScenarioRecording {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(scenario)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let recordingPath = state.appendingPathComponent("session.runs.jsonl").path
        let run = try await WhyDeniedBinary.running(["demo", "--scenario", scenario, "--non-interactive", "--record", recordingPath],
                                                    environment: ["XDG_STATE_HOME": state.path])
        let output = run.stdout + run.stderr
        let store = SessionStore(root: state.appendingPathComponent("whydenied/sessions"))
        guard let summary = store.listSessions().first, let folder = store.session(id: summary.id),
              let reading = try? JournalReading(contentsOf: folder.journalURL) else {
            throw Failure.noJournal(scenario, output: output)
        }
        var parameters: [String: String] = [:]
        for entry in reading.entries {
            if case .parameterSet(let name, let value, _, _) = entry.event { parameters[name] = value }
        }
        guard let endpoint = output.range(of: "http://127.0.0.1:").map({ range in
            "http://127.0.0.1:" + output[range.upperBound...].prefix { $0.isNumber }
        }) else {
            throw Failure.noEndpoint(scenario, output: output)
        }
        let records = (try? RunRecording.read(from: URL(fileURLWithPath: recordingPath))) ?? []
        return ScenarioRecording(scenario: scenario, status: run.status, output: output, records: records,
                                 recordingPath: recordingPath, stateFolder: state, parameters: parameters,
                                 endpointURL: endpoint, sessionProfile: try SandboxScenario.named(scenario).sessionProfile)
    }
}
