import Foundation
import Testing
import WhyDeniedTestSupport

/// The bottom-right cell of the terminal is drawn too: adding a character there would scroll the
/// screen, so the ncurses backend inserts it. A footer exactly as wide as the terminal used to
/// lose its last character ("…Ctrl-Q qui").
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct ScreenCornerTmuxTests {
    @Test func aFooterAsWideAsTheTerminalKeepsItsLastCharacter() async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-home-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try TmuxSession(command: [GuidedBinary.path, "guide", "--region", "us-east-1"], width: 200, height: 30,
                                   environment: ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                                                 "LANG": "C.UTF-8"])
        defer { tmux.close() }
        let wide = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
        // The form's whole footer at 200 columns; then a terminal exactly that wide.
        let footer = try #require(wide.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.isEmpty }.map(String.init))
        let width = footer.count
        #expect(width > 40 && width < 200, "\(footer)")
        // Narrower first, so the rows tmux keeps across a resize cannot pass for the redraw.
        tmux.resize(width: 60, height: 30)
        _ = try await SessionWalk.waitFor("Parameters", in: tmux, timeout: 10)
        try await Task.sleep(for: .milliseconds(500))
        tmux.resize(width: width, height: 30)
        var last = ""
        for _ in 0..<50 {
            last = try await tmux.currentScreen().split(separator: "\n", omittingEmptySubsequences: false).last { !$0.isEmpty }.map(String.init) ?? ""
            if last == footer { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(last == footer, "the bottom row at \(width) columns:\n\(last)\nexpected:\n\(footer)")
        // Back to the size the terminal settings were read at, for the quit's check.
        tmux.resize(width: 200, height: 30)
        _ = try await SessionWalk.waitFor("Parameters", in: tmux, timeout: 10)
        try await SessionWalk.quit(tmux)
    }
}
