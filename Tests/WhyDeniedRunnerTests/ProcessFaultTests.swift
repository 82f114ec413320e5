import Foundation
import Testing
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTestSupport

/// Real child processes: a fake `aws` script stands in for the CLI.
@Suite struct ProcessFaultTests {
    @Test func missingCLIIsReportedWithoutRunningAnything() async {
        let runner = AWSCommandRunner(connection: AWSConnection(executable: "/nonexistent/whydenied/aws"))
        let outcome = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        #expect(outcome.failure == .cliMissing(searched: "/nonexistent/whydenied/aws"))
        #expect(outcome.attempts == 0)
        #expect(outcome.failure?.operatorMessage.contains("not found") == true)
        let notOnPath = AWSCommandRunner(connection: AWSConnection(), inheritedEnvironment: ["PATH": "/nonexistent"])
        #expect(await notOnPath.checkCLI() == .cliMissing(searched: "PATH=/nonexistent"))
    }

    @Test func capturesOutputExitAndArgvWithoutAShell() async throws {
        // Arguments with spaces and shell metacharacters arrive as single, untouched argv elements.
        let fake = try ScenarioFakeCLI(script: #"for a in "$@"; do printf '[%s]' "$a"; done; echo "oops" >&2; exit 3"#)
        defer { fake.remove() }
        let runner = AWSCommandRunner(connection: AWSConnection(executable: fake.path))
        let outcome = await runner.run(CommandRequest(argv: ["aws", "s3api", "get-object", "--key", "a b;$(rm -rf /)"]))
        #expect(outcome.stdout == "[s3api][get-object][--key][a b;$(rm -rf /)][--output][json]")
        #expect(outcome.stderr == "oops\n")
        #expect(outcome.exitCode == 3)
        #expect(outcome.failure == .failed(code: nil, message: "oops"))
    }

    @Test func environmentKeepsTheCLIFromPaging() async throws {
        let fake = try ScenarioFakeCLI(script: #"printf '%s|%s|%s' "${AWS_PAGER-unset}" "$AWS_CLI_AUTO_PROMPT" "$(cat)""#)
        defer { fake.remove() }
        let outcome = await AWSCommandRunner(connection: AWSConnection(executable: fake.path)).run(CommandRequest(argv: ["aws"]))
        // Empty pager, prompt off, stdin is /dev/null (cat reads nothing and returns).
        #expect(outcome.stdout == "|off|")
    }

    @Test func theChildInheritsOnlyItsStandardStreams() async throws {
        // An inheritable descriptor open in this process while the CLI starts must not reach it
        // (a long-lived child holding another command's pipe or a script being written is the leak).
        let fake = try ScenarioFakeCLI(script: #"ls /proc/self/fd | sort -n | tr '\n' ' '"#)
        defer { fake.remove() }
        var strayPipe: [Int32] = [-1, -1]
        #expect(pipe(&strayPipe) == 0)
        defer { close(strayPipe[0]); close(strayPipe[1]) }
        let outcome = await AWSCommandRunner(connection: AWSConnection(executable: fake.path)).run(CommandRequest(argv: ["aws"]))
        // `ls` itself opens one descriptor (3) to read the folder; nothing else is there.
        #expect(outcome.stdout == "0 1 2 3 ")
    }

    @Test func hangingCommandIsKilledWithItsGroupAndReaped() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        // The script starts a background grandchild too: the whole group must go.
        // `sleep 8<marker>` sleeps for months: finishing within the (load-tolerant) bound proves the kill.
        let fake = try ScenarioFakeCLI(script: "sleep 7\(marker) &\nsleep 8\(marker)")
        defer { fake.remove() }
        let runner = AWSCommandRunner(connection: AWSConnection(executable: fake.path), defaultTimeout: .seconds(1))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await runner.run(CommandRequest(argv: ["aws", "cloudtrail", "describe-trails"]))
        #expect(clock.now - started < .seconds(60))
        #expect(outcome.ending == .timedOut)
        #expect(outcome.failure == .timedOut(seconds: 1))
        #expect(outcome.failure?.operatorMessage == "The command did not finish within 1 s and was stopped.")
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcessTable.processes(matching: marker).isEmpty)
        #expect(ProcessTable.zombieChildren().isEmpty)
    }

    @Test func cancellationKillsTheChild() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let fake = try ScenarioFakeCLI(script: "sleep 9\(marker)")
        defer { fake.remove() }
        let runner = AWSCommandRunner(connection: AWSConnection(executable: fake.path), defaultTimeout: .seconds(60))
        let task = Task { await runner.run(CommandRequest(argv: ["aws", "iam", "get-role"])) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await task.value
        #expect(outcome.ending == .cancelled)
        #expect(outcome.failure == .cancelled)
        try await Task.sleep(for: .milliseconds(200))
        #expect(ProcessTable.processes(matching: marker).isEmpty)
        #expect(ProcessTable.zombieChildren().isEmpty)
    }

    @Test func recordsAndReplaysRuns() async throws {
        let fake = try ScenarioFakeCLI(script: #"if [ "$1" = "sts" ]; then echo '{"Account":"111122223333"}'; else echo 'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist' >&2; exit 254; fi"#)
        defer { fake.remove() }
        let file = fake.directory.appendingPathComponent("runs.jsonl")
        let recorder = try RecordingLauncher(wrapping: ChildProcess(), to: file)
        let live = AWSCommandRunner(connection: AWSConnection(executable: fake.path, region: "us-east-1"), launcher: recorder)
        let caller = await live.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        let policy = await live.run(CommandRequest(argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "b"]))

        let records = try RunRecording.read(from: file)
        #expect(records.map(\.argv) == [
            ["aws", "sts", "get-caller-identity", "--output", "json", "--region", "us-east-1"],
            ["aws", "s3api", "get-bucket-policy", "--bucket", "b", "--output", "json", "--region", "us-east-1"],
        ])

        // Replay needs no CLI at all.
        let replay = AWSCommandRunner(connection: AWSConnection(executable: "/nonexistent/aws", region: "us-east-1"),
                                      launcher: ReplayLauncher(records: records), needsExecutable: false)
        let replayedPolicy = await replay.run(CommandRequest(argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "b"]))
        let replayedCaller = await replay.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        #expect(replayedCaller.stdout == caller.stdout)
        #expect(replayedPolicy.failure == policy.failure)
        #expect(replayedPolicy.failure == .notFound(code: "NoSuchBucketPolicy", message: "The bucket policy does not exist"))
        let unrecorded = await replay.run(CommandRequest(argv: ["aws", "iam", "get-role"]))
        guard case .failed(_, let message)? = unrecorded.failure else { Issue.record("expected a failure"); return }
        #expect(message.hasPrefix("no recorded run for: aws iam get-role"))
    }

    @Test func badRecordingNamesTheLine() {
        #expect(throws: RunRecording.ReadError.self) {
            try RunRecording.parse(#"{"argv":["aws"],"stdout":"","stderr":"","ending":"exited","exit":0,"duration_ms":1}"# + "\n{oops\n", file: "r.jsonl")
        }
        let error = #expect(throws: RunRecording.ReadError.self) { try RunRecording.parse("\n\n{oops", file: "r.jsonl") }
        #expect(error?.description.hasPrefix("r.jsonl:3:") == true)
    }
}
