import Foundation
import Testing
import WhyDeniedSession
import WhyDeniedTestSupport

/// SIGTERM and SIGHUP end a headless session as Ctrl-C does: the running `aws` command's process
/// group (the CLI and what it started) is ended and reaped, the journal closes with a
/// `session_ended` line that names the signal, and whydenied exits 128 + the signal.
@Suite(.serialized) struct SignalEndsSessionTests {
    static var binary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/whydenied")
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalEndsTheCommandGroupAndClosesTheJournal(signal number: Int32) async throws {
        try #require(FileManager.default.fileExists(atPath: Self.binary.path), "build first: swift build --build-tests")
        let marker = "\(Int.random(in: 100_000...999_999))"
        // The fake CLI hangs with a child of its own: both are in the command's process group.
        let fake = try ScenarioFakeCLI(script: "sleep 7\(marker) &\nsleep 8\(marker)")
        let stateHome = fake.directory.appendingPathComponent("state")
        defer {
            for line in ProcessTable.processes(matching: marker) {
                if let pid = line.split(separator: " ").first.flatMap({ pid_t($0) }) { kill(pid, SIGKILL) }
            }
            fake.remove()
        }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run", "--non-interactive", "--yes-read-only", "--aws", fake.path,
                             "--param", "principal=arn:aws:iam::111122223333:user/ana", "--param", "region=us-east-1",
                             "--param", "time_frame=1 hour ago"]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = stateHome.path
        process.environment = environment
        let log = fake.directory.appendingPathComponent("run.log")
        try #require(FileManager.default.createFile(atPath: log.path, contents: nil))
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        func text() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        // Wait until the command (and its child) runs.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline, ProcessTable.processes(matching: "8\(marker)").isEmpty || ProcessTable.processes(matching: "7\(marker)").isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(!ProcessTable.processes(matching: "8\(marker)").isEmpty, "the command never started: \(text().suffix(2000))")
        kill(process.processIdentifier, number)
        let ended = clock.now + .seconds(30)
        while process.isRunning, clock.now < ended { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try output.close()

        #expect(process.terminationReason == .exit, "whydenied died of signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 128 + number, "\(text().suffix(2000))")
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcessTable.processes(matching: marker).isEmpty, "left running: \(ProcessTable.processes(matching: marker))")
        let sessions = stateHome.appendingPathComponent("whydenied/sessions")
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
        let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
        guard case .sessionEnded(let reason)? = reading.entries.last?.event else {
            Issue.record("the journal does not end with session_ended: \(reading.entries.last.map { "\($0.event.kind)" } ?? "empty")")
            return
        }
        let name = [SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGINT: "SIGINT"][number] ?? "?"
        #expect(reason.contains(name), "\(reason)")
        #expect(reason.hasPrefix("cancelled"), "\(reason)")
    }
}
