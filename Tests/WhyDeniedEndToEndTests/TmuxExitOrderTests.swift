import Foundation
import Testing
import WhyDeniedTestSupport

/// Once the pane's exit code is there, the terminal settings after the program are too: a test
/// reads them as soon as the program has ended, and under load once read an empty file
/// (GuidedSignalTmuxTests, stty.after == ""). A `stty` first on PATH that takes half a second
/// makes the window between the two files wide enough to hit every time.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct TmuxExitOrderTests {
    @Test func theSettingsAfterTheProgramAreWrittenBeforeItsExitCode() async throws {
        let tools = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-slow-stty-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tools) }
        let stty = try #require(["/usr/bin/stty", "/bin/stty"].first { FileManager.default.isExecutableFile(atPath: $0) })
        try ScenarioFakeCLI.writeExecutable("#!/bin/sh\nsleep 0.5\nexec \(stty) \"$@\"\n", to: tools.appendingPathComponent("stty"))
        let path = tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let tmux = try TmuxSession(command: ["sh", "-c", "exit 3"], width: 40, height: 6, environment: ["PATH": path])
        defer { tmux.close() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline, tmux.exitCode == nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(tmux.exitCode == 3)
        let settings = try #require(tmux.terminalSettings(), "no stty-after.txt once the exit code was written")
        #expect(!settings.after.isEmpty)
        #expect(settings.before == settings.after)
    }
}
