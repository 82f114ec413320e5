import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// Walks a running guided session in tmux: Enter at every read-only gate, and at every change
/// dialog either Esc (decline) or the typed word and Enter (apply), until the session says it is
/// complete or stopped. Returns what it saw. Async and sleeping with `Task.sleep`: a blocking
/// sleep would hold one of the few cooperative threads other tests (a kill timed on the journal)
/// need to run on time.
enum SessionWalk {
    enum ChangeAnswer { case decline, apply }

    struct Result {
        var confirmed = 0
        var declinedChanges = 0
        /// The words typed to apply changes, in order.
        var appliedWords: [String] = []
        var changeDialogs: [String] = []
        var lastScreen = ""
    }

    static func confirmEachCommand(in tmux: TmuxSession, changes: ChangeAnswer = .decline,
                                   timeout: TimeInterval = 240) async throws -> Result {
        var result = Result()
        let deadline = Date().addingTimeInterval(timeout)
        var lastGate = ""
        var sameGateSince = Date()
        while Date() < deadline {
            let screen = try await tmux.currentScreen()
            result.lastScreen = screen
            if screen.contains("Session complete.") || screen.contains("Session stopped:") {
                // The rest of that frame may still be on its way: read the settled screen.
                try await Task.sleep(for: .milliseconds(500))
                result.lastScreen = try await tmux.currentScreen()
                return result
            }
            if screen.contains("This command CHANGES your account") {
                // The capture may have caught the dialog half drawn: its buttons are drawn last.
                let screen = try await waitFor("[ Cancel ]", in: tmux, timeout: 10)
                result.changeDialogs.append(screen)
                switch changes {
                case .decline:
                    tmux.press("Escape")
                    _ = try await waitFor("Declined: nothing was changed.", in: tmux, timeout: 20)
                    result.declinedChanges += 1
                case .apply:
                    guard let word = confirmWord(in: screen) else {
                        throw TmuxSession.Failure(description: "a change dialog without its word to type:\n\(screen)")
                    }
                    // The typed word moves the focus to Run: Enter runs it (a Tab would pick Cancel).
                    tmux.type(word)
                    tmux.press("Enter")
                    result.appliedWords.append(word)
                    // The next change's dialog may cover the rollback notice: wait for this dialog to go.
                    let asked = commandLine(in: screen)
                    let gone = Date().addingTimeInterval(60)
                    while Date() < gone, commandLine(in: try await tmux.currentScreen()) == asked { try await Task.sleep(for: .milliseconds(100)) }
                }
                continue
            }
            if screen.contains("Next command · read-only"), !screen.contains(" Running ") {
                // Press once per gate; press again only if the same gate stays for 5 s. A gate is
                // told by the whole screen (the last result is on it), not by its first command
                // row: a command polled again, or two cut to the same row, look alike there.
                if screen != lastGate || Date().timeIntervalSince(sameGateSince) > 5 {
                    tmux.press("Enter")
                    result.confirmed += 1
                    lastGate = screen
                    sameGateSince = Date()
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxSession.Failure(description: "the session did not complete within \(timeout)s; last screen:\n\(result.lastScreen)")
    }

    /// `guide --sandbox` on a seeded scenario, started (F2) with changes enabled (F4, y).
    static func startWithChangesEnabled(_ sandbox: MotoSandbox, parameters: [String: String], stateHome: URL,
                                        width: Int = 120, height: Int = 40) async throws -> TmuxSession {
        var environment = sandbox.connection.environment
        environment["XDG_STATE_HOME"] = stateHome.path
        environment["LANG"] = "C.UTF-8"
        environment["AWS_PAGER"] = ""
        let arguments = [GuidedBinary.path, "guide", "--endpoint-url", sandbox.endpointURL, "--sandbox"]
            + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
        let tmux = try TmuxSession(command: arguments, width: width, height: height, environment: environment)
        do {
            try await tmux.screenShowing("Parameters: type them")
            tmux.press("F2")
            try await tmux.screenShowing("Next command · read-only", timeout: 30)
            tmux.press("F4")
            try await tmux.screenShowing("y enable", timeout: 10)
            tmux.type("y")
            try await tmux.screenShowing("Changes enabled", timeout: 10)
        } catch {
            tmux.close()
            throw error
        }
        return tmux
    }

    /// Quits the way an operator does: `key`, the confirm, `y`; then the program has ended with
    /// `exitCode` (when given) and the terminal is as it was before. Returns the last screen.
    @discardableResult
    static func quit(_ tmux: TmuxSession, key: String = "F10", exitCode: Int32? = 0) async throws -> String {
        tmux.press(key)
        try await tmux.screenShowing("Quit whydenied?")
        tmux.type("y")
        let screen = try await tmux.screenShowing("[program ended]", timeout: 20)
        if let exitCode { #expect(tmux.exitCode == exitCode) }
        let stty = try #require(tmux.terminalSettings())
        #expect(stty.before == stty.after)
        return screen
    }

    /// `TmuxSession.screenShowing`, under the name the walks were written with.
    static func waitFor(_ text: String, in tmux: TmuxSession, timeout: TimeInterval) async throws -> String {
        try await tmux.screenShowing(text, timeout: timeout)
    }

    /// The gate's or dialog's first command line (`│ $ aws …`), nil when none is shown.
    static func commandLine(in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.contains("│ $ ") }.map(String.init)
    }

    /// The word a change dialog asks for ("Type WORD to enable Run:").
    static func confirmWord(in screen: String) -> String? {
        guard let start = screen.range(of: "Type "),
              let end = screen.range(of: " to enable Run:", range: start.upperBound..<screen.endIndex) else { return nil }
        return String(screen[start.upperBound..<end.lowerBound])
    }
}
