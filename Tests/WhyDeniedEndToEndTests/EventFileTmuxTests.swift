import Foundation
import Testing
import WhyDeniedTestSupport

/// Issue 16 §2 in a real terminal at 80x24: Ctrl-O on the form opens the event file prompt, Tab
/// completes under `~` (HOME is a temporary folder holding a copy of a real stratus-red-team
/// capture), a malformed file is refused with the line and column while the path stays, and the
/// real file fills the form through the paste's review. No AWS: the walk stops at the form.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct EventFileTmuxTests {
    @Test func aLocalEventFileFillsTheFormAt80x24() async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-home-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        let trails = home.appendingPathComponent("trails")
        try EventFileFixtures.copy(EventFileFixtures.ec2DownloadUserData, into: trails, as: "denied-ec2.json")
        try Data("{\n  \"Records\": [\n    {\"eventName\": }\n  ]\n}\n".utf8).write(to: trails.appendingPathComponent("broken.json"))
        let tmux = try TmuxSession(command: [GuidedBinary.path, "guide", "--region", "us-east-1"], width: 80, height: 24,
                                   environment: ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                                                 "LANG": "C.UTF-8"])
        defer { tmux.close() }
        var screen = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
        // At 80 columns the footer keeps the help and the way out (F10/Ctrl-Q quit); the help lists the key.
        #expect(screen.contains("F1/Ctrl-G help · F10/Ctrl-Q quit"), "\(screen)")
        tmux.press("F1")
        screen = try await SessionWalk.waitFor("F3/Ctrl-O", in: tmux, timeout: 10)
        #expect(screen.contains("load a local event file"), "the help offers the key:\n\(screen)")
        tmux.press("Escape")
        _ = try await SessionWalk.waitFor("F10/Ctrl-Q quit", in: tmux, timeout: 10)

        tmux.press("C-o")
        _ = try await SessionWalk.waitFor("Load a local event file", in: tmux, timeout: 10)
        tmux.type("~/tr")
        tmux.press("Tab")
        _ = try await SessionWalk.waitFor("~/trails/", in: tmux, timeout: 10)
        tmux.press("Tab")
        screen = try await SessionWalk.waitFor("denied-ec2.json", in: tmux, timeout: 10)
        #expect(screen.contains("broken.json"), "both names are listed:\n\(screen)")

        tmux.type("b")
        tmux.press("Tab")
        _ = try await SessionWalk.waitFor("~/trails/broken.json", in: tmux, timeout: 10)
        tmux.press("Enter")
        screen = try await SessionWalk.waitFor("✗ ~/trails/broken.json", in: tmux, timeout: 10)
        #expect(screen.contains("line 3"), "the error says where:\n\(screen)")

        // The path stays; correct it to the real capture.
        for _ in 0..<"broken.json".count { tmux.press("BSpace") }
        tmux.type("den")
        tmux.press("Tab")
        _ = try await SessionWalk.waitFor("~/trails/denied-ec2.json", in: tmux, timeout: 10)
        tmux.press("Enter")
        screen = try await SessionWalk.waitFor("Detected in the file ~/trails/denied-ec2.json:", in: tmux, timeout: 10)
        // At 80 columns the review cuts long values with a marker; the form below has them in full.
        #expect(screen.contains("ec2:DescribeInstanceAttrib"), "\(screen)")
        #expect(screen.contains("17 denied events found; using the latest"), "\(screen)")
        tmux.press("a")
        screen = try await SessionWalk.waitFor("fields from ~/trails/denied-ec2.json. Check them, then F2 starts.", in: tmux, timeout: 10)
        #expect(screen.contains("stratus-red-team-get-usr-data-role"), "the principal is filled:\n\(screen)")
        #expect(screen.contains("321848314756"), "the account is filled:\n\(screen)")

        try await SessionWalk.quit(tmux)
    }
}
