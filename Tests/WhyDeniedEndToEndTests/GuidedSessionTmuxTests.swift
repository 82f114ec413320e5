import Foundation
import Testing
import WhyDeniedTestSupport

/// The real `whydenied` binary in tmux (100x30, LANG=C.UTF-8): what an operator sees.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && GuidedBinary.exists))
struct GuidedSessionTmuxTests {
    static let seedError = """
        An error occurred (AccessDenied) when calling the GetObject operation: User: \
        arn:aws:sts::123456789012:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: \
        s3:GetObject on resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv" with an explicit deny \
        in a resource-based policy
        """

    func start(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> TmuxSession {
        var env = ["LANG": "C.UTF-8", "AWS_REGION": "us-east-1", "AWS_PAGER": ""]
        env.merge(environment) { $1 }
        return try TmuxSession(command: [GuidedBinary.path] + arguments, width: 100, height: 30, environment: env)
    }

    @Test func formPasteResizeAndQuitLeaveTheTerminalAsItWas() throws {
        let tmux = try start()
        defer { tmux.close() }
        var screen = try tmux.waitFor("Parameters: type them")
        #expect(screen.contains("▸ Principal (user/role name or ARN) *"))
        #expect(screen.contains("Region *                             us-east-1"))
        #expect(screen.contains("✓ ok · from AWS_REGION"))
        #expect(screen.contains(" F2 start · F6 paste · Tab/↑↓ move · Ctrl-U clear · F1 help · F10 quit"))

        // Non-ASCII typing lands in the field as typed.
        tmux.type("Rôle日本")
        screen = try tmux.waitFor("Rôle日本")
        #expect(screen.contains("✗ IAM names use letters, digits and +=,.@_-"))
        tmux.press("C-u")
        try tmux.waitFor("! required")

        // Paste the seed's error message, read it, accept all.
        tmux.press("F6")
        try tmux.waitFor("Paste an error message or CloudTrail event")
        tmux.type(Self.seedError)
        try tmux.waitFor("resource-based policy")
        tmux.press("C-d")
        screen = try tmux.waitFor("Detected in the pasted text")
        #expect(screen.contains("[x] principal     arn:aws:sts::123456789012:assumed-ro…"))
        #expect(screen.contains("[x] action        s3:GetObject"))
        tmux.press("a")
        screen = try tmux.waitFor("from the pasted text")
        #expect(screen.contains("Action (service:Action)              s3:GetObject"))
        #expect(screen.contains("Account id                           123456789012"))
        #expect(screen.contains("✓ assumed-role · pasted: error message"))

        // Resize: the layout follows the terminal.
        tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor(" whydenied │ READ-ONLY │ REAL AWS │ 123456789012 │ us-east-1 │ profile default\n")
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 24)
        tmux.resize(width: 50, height: 12)
        try tmux.waitFor("Terminal too small (50x12)")
        tmux.resize(width: 100, height: 30)
        try tmux.waitFor("as ?")

        // Help, then quit (asks first).
        tmux.press("F1")
        try tmux.waitFor("Paste dialog")
        tmux.press("Escape")
        tmux.press("F10")
        try tmux.waitFor("Quit whydenied?")
        tmux.press("n")
        try tmux.waitFor("F2 start")
        tmux.press("F10")
        try tmux.waitFor("Quit whydenied?")
        tmux.type("y")
        try tmux.waitFor("[program ended]")
        #expect(tmux.exitCode == 0)
        let stty = try #require(tmux.terminalSettings())
        #expect(stty.before == stty.after)
    }

    @Test func terminalIsRestoredWhenTheProgramIsKilled() throws {
        let tmux = try start()
        defer { tmux.close() }
        try tmux.waitFor("Parameters: type them")
        try tmux.signalProgram(SIGTERM, named: GuidedBinary.path)
        try tmux.waitFor("[program ended]")
        #expect(tmux.exitCode == 143)
        let stty = try #require(tmux.terminalSettings())
        #expect(stty.before == stty.after)
    }

    @Test func withoutATerminalItSaysSoAndPointsAtHeadlessMode() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GuidedBinary.path)
        process.arguments = ["guide"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("no terminal (stdin or stdout is not a TTY)"))
        #expect(text.contains("whydenied run --non-interactive"))
        #expect(process.terminationStatus == 2)
    }
}

/// The built binary the end-to-end tests drive (`swift build` first).
enum GuidedBinary {
    static var path: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/whydenied").path
    }

    static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }
}
