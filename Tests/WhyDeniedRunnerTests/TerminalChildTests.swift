import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedTestSupport

/// `TerminalChild` (how `demo` opens the guided session): argv without a shell, the child's exit
/// or signal reported, default signal handlers in the child, our SIGINT handling restored after.
@Suite(.serialized) struct TerminalChildTests {
    @Test func reportsExitCodesAndSignals() {
        #expect(TerminalChild.run(executable: "/bin/sh", arguments: ["-c", "exit 3"], environment: [:]) == .exited(3))
        #expect(TerminalChild.run(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"], environment: [:]) == .signalled(SIGTERM))
        if case .notStarted = TerminalChild.run(executable: "/nonexistent/whydenied", arguments: [], environment: [:]) {} else {
            Issue.record("a missing executable must be reported as not started")
        }
        #expect(ProcessTable.zombieChildren().isEmpty)
    }

    @Test func theChildGetsDefaultSignalsAndOurDispositionComesBack() {
        let before = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, before) }
        // SIGINT is ignored here, yet the child must be interruptible (Ctrl-C reaches the TUI).
        #expect(TerminalChild.run(executable: "/bin/sh", arguments: ["-c", "kill -INT $$; exit 0"], environment: [:]) == .signalled(SIGINT))
        let now = signal(SIGINT, SIG_IGN)
        #expect(unsafeBitCast(now, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self), "our own disposition is restored after the child")
    }

    @Test func environmentAndArgumentsArriveAsGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("terminal-child-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        let ending = TerminalChild.run(executable: "/bin/sh",
                                       arguments: ["-c", #"printf '%s|%s' "$1" "$AWS_ACCESS_KEY_ID" > "$2""#, "sh", "a b;$(x)", out],
                                       environment: ["AWS_ACCESS_KEY_ID": "testing"])
        #expect(ending == .exited(0))
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "a b;$(x)|testing")
        #expect(TerminalChild.ownExecutablePath().hasPrefix("/"))
    }
}
