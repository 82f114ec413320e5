import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Issue 16 §3 in a real terminal at 80x24: `/` searches a list (the credentials box's profiles)
/// as it does the pager. No credentials and a closed loopback endpoint, as in
/// `NoCredentialsTmuxTests`, so the session stops on the profiles without leaving the machine.
@Suite(.serialized) struct ListSearchTmuxTests {
    @Test func slashSearchesTheProfilesNWrapsEscRestores() async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-listsearch-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try CredentialsFreeGuide.start(
            home: home, config: ["audit", "dev", "prod-admin", "prod-readonly", "staging"]
                .map { "[profile \($0)]\nregion = us-east-1\n" }.joined(separator: "\n"),
            width: 80, height: 24)
        defer { tmux.close() }
        _ = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
        tmux.press("C-s")
        _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
        tmux.press("Enter")
        _ = try await SessionWalk.waitFor("▶ audit", in: tmux, timeout: 60)

        tmux.type("/prod")
        var screen = try await SessionWalk.waitFor("/prod   2 matches", in: tmux, timeout: 10)
        #expect(screen.contains("▶ prod-admin"), "\(screen)")
        #expect(screen.contains("Enter go to match · Esc cancel"), "\(screen)")
        tmux.press("Enter")
        screen = try await SessionWalk.waitFor("match 1 of 2 for \"prod\"", in: tmux, timeout: 10)
        tmux.type("n")
        screen = try await SessionWalk.waitFor("▶ prod-readonly", in: tmux, timeout: 10)
        tmux.type("n")
        screen = try await SessionWalk.waitFor("wrapped to the top", in: tmux, timeout: 10)
        #expect(screen.contains("▶ prod-admin"), "\(screen)")

        // Esc in the prompt goes back to the profile selected before `/`, and does not quit.
        tmux.type("/stag")
        _ = try await SessionWalk.waitFor("▶ staging", in: tmux, timeout: 10)
        tmux.press("Escape")
        screen = try await SessionWalk.waitFor("▶ prod-admin", in: tmux, timeout: 10)
        #expect(!screen.contains("Quit whydenied?"), "\(screen)")

        _ = try await SessionWalk.quit(tmux, key: "q", exitCode: 2)
    }
}
