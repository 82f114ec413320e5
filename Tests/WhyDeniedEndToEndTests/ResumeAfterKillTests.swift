import Foundation
import Testing
import WhyDeniedRunbook
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 7's crash test: the real binary runs the seed scenario against moto, is killed with
/// SIGKILL in the middle, and `resume` restores every finished result without running it again
/// — also when the crash left half a line at the end of the journal. Read-only sessions: the
/// seeded sandbox is the one this test process shares (`SharedSandboxes`).
@Suite(.serialized) struct ResumeAfterKillTests {
    static var binary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/whydenied")
    }

    struct Finished: Error, CustomStringConvertible { var description: String }

    /// Runs the binary to the end; returns exit status and combined output. Waited for off the
    /// cooperative pool: a whole headless session would hold one of a 2-core machine's two threads.
    static func run(_ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
        let run = try await TestProcess.running(binary.path, arguments, environment: environment, replacingEnvironment: true)
        return (run.status, run.stdout + run.stderr)
    }

    static func environment(sandbox: MotoSandbox, stateHome: URL) -> [String: String] {
        var environment = sandbox.connection.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        environment["HOME"] = stateHome.path
        environment["XDG_STATE_HOME"] = stateHome.path
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    static func finishedCount(_ journal: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: journal.path) else { return 0 }
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\"event\":\"finished\"").count - 1
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"),
          arguments: [false, true])
    func killedMidSessionThenResumed(truncateLastLine: Bool) async throws {
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in
            let stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-kill-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: stateHome, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: stateHome) }
            let environment = Self.environment(sandbox: sandbox, stateHome: stateHome)
            let sessions = stateHome.appendingPathComponent("whydenied/sessions")

            // Start the headless session and kill it once four commands have finished.
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["run", "--non-interactive", "--yes-read-only", "--endpoint-url", sandbox.endpointURL]
                + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
            process.environment = environment
            let runLog = stateHome.appendingPathComponent("run.log")
            try #require(FileManager.default.createFile(atPath: runLog.path, contents: nil))
            let runOutput = try FileHandle(forWritingTo: runLog)
            process.standardOutput = runOutput
            process.standardError = runOutput
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // Watched from a thread of its own: the session runs ~40 reads in ~20 s, and a watch on
            // the cooperative pool can be starved that long by the other end-to-end tests.
            let journal: URL? = try await OffPool.run {
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(120)
                var journal: URL?
                while clock.now < deadline, process.isRunning {
                    if journal == nil, let id = try? FileManager.default.contentsOfDirectory(atPath: sessions.path).first {
                        journal = sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl")
                    }
                    if let journal, Self.finishedCount(journal) >= 4 { break }
                    usleep(20_000)
                }
                return journal
            }
            try #require(process.isRunning, "the session ended before it could be killed: \((try? String(contentsOf: runLog, encoding: .utf8))?.suffix(3000) ?? "")")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == SIGKILL)
            let journalURL = try #require(journal)
            let folder = SessionFolder(id: journalURL.deletingLastPathComponent().lastPathComponent,
                                       url: journalURL.deletingLastPathComponent())
            if truncateLastLine {
                // What a crash in the middle of a write leaves: half a line, no newline.
                let handle = try FileHandle(forWritingTo: journalURL)
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(#"{"seq":9999,"ts":"2026-11-23T12:00:00.000Z","session":"x","event":"sta"#.utf8))
                try handle.close()
            }

            let before = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: journalURL))
            let finishedBefore = before.commands.filter { $0.outcome != nil && !$0.mutates }
            #expect(finishedBefore.count >= 4)
            if truncateLastLine {
                #expect(!before.notices.isEmpty, "the cut-short line is noticed")
            }

            // `resume ID` lists every restored result.
            let (listStatus, listing) = try await Self.run(["resume", folder.id], environment: environment)
            #expect(listStatus == 0, "\(listing)")
            for command in finishedBefore {
                #expect(listing.contains("  \(ArgvDisplay.line(command.argv)): exit "), "resume lists \(command.ref)")
            }

            // `resume ID --continue` goes on from there and finishes the diagnosis.
            let (status, output) = try await Self.run(["resume", folder.id, "--continue", "--non-interactive", "--yes-read-only",
                                                 "--endpoint-url", sandbox.endpointURL], environment: environment)
            #expect(status == 0, "\(output.suffix(3000))")
            #expect(output.contains("Restored from the journal: \(finishedBefore.count);"), "\(output.suffix(3000))")
            #expect(output.contains("Verdict: explicit deny"), "\(output.suffix(3000))")

            // Nothing restored ran again: one `started` per restored command in the whole journal.
            let after = try JournalReading(contentsOf: journalURL)
            for command in finishedBefore {
                let starts = after.entries.filter {
                    if case .commandStarted(let ref, _, _) = $0.event { return ref == command.ref }
                    return false
                }
                #expect(starts.count == 1, "\(command.ref) was started \(starts.count) times")
            }
            let resumed = RecordedSession(id: folder.id, reading: after)
            #expect(resumed.commands.filter { $0.outcome != nil }.count > finishedBefore.count)
            #expect(resumed.endReason == "completed")
        }
    }
}
