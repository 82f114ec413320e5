import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// `whydenied demo --scenario <each> --non-interactive` as the built binary: exit 0, the case
/// solved, and its moto_server gone afterwards.
@Suite(.serialized) struct DemoCommandTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var binary: String { repositoryRoot.appendingPathComponent(".build/debug/whydenied").path }

    static func run(_ arguments: [String], state: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = state.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func listNamesEveryScenario() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let result = try Self.run(["demo", "--list"], state: state)
        #expect(result.status == 0)
        for scenario in SandboxScenario.all { #expect(result.output.contains(scenario.name)) }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: SandboxScenario.all.map(\.name))
    func demoSolvesTheScenarioAndStopsMoto(name: String) throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try Self.run(["demo", "--scenario", name, "--non-interactive"], state: state)
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("LOCAL SANDBOX"))
        #expect(result.output.contains("Denied events found: 1"))
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
    }

    @Test func unknownScenarioIsAClearError() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let result = try Self.run(["demo", "--scenario", "no-such-case", "--non-interactive"], state: state)
        #expect(result.status != 0)
        #expect(result.output.contains("No sandbox scenario named \"no-such-case\""))
    }

    @Test func runRefusesToRunWithoutReadOnlyConsent() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("demo-state-\(UUID().uuidString.prefix(8))")
        let noConsent = try Self.run(["run", "--non-interactive", "--param", "principal=ana"], state: state)
        #expect(noConsent.status != 0)
        #expect(noConsent.output.contains("--yes-read-only"))
        let interactive = try Self.run(["run", "--param", "principal=ana"], state: state)
        #expect(interactive.status != 0)
        #expect(interactive.output.contains("whydenied guide"))
    }
}
