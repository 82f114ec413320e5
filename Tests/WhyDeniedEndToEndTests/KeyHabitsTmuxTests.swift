import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Issue 16 in a real terminal, at 80x24 and 200x60: the step list follows its titles (cut with
/// "…" only where two fifths of the screen is too narrow), the footer names the letter twins of the
/// F-keys, `y` copies the shown command through OSC 52 into tmux's clipboard, a key that does
/// nothing says so, and Ctrl-C twice quits. No command runs: the seeded sandbox is the one this test
/// process shares (`SharedSandboxes`).
@Suite(.serialized) struct KeyHabitsTmuxTests {
    /// A step's number in the step list: its place in the bundled runbook (steps are added over time).
    static func stepNumber(_ id: String) throws -> Int {
        let runbook = URL(fileURLWithPath: GuidedBinary.path).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Runbooks/access-denied.yaml")
        let ids = try String(contentsOf: runbook, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("  - id: ") }.map { $0.dropFirst("  - id: ".count) }
        return try #require(ids.firstIndex { $0 == id }) + 1
    }

    @Test(arguments: [(80, 24), (200, 60)])
    func copyHintsAndTwoCtrlCs(width: Int, height: Int) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-keys-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            var environment = sandbox.connection.environment
            environment["XDG_STATE_HOME"] = state.path
            environment["LANG"] = "C.UTF-8"
            environment["AWS_PAGER"] = ""
            let arguments = [GuidedBinary.path, "guide", "--endpoint-url", sandbox.endpointURL, "--sandbox"]
                + parameters.sorted { $0.key < $1.key }.filter { $0.key != "error_message" }
                    .flatMap { ["--param", "\($0.key)=\($0.value)"] }
            let tmux = try TmuxSession(command: arguments, width: width, height: height, environment: environment)
            defer { tmux.close() }
            tmux.acceptClipboard()
            var screen = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
            #expect(screen.contains("F2/Ctrl-S start"), "\(screen)")
            tmux.press("C-s")
            screen = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
            screen = try await SessionWalk.waitFor("?/F1 help", in: tmux, timeout: 10)
            if width == 200 {
                #expect(screen.contains(" · 2 Decode the encoded authorization message │"), "\(screen)")
                #expect(screen.contains(" · \(try Self.stepNumber("recommend")) Recommend a least-privilege fix"), "\(screen)")
            } else {
                #expect(screen.contains(" · 2 Decode the encoded author… │"), "\(screen)")
            }
            #expect(!screen.contains("verify_dependencies"))

            tmux.press("y")
            screen = try await SessionWalk.waitFor("to the clipboard.", in: tmux, timeout: 10)
            #expect(screen.contains("Copied the command ("), "\(screen)")
            let copied = tmux.buffer() ?? ""
            #expect(copied.hasPrefix("aws sts get-caller-identity"), "tmux buffer: \(copied)")

            tmux.press("z")
            _ = try await SessionWalk.waitFor("z does nothing here · ? shows the keys", in: tmux, timeout: 10)

            tmux.press("C-c")
            _ = try await SessionWalk.waitFor("Ctrl-C again quits", in: tmux, timeout: 10)
            tmux.press("C-c")
            _ = try await SessionWalk.waitFor("[program ended]", in: tmux, timeout: 20)
            #expect(tmux.exitCode == 0)
            let stty = try #require(tmux.terminalSettings())
            #expect(stty.before == stty.after)
        }
    }
}
