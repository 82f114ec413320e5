import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The journal records where a session's commands went (endpoint, profile, region), and
/// `resume --continue` sends the remaining ones there and nowhere else: a sandbox session is
/// never continued against AWS, a different `--endpoint-url` is refused, and a journal from
/// before this was recorded continues only when the operator says where. A read-only session, on
/// the seeded sandbox this test process shares (`SharedSandboxes`).
@Suite(.serialized) struct ResumeConnectionTests {
    /// The journal cut after its `count`-th `finished` line: the state a crash would have left.
    static func cut(_ journal: URL, afterFinished count: Int, dropping kinds: Set<String> = []) throws -> String {
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        var kept: [String] = []
        var finished = 0
        for line in lines {
            if kinds.contains(where: { line.contains("\"event\":\"\($0)\"") }) { continue }
            kept.append(line)
            if line.contains("\"event\":\"finished\"") {
                finished += 1
                if finished == count { break }
            }
        }
        return kept.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func resumeContinuesAgainstTheJournaledEndpointOnly() async throws {
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in
            let stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-resume-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: stateHome, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: stateHome) }
            let environment = ResumeAfterKillTests.environment(sandbox: sandbox, stateHome: stateHome)
            let sessions = stateHome.appendingPathComponent("whydenied/sessions")

            let (runStatus, runOutput) = try await ResumeAfterKillTests.run(
                ["run", "--non-interactive", "--yes-read-only", "--endpoint-url", sandbox.endpointURL]
                    + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] },
                environment: environment)
            #expect(runStatus == 0, "\(runOutput.suffix(2000))")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let folder = sessions.appendingPathComponent(id)
            let journal = folder.appendingPathComponent("journal.jsonl")

            // The endpoint, profile and region are journaled at the start.
            let recorded = RecordedSession(id: id, reading: try JournalReading(contentsOf: journal))
            #expect(recorded.connection == SessionConnection(endpointURL: sandbox.endpointURL, profile: nil,
                                                             region: parameters["region"]))

            // As if the session had been cut short after four commands.
            try Self.cut(journal, afterFinished: 4).write(to: journal, atomically: true, encoding: .utf8)
            // And a copy as an older whydenied would have written it: no `connection` line.
            let oldID = id + "-old"
            let oldFolder = sessions.appendingPathComponent(oldID)
            try FileManager.default.copyItem(at: folder, to: oldFolder)
            try Self.cut(journal, afterFinished: 4, dropping: ["connection"])
                .write(to: oldFolder.appendingPathComponent("journal.jsonl"), atomically: true, encoding: .utf8)

            // `resume ID` says where the commands went.
            let (_, summary) = try await ResumeAfterKillTests.run(["resume", id], environment: environment)
            #expect(summary.contains("Commands went to: endpoint \(sandbox.endpointURL), default credentials"), "\(summary)")

            // A different endpoint is refused, before anything runs.
            let elsewhere = "http://127.0.0.1:9"
            let (refusedStatus, refused) = try await ResumeAfterKillTests.run(
                ["resume", id, "--continue", "--non-interactive", "--yes-read-only", "--endpoint-url", elsewhere],
                environment: environment)
            #expect(refusedStatus == 1)
            #expect(refused.contains("the session ran against endpoint \(sandbox.endpointURL), not \(elsewhere)"), "\(refused)")
            // A session that ran against AWS's own endpoints is not redirected by AWS_ENDPOINT_URL.
            let awsID = id + "-aws"
            let awsFolder = sessions.appendingPathComponent(awsID)
            try FileManager.default.copyItem(at: folder, to: awsFolder)
            try Self.cut(journal, afterFinished: 4)
                .replacingOccurrences(of: "\"endpoint_url\":\"\(sandbox.endpointURL.replacingOccurrences(of: "/", with: "\\/"))\"",
                                      with: "\"endpoint_url\":null")
                .replacingOccurrences(of: "\"endpoint_url\":\"\(sandbox.endpointURL)\"", with: "\"endpoint_url\":null")
                .write(to: awsFolder.appendingPathComponent("journal.jsonl"), atomically: true, encoding: .utf8)
            var redirected = environment
            redirected["AWS_ENDPOINT_URL"] = elsewhere
            let (awsStatus, awsOutput) = try await ResumeAfterKillTests.run(
                ["resume", awsID, "--continue", "--non-interactive", "--yes-read-only"], environment: redirected)
            #expect(awsStatus == 1)
            #expect(awsOutput.contains("the session ran against AWS's own endpoints, but AWS_ENDPOINT_URL"), "\(awsOutput)")

            // An old journal continues only when told where.
            let (oldStatus, oldOutput) = try await ResumeAfterKillTests.run(
                ["resume", oldID, "--continue", "--non-interactive", "--yes-read-only"], environment: environment)
            #expect(oldStatus == 1)
            #expect(oldOutput.contains("does not say where its commands went"), "\(oldOutput)")

            // Without flags: the journaled endpoint, for every command still to run.
            let real = try #require(ExecutableLocator.find("aws", path: environment["PATH"]))
            let log = stateHome.appendingPathComponent("aws-argv.log")
            let wrapper = try ScenarioFakeCLI(script: "echo \"$*\" >> '\(log.path)'\nexec '\(real)' \"$@\"")
            defer { wrapper.remove() }
            let (status, output) = try await ResumeAfterKillTests.run(
                ["resume", id, "--continue", "--non-interactive", "--yes-read-only", "--aws", wrapper.path],
                environment: environment)
            #expect(status == 0, "\(output.suffix(3000))")
            #expect(output.contains("Verdict: explicit deny"), "\(output.suffix(3000))")
            let calls = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
            #expect(!calls.isEmpty)
            for call in calls { #expect(call.contains("--endpoint-url \(sandbox.endpointURL)"), "\(call)") }
        }
    }
}
