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
        let config = home.appendingPathComponent("aws-config")
        try "[profile audit]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let closedPort = try LoopbackPort.free()
        let environment = [
            "HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path, "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("no-credentials").path,
            "AWS_PAGER": "",
        ]
        // Whatever credentials the test's own environment has stay out of the session.
        let unset = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                     "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                     "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"]
        let arguments = ["env"] + unset.flatMap { ["-u", $0] }
            + [GuidedBinary.path, "guide", "--endpoint-url", "http://127.0.0.1:\(closedPort)", "--region", "us-east-1",
               "--param", "principal=DataAnalystRole", "--param", "time_frame=1 hour ago"]
        let tmux = try TmuxSession(command: arguments, width: width, height: height, environment: environment)
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
