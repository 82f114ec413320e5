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
        let config = home.appendingPathComponent("aws-config")
        try ["audit", "dev", "prod-admin", "prod-readonly", "staging"].map { "[profile \($0)]\nregion = us-east-1\n" }
            .joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        let closedPort = try LoopbackPort.free()
        let environment = [
            "HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path, "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("no-credentials").path,
            "AWS_PAGER": "",
        ]
        let unset = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                     "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                     "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"]
        let arguments = ["env"] + unset.flatMap { ["-u", $0] }
            + [GuidedBinary.path, "guide", "--endpoint-url", "http://127.0.0.1:\(closedPort)", "--region", "us-east-1",
               "--param", "principal=DataAnalystRole", "--param", "time_frame=1 hour ago"]
        let tmux = try TmuxSession(command: arguments, width: 80, height: 24, environment: environment)
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
