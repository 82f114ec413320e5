import Foundation
import Testing
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTestSupport

/// Faults at the session level, through the real runner and real child processes: each ends
/// with the documented message, the session stops or goes on cleanly, and no process is left.
@Suite struct SessionFaultTests {
    static var runbookPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Runbooks/access-denied.yaml").path
    }
    static let parameters = ["principal": "arn:aws:iam::111122223333:user/ana", "time_frame": "1 hour ago", "region": "us-east-1"]

    /// The shipped runbook with a shorter default timeout, so a hang is found quickly.
    static func runbook(timeout: String? = nil) throws -> Runbook {
        var text = try String(contentsOfFile: runbookPath, encoding: .utf8)
        if let timeout { text = text.replacingOccurrences(of: "  timeout: 60s\n", with: "  timeout: \(timeout)\n") }
        return try RunbookLoader.load(text: text, file: "access-denied.yaml")
    }

    @Test func aCommandThatHangsTimesOutAndTheSessionStopsCleanly() async throws {
        let marker = "whydenied-hang-\(Int.random(in: 100_000...999_999))"
        let fake = try ScenarioFakeCLI(script: "sleep 600 # \(marker)")
        defer { fake.remove() }
        var session = GuidedSession(runbook: try Self.runbook(timeout: "1s"), parameters: Self.parameters, now: Date(), readOnly: true)
        let started = ContinuousClock.now
        await session.runHeadless(effects: AWSCommandRunner(connection: AWSConnection(executable: fake.path))) { _ in }
        // Far below the command's own 600 s: it was killed, whatever the machine's load.
        #expect(ContinuousClock.now - started < .seconds(90))
        #expect(session.notes.contains { $0.contains("did not finish within 1 s and was stopped") }, "\(session.notes)")
        #expect(session.nextStep() == .finished(.stoppedByOperator))
        #expect(session.transcript.count == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcessTable.processes(matching: marker).isEmpty)
        #expect(ProcessTable.zombieChildren().isEmpty)
    }

    @Test func aMissingCLIStopsAtTheToolCheck() async throws {
        var session = GuidedSession(runbook: try Self.runbook(), parameters: Self.parameters, now: Date(), readOnly: true)
        var lines: [String] = []
        await session.runHeadless(effects: AWSCommandRunner(connection: AWSConnection(executable: "/nonexistent/whydenied/aws"))) {
            lines.append($0)
        }
        #expect(session.transcript.isEmpty)
        #expect(session.notes.contains("Not on PATH: aws."))
        #expect(lines.contains { $0.contains("missing aws") })
        #expect(lines.contains { $0.contains("halted") })
    }

    @Test func expiredCredentialsFromTheRealCLIPathHaltWithHowToRefresh() async throws {
        // Recorded CLI v1 stderr for an expired session token.
        let fake = try ScenarioFakeCLI(script: """
            echo '' >&2
            echo 'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired' >&2
            exit 254
            """)
        defer { fake.remove() }
        var session = GuidedSession(runbook: try Self.runbook(), parameters: Self.parameters, now: Date(), readOnly: true)
        await session.runHeadless(effects: AWSCommandRunner(connection: AWSConnection(executable: fake.path))) { _ in }
        #expect(session.notes.contains { $0.contains("Your AWS credentials have expired") })
        #expect(session.nextStep() == .finished(.stoppedByOperator))
        #expect(ProcessTable.zombieChildren().isEmpty)
    }
}
