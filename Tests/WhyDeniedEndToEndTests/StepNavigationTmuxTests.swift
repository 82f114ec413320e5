import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Issue 16 §2 "move around" with the real binary in tmux at 80x24: a failed step that stopped
/// the session goes on with `r` once the cause is fixed (the failed command comes back to the
/// gate, runs, and the session continues), and Tab gives the step list the keys to read any
/// step's commands and outputs. The `aws` here is a stand-in: `get-caller-identity` hangs until
/// a marker file exists (so the first try is cancelled with `x`, a failure that halts the
/// session), then answers; every other command answers `{}`. Nothing leaves the machine.
@Suite(.serialized) struct StepNavigationTmuxTests {
    /// A left click as the terminal reports it in X10 mouse mode (tmux's terminfo `kmous=\E[M`):
    /// the press, then the release, each ESC [ M with button (0 left, 3 release), column and row
    /// (1-based), each plus 32.
    static func press(row: Int, column: Int) -> String {
        [0, 3].map { button in
            "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + column)))
                + String(UnicodeScalar(UInt8(33 + row)))
        }.joined()
    }

    @Test func rGoesOnFromTheFailedStepAndTabReadsAnyStep() async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-steps-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let marker = folder.appendingPathComponent("credentials-fixed")
        let sleeper = "4\(Int.random(in: 100...999))"
        try ScenarioFakeCLI.writeExecutable("""
            #!/bin/sh
            case "$*" in
              *get-caller-identity*)
                if [ -f '\(marker.path)' ]; then
                  echo '{"UserId":"AIDAEXAMPLE","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/operator"}'
                  exit 0
                fi
                exec sleep \(sleeper) ;;
            esac
            echo '{}'
            """, to: bin.appendingPathComponent("aws"))
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let tmux = try TmuxSession(
            command: [GuidedBinary.path, "guide", "--param", "principal=SlowRole", "--param", "region=us-east-1"], width: 80, height: 24,
            environment: ["LANG": "C.UTF-8", "AWS_REGION": "us-east-1", "AWS_PAGER": "", "PATH": path,
                          "XDG_STATE_HOME": folder.appendingPathComponent("state").path])
        defer { tmux.close() }
        try await tmux.screenShowing("Parameters: type them", timeout: 30)
        tmux.press("F2")
        try await tmux.screenShowing("Next command · read-only", timeout: 30)
        tmux.press("Enter")
        try await tmux.screenShowing("· x or Ctrl-C cancels", timeout: 10)
        tmux.press("x")
        var screen = try await tmux.screenShowing("Session stopped: a step failed", timeout: 20)
        screen = try await tmux.screenShowing("r retry the failed command", timeout: 10)
        #expect(screen.contains(" ✗ 1 Verify dependencies"), "\(screen)")
        #expect(screen.contains("F10/Ctrl-Q quit") || screen.contains("q quit"), "the way out stays in the footer:\n\(screen)")

        // The operator fixed the cause; r brings the failed command back to the gate.
        try Data().write(to: marker)
        tmux.type("r")
        screen = try await tmux.screenShowing("Next command · read-only", timeout: 20)
        #expect(screen.contains("get-caller-identity"), "\(screen)")
        #expect(!screen.contains("Session stopped"), "\(screen)")
        tmux.press("Enter")
        screen = try await tmux.screenShowing(" ✓ 1 Verify dependencies", timeout: 20)
        #expect(!screen.contains("Session stopped"), "the session went on:\n\(screen)")

        // Tab: the step list has the keys; the first step's command and its answer.
        tmux.press("Tab")
        screen = try await tmux.screenShowing("Tab/Esc back", timeout: 10)
        #expect(screen.contains("┃"), "the focused list's edge:\n\(screen)")
        tmux.type("g")
        // The retry's result is the selected step's last line: the frame is drawn by then.
        screen = try await tmux.screenShowing("→ exit 0", timeout: 10)
        #expect(screen.contains("Step 1 of"), "\(screen)")
        #expect(screen.contains("$ aws sts get-caller-identity"), "\(screen)")
        #expect(screen.contains("→ exit 130"), "the cancelled try:\n\(screen)")
        #expect(screen.contains("→ exit 0"), "the retry:\n\(screen)")
        tmux.press("Enter")
        screen = try await tmux.screenShowing("\"Arn\": \"arn:aws:iam::123456789012:user/operator\"", timeout: 10)
        tmux.type("q")
        try await tmux.screenShowing("Tab/Esc back", timeout: 10)
        tmux.press("Escape")
        screen = try await tmux.screenShowing("Tab steps", timeout: 10)
        #expect(!screen.contains("┃"), "\(screen)")

        // The mouse: a press on step 1 (screen row 2) selects it; one in the main pane gives the keys back.
        tmux.type(Self.press(row: 2, column: 4))
        screen = try await tmux.screenShowing("Step 1 of", timeout: 10)
        #expect(screen.contains("┃"), "\(screen)")
        tmux.type(Self.press(row: 12, column: 60))
        screen = try await tmux.screenShowing("Tab steps", timeout: 10)
        #expect(!screen.contains("┃"), "\(screen)")

        // The journal: the halt ended the session, the retry took it on from the failed command.
        let sessions = folder.appendingPathComponent("state/whydenied/sessions")
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
        let journal = try String(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.components(separatedBy: "get-caller-identity").count > 2, "proposed and run twice")
        try await SessionWalk.quit(tmux, exitCode: nil)
    }
}
