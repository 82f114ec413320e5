import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// `whydenied demo --scenario <each> --non-interactive` as the built binary: exit 0, the case
/// solved, and its moto_server gone afterwards.
@Suite struct DemoCommandTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var binary: String { repositoryRoot.appendingPathComponent(".build/debug/whydenied").path }

    static func run(_ arguments: [String], state: URL) async throws -> (status: Int32, output: String) {
        var given = ProcessInfo.processInfo.environment
        given["XDG_STATE_HOME"] = state.path
        let run = try await TestProcess.running(binary, arguments, environment: given, replacingEnvironment: true, directory: repositoryRoot)
        return (run.status, run.output)
    }

    @Test func listNamesEveryScenario() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let result = try await Self.run(["demo", "--list"], state: state)
        #expect(result.status == 0)
        for scenario in SandboxScenario.all { #expect(result.output.contains(scenario.name)) }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: SandboxScenario.all.map(\.name))
    func demoSolvesTheScenarioAndStopsMoto(name: String) async throws {
        // The scenario's one live run in this test process (`ScenarioRecordings`): the demo
        // binary with --record; the session tests replay what it recorded.
        let recording = try await ScenarioRecordings.shared.recording(name)
        let state = recording.stateFolder
        let result = (status: recording.status, output: recording.output)
        // 3: finished, but Undecided (the paste-only seed: no source IP without its event).
        let undecided = result.output.contains("Verdict: undecided")
        #expect(result.status == (undecided ? 3 : 0), "\(result.output.suffix(3000))")
        #expect(result.output.contains("LOCAL SANDBOX"))
        if try SandboxScenario.named(name).stagesEvent {
            #expect(result.output.contains("Denied events found: 1"))
            #expect(!undecided)
        } else {
            #expect(result.output.contains("Denied events found: 0"))
            #expect(result.output.contains("Why no event was found:"))
            #expect(result.output.contains("Explained without an event"))
        }
        #expect(result.output.contains("Verdict: "))
        #expect(result.output.contains("Sandbox stopped."))
        // The session was journaled where XDG_STATE_HOME says.
        let sessions = (try? FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("whydenied/sessions").path)) ?? []
        #expect(sessions.count == 1)

        let port = try #require(result.output.range(of: "http://127.0.0.1:").map { range in
            Int(result.output[range.upperBound...].prefix { $0.isNumber })
        } ?? nil)
        #expect(!LoopbackPort.isAccepting(port), "moto still answers on \(port)")
        #expect(ProcessTable.processes(matching: "-p \(port)").isEmpty)

        // The printed replay line re-runs the session offline: no moto, no aws on PATH.
        let verdict = result.output.split(separator: "\n").first { $0.hasPrefix("Verdict: ") }
        let marker = "Replay it offline (no sandbox needed):\n  whydenied "
        let line = try #require(result.output.range(of: marker).map { String(result.output[$0.upperBound...].prefix { $0 != "\n" }) })
        // The test shell only splits the printed, quoted line back into arguments.
        let replay = try await TestProcess.running("/bin/sh", ["-c", "exec '\(Self.binary)' " + line],
                                                   environment: ["PATH": "/usr/bin:/bin", "XDG_STATE_HOME": state.path, "HOME": state.path],
                                                   replacingEnvironment: true, directory: Self.repositoryRoot)
        let replayed = replay.output
        #expect(replay.status == result.status, "\(replayed.suffix(2000))")
        #expect(verdict != nil)
        #expect(replayed.split(separator: "\n").first { $0.hasPrefix("Verdict: ") } == verdict)
        #expect(!replayed.contains("no recorded run"))

        // Issue 16 §4: what the operator reads (the findings and the exported report) names steps,
        // commands and fixes in words, never by the runbook's or the analysis's internal names.
        let findings = String(result.output[(result.output.range(of: "── Findings ──")?.lowerBound ?? result.output.endIndex)...])
        let session = try #require(sessions.first)
        let report = try await Self.run(["report", session], state: state)
        #expect(report.status == 0, "\(report.output.suffix(2000))")
        // Output files are named after the commands (`outputs/0005-look_up_events.…`): paths, not words.
        let reportWords = report.output.replacingOccurrences(of: #"outputs/[^`| ]*"#, with: "", options: .regularExpression)
        for (text, what) in [(findings, "findings"), (reportWords, "report")] {
            let leaked = try Self.internalNames().filter { text.contains($0) }
            #expect(leaked.isEmpty, "\(name) \(what) shows internal names \(leaked):\n\(text.suffix(4000))")
        }
    }

    /// The bundled runbook's snake_case step and command ids, and the fix kinds' identifiers.
    static func internalNames() throws -> [String] {
        let runbook = try String(contentsOf: repositoryRoot.appendingPathComponent("Runbooks/access-denied.yaml"), encoding: .utf8)
        let stepIDs = runbook.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  - id: ") else { return nil }
            let id = line.dropFirst("  - id: ".count).trimmingCharacters(in: .whitespaces)
            return id.contains("_") ? id : nil
        }
        return stepIDs + ["removeAction", "addCondition", "widenCondition", "roleInlinePolicy", "userInlinePolicy",
                          "kmsKeyPolicy", "roleTrustPolicy", "serviceControlPolicy", "vpcEndpointPolicy"]
    }

    @Test func unknownScenarioIsAClearError() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let result = try await Self.run(["demo", "--scenario", "no-such-case", "--non-interactive"], state: state)
        #expect(result.status != 0)
        #expect(result.output.contains("No sandbox scenario named \"no-such-case\""))
    }

    @Test func runRefusesToRunWithoutReadOnlyConsent() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let noConsent = try await Self.run(["run", "--non-interactive", "--param", "principal=ana"], state: state)
        #expect(noConsent.status != 0)
        #expect(noConsent.output.contains("--yes-read-only"))
        let interactive = try await Self.run(["run", "--param", "principal=ana"], state: state)
        #expect(interactive.status != 0)
        #expect(interactive.output.contains("whydenied guide"))
    }

    /// Output collected while the process runs.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"),
          arguments: [SIGINT, SIGTERM])
    func aSignalMidSessionStillStopsMoto(signal number: Int32) async throws {
        // A live demo: it waits its turn among the live sandboxes, so its deadline measures it alone.
        try await LiveSandboxGate.shared.holding {
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["demo", "--scenario", "seed", "--non-interactive"]
            process.currentDirectoryURL = Self.repositoryRoot
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = state.path
            // The session's describe-trails holds (an aws first on PATH that waits before running
            // the real one), so the signal lands while a command runs, however fast the others are.
            let holding = state.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: holding, withIntermediateDirectories: true)
            let realAWS = try #require(ExecutableLocator.find("aws", path: environment["PATH"]))
            try ScenarioFakeCLI.writeExecutable("""
                #!/bin/sh
                case " $* " in *" describe-trails "*) sleep 120;; esac
                exec \(realAWS) "$@"
                """, to: holding.appendingPathComponent("aws"))
            environment["PATH"] = holding.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            process.environment = environment
            let pipe = Pipe()
            let collected = Collected()
            pipe.fileHandleForReading.readabilityHandler = { collected.append($0.availableData) }
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // Wait until the session is running its commands.
            let deadline = ContinuousClock.now + .seconds(180)
            while ContinuousClock.now < deadline, process.isRunning, !collected.text.contains("$ aws cloudtrail describe-trails") {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(collected.text.contains("$ aws cloudtrail describe-trails"), "\(collected.text.suffix(2000))")
            kill(process.processIdentifier, number)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            pipe.fileHandleForReading.readabilityHandler = nil
            collected.append(pipe.fileHandleForReading.readDataToEndOfFile())
            #expect(!process.isRunning)
            #expect(process.terminationStatus != 0)
            let output = collected.text
            let port = try #require(output.range(of: "http://127.0.0.1:").map { range in
                Int(output[range.upperBound...].prefix { $0.isNumber })
            } ?? nil)
            #expect(!LoopbackPort.isAccepting(port), "moto still answers on \(port) after signal \(number)")
            #expect(ProcessTable.processes(matching: "-p \(port)").isEmpty)
            if number == SIGINT { #expect(output.contains("cancelled: stopping the session")) }
        }
    }
}
