import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Issue 16 §2 and §3 with the real binary in tmux at 80x24: a step that failed and let the
/// session go on (the trail listing denied; `on_failure: continue`) is tried again from the step
/// list once the cause is fixed (Tab, select it, `r`): its failed command comes back to the gate,
/// and what answered before is not asked again. And the mouse on the form: a press on a field
/// focuses it, one on a footer hint acts as its key, one on the quit question's buttons answers
/// it. The `aws` here is a stand-in that logs every call: `describe-trails` is denied until a
/// marker file exists; every other command answers `{}`. Nothing leaves the machine.
@Suite(.serialized) struct RetryAndMouseTmuxTests {
    struct Stage {
        var folder: URL
        var marker: URL
        var calls: URL
        var tmux: TmuxSession

        func callLog() -> [String] {
            ((try? String(contentsOf: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static func start(_ arguments: [String], width: Int = 80, height: Int = 24) throws -> Stage {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-retry-\(UUID().uuidString.prefix(8))")
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let marker = folder.appendingPathComponent("trails-allowed")
        let calls = folder.appendingPathComponent("calls.log")
        try ScenarioFakeCLI.writeExecutable("""
            #!/bin/sh
            echo "$*" >> '\(calls.path)'
            case "$*" in
              *describe-trails*)
                if [ ! -f '\(marker.path)' ]; then
                  echo 'An error occurred (AccessDeniedException) when calling the DescribeTrails operation: not authorized' >&2
                  exit 254
                fi ;;
            esac
            echo '{}'
            """, to: bin.appendingPathComponent("aws"))
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let tmux = try TmuxSession(
            command: [GuidedBinary.path, "guide"] + arguments, width: width, height: height,
            environment: ["LANG": "C.UTF-8", "AWS_REGION": "us-east-1", "AWS_PAGER": "", "PATH": path,
                          "XDG_STATE_HOME": folder.appendingPathComponent("state").path])
        return Stage(folder: folder, marker: marker, calls: calls, tmux: tmux)
    }

    @Test func aFailedStepTheSessionPassedIsRetriedFromTheStepList() async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let stage = try Self.start(["--param", "principal=SlowRole", "--param", "region=us-east-1"])
        let tmux = stage.tmux
        defer {
            tmux.close()
            try? FileManager.default.removeItem(at: stage.folder)
        }
        try await tmux.screenShowing("Parameters: type them", timeout: 30)
        tmux.press("F2")
        try await tmux.screenShowing("Next command · read-only", timeout: 30)
        var walk = try await SessionWalk.confirmEachCommand(in: tmux, timeout: 180)
        #expect(walk.lastScreen.contains("✗ 3 Check CloudTrail trails"), "\(walk.lastScreen)")
        #expect(stage.callLog().filter { $0.contains("describe-trails") }.count == 1)

        // The step list: the failed step says r tries it again, and the footer offers it.
        tmux.press("Tab")
        try await tmux.screenShowing("Tab/Esc back", timeout: 10)
        tmux.type("g")
        tmux.type("j")
        tmux.type("j")
        var screen = try await tmux.screenShowing("r retry its failed commands", timeout: 10)
        #expect(screen.contains("Step 3 of"), "\(screen)")
        #expect(screen.contains("This step failed and the session went on"), "\(screen)")

        // The operator fixed the cause; r brings the failed command back to the gate.
        try Data().write(to: stage.marker)
        let callsBefore = stage.callLog().count
        tmux.type("r")
        screen = try await tmux.screenShowing("Next command · read-only", timeout: 20)
        #expect(screen.contains("describe-trails"), "\(screen)")
        walk = try await SessionWalk.confirmEachCommand(in: tmux, timeout: 180)
        #expect(walk.lastScreen.contains("✓ 3 Check CloudTrail trails"), "\(walk.lastScreen)")
        let again = stage.callLog().dropFirst(callsBefore)
        #expect(again.first?.contains("describe-trails") == true, "\(again)")
        #expect(!again.contains { $0.contains("get-caller-identity") }, "an earlier step is not asked again: \(again)")
        #expect(again.count < callsBefore, "what answered before is not asked again: \(again.count) calls after \(callsBefore)")
        try await SessionWalk.quit(tmux, exitCode: nil)
    }

    /// At 80x24 a field has one row; at 200x60 two (its check below).
    @Test(arguments: [(80, 24), (200, 60)])
    func theMouseOnTheFormFocusesFieldsAndPressesHintsAndButtons(size: (width: Int, height: Int)) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let stage = try Self.start([], width: size.width, height: size.height)
        let tmux = stage.tmux
        defer {
            tmux.close()
            try? FileManager.default.removeItem(at: stage.folder)
        }
        var screen = try await tmux.screenShowing("Parameters: type them", timeout: 30)
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let action = try #require(rows.firstIndex { $0.contains("Action (service:Action)") })
        tmux.type(StepNavigationTmuxTests.press(row: action, column: 6))
        tmux.type("s3:GetObject")
        screen = try await tmux.screenShowing("s3:GetObject", timeout: 10)
        let typedRow = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[action]
        #expect(typedRow.contains("▸ Action (service:Action)") && typedRow.contains("s3:GetObject"), "\(screen)")

        // The footer's last row: a press on "F6/Ctrl-V paste" opens the paste dialog.
        let footer = try #require(rows.last { !$0.isEmpty })
        let paste = try #require(footer.range(of: "F6/Ctrl-V paste"))
        tmux.type(StepNavigationTmuxTests.press(row: size.height - 1, column: footer.distance(from: footer.startIndex, to: paste.lowerBound) + 3))
        try await tmux.screenShowing("Paste an error message or CloudTrail event", timeout: 10)
        tmux.press("Escape")
        try await tmux.screenShowing("Parameters: type them", timeout: 10)

        // The quit question's buttons: Stay stays, Quit quits. (X10 mouse reports carry a column
        // as one byte, up to 94 as ASCII: the centred buttons of a 200-column screen are past it.)
        guard size.width == 80 else {
            try await SessionWalk.quit(tmux, exitCode: nil)
            return
        }
        tmux.press("F10")
        screen = try await tmux.screenShowing("[ Stay ]", timeout: 10)
        func place(_ text: String, in screen: String) throws -> (row: Int, column: Int) {
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let row = try #require(lines.firstIndex { $0.contains(text) })
            let line = lines[row]
            return (row, line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound) + 2)
        }
        let stay = try place("[ Stay ]", in: screen)
        tmux.type(StepNavigationTmuxTests.press(row: stay.row, column: stay.column))
        screen = try await tmux.screenShowing("Parameters: type them", timeout: 10)
        for _ in 0..<20 where (try await tmux.currentScreen()).contains("Quit whydenied?") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!(try await tmux.currentScreen()).contains("Quit whydenied?"))
        tmux.press("F10")
        screen = try await tmux.screenShowing("[ Quit ]", timeout: 10)
        let quit = try place("[ Quit ]", in: screen)
        tmux.type(StepNavigationTmuxTests.press(row: quit.row, column: quit.column))
        try await tmux.screenShowing("[program ended]", timeout: 20)
    }
}
