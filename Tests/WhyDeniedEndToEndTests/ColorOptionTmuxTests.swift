import Foundation
import Testing
import WhyDeniedTestSupport

/// `--color auto|always|never` and NO_COLOR on the real terminal UI: what tmux received, its
/// colour escapes included (`capture-pane -e`).
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct ColorOptionTmuxTests {
    /// True when the screen carries a foreground colour (SGR 30–37, 90–97 or 38;…).
    static func hasColour(_ screen: String) -> Bool {
        var rest = Substring(screen)
        while let start = rest.range(of: "\u{1B}[") {
            guard let end = rest[start.upperBound...].firstIndex(of: "m") else { break }
            let codes = rest[start.upperBound..<end].split(separator: ";").compactMap { Int($0) }
            if codes.contains(where: { (30...38).contains($0) || (90...97).contains($0) }) { return true }
            rest = rest[end...]
        }
        return false
    }

    func formScreen(_ arguments: [String], environment: [String: String]) async throws -> String {
        try #require(WhyDeniedBinary.exists, "build first: swift build --build-tests")
        // NO_COLOR empty counts as unset: the test's own environment must not decide.
        var env = ["LANG": "C.UTF-8", "AWS_REGION": "us-east-1", "TERM": "xterm-256color", "NO_COLOR": ""]
        env.merge(environment) { $1 }
        let tmux = try TmuxSession(command: [WhyDeniedBinary.path, "guide"] + arguments, width: 100, height: 30,
                                   environment: env)
        defer { tmux.close() }
        // The footer is drawn last: the whole form is on the screen once it shows.
        try await tmux.screenShowing("F10/Ctrl-Q quit")
        return tmux.captureWithAttributes()
    }

    @Test func autoDrawsColourOnAColourTerminal() async throws {
        #expect(Self.hasColour(try await formScreen([], environment: [:])))
    }

    @Test func noColorTurnsColourOff() async throws {
        #expect(!Self.hasColour(try await formScreen([], environment: ["NO_COLOR": "1"])))
        #expect(!Self.hasColour(try await formScreen(["--color", "auto"], environment: ["NO_COLOR": "1"])))
    }

    @Test func neverTurnsColourOffAndAlwaysOverridesNoColor() async throws {
        #expect(!Self.hasColour(try await formScreen(["--color", "never"], environment: [:])))
        #expect(Self.hasColour(try await formScreen(["--color", "always"], environment: ["NO_COLOR": "1"])))
    }

    @Test func anUnknownChoiceIsRefusedWithTheChoices() async throws {
        let run = try await WhyDeniedBinary.running(["guide", "--color", "sometimes"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("sometimes"))
        #expect(run.stderr.contains("auto") && run.stderr.contains("always") && run.stderr.contains("never"))
    }
}
