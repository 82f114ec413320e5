import Foundation
import Testing
import WhyDeniedTestSupport

/// Issue 16 §3 in a real terminal: whydenied turns bracketed paste on, so a paste reaches it as
/// one piece (`tmux paste-buffer -p` sends the markers only when the program asked for them).
/// An AccessDenied message pasted on the form opens the paste dialog with the fields read from
/// it (before, it landed in the Principal field); a plain name pasted there goes into the field.
/// No AWS is involved: the form alone.
@Suite(.serialized) struct BracketedPasteTmuxTests {
    static let seedError = """
        An error occurred (AccessDenied) when calling the GetObject operation: User: \
        arn:aws:sts::123456789012:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: \
        s3:GetObject on resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv" with an explicit deny \
        in a resource-based policy
        """

    @Test(arguments: [(80, 24), (200, 60)])
    func anErrorPastedOnTheFormOpensThePasteDialog(width: Int, height: Int) async throws {
        try #require(GuidedBinary.exists, "build first: swift build --build-tests")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-paste-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try TmuxSession(command: [GuidedBinary.path, "guide", "--region", "us-east-1"], width: width, height: height,
                                   environment: ["XDG_STATE_HOME": state.path, "LANG": "C.UTF-8"])
        defer { tmux.close() }
        _ = try await SessionWalk.waitFor("Parameters: type them", in: tmux, timeout: 20)

        // A plain name goes into the focused field (Principal), newline dropped.
        try tmux.pasteBracketed("DataAnalystRole\n")
        var screen = try await SessionWalk.waitFor("DataAnalystRole", in: tmux, timeout: 10)
        #expect(!screen.contains("Paste an error message or CloudTrail event"), "\(screen)")
        tmux.press("C-u")

        try tmux.pasteBracketed(Self.seedError + "\n")
        screen = try await SessionWalk.waitFor("Detected in the pasted text", in: tmux, timeout: 10)
        #expect(screen.contains("s3:GetObject"), "\(screen)")
        tmux.press("a")
        screen = try await SessionWalk.waitFor("from the pasted text", in: tmux, timeout: 10)
        #expect(screen.contains("DataAnalystRole"), "\(screen)")

        try await SessionWalk.quit(tmux)
    }
}
