import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Issue 16 §2 in a real terminal: a first run with no credentials at all (an empty HOME, no
/// AWS_* credentials, a CLI config with two profiles that have no keys) is not a dead end. The
/// session says what is missing, offers the two profiles, names the demo; picking one checks
/// again with `--profile`; quitting there exits 2. The endpoint is a closed loopback port, so
/// nothing leaves the machine (the CLI fails on the credentials before it connects).
@Suite(.serialized) struct NoCredentialsTmuxTests {
    @Test(arguments: [(80, 24), (200, 60)])
    func noCredentialsOffersTheProfilesAndQuitsWithStatus2(width: Int, height: Int) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-nocreds-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try CredentialsFreeGuide.start(
            home: home, config: "[profile audit]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n",
            width: width, height: height)
        defer { tmux.close() }
        _ = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)
        tmux.press("C-s")
        _ = try await SessionWalk.waitFor("Next command · read-only", in: tmux, timeout: 30)
        tmux.press("Enter")
        var screen = try await SessionWalk.waitFor("Credentials needed", in: tmux, timeout: 60)
        screen = try await SessionWalk.waitFor("whydenied demo", in: tmux, timeout: 5)
        #expect(screen.contains("No AWS credentials"), "\(screen)")
        #expect(screen.contains("▶ audit"), "\(screen)")
        #expect(screen.contains("  dev"), "\(screen)")
        #expect(screen.contains("Enter check with this profile"), "\(screen)")
        #expect(!screen.contains("Session stopped"), "\(screen)")

        // Picking dev runs the check again with --profile dev: it has no keys either, so it says so.
        tmux.press("j", "Enter")
        screen = try await SessionWalk.waitFor("dev (the one that failed)", in: tmux, timeout: 60)
        #expect(screen.contains("profile dev"), "\(screen)")

        screen = try await SessionWalk.quit(tmux, key: "q", exitCode: 2)
        #expect(screen.contains("whydenied: No AWS credentials"), "\(screen)")

        // The journal says where the commands went after the pick: profile dev (what a resume uses).
        let journals = FileManager.default.enumerator(at: home.appendingPathComponent("state"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".jsonl") } ?? []
        let journal = try journals.map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        #expect(journal.contains("\"profile\":\"dev\""), "\(journal.prefix(2000))")
    }
}
