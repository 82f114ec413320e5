#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The resident CLI driver (seeding's launcher) answers as separate `aws` processes do, against
/// the same moto: output, exit status and error text; a hung command times out and the next one
/// gets a new driver; without an importable `awscli` every command runs as a process of its own.
@Suite(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
struct ResidentAWSCLITests {
    static let user = "resident-cli-\(UUID().uuidString.prefix(6).lowercased())"

    @Test func answersAsASeparateProcessDoes() async throws {
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI()
            let seeding = AWSCommandRunner(connection: sandbox.connection, launcher: resident)
            let processes = sandbox.runner()
            let created = await seeding.run(CommandRequest(argv: ["aws", "iam", "create-user", "--user-name", Self.user]))
            #expect(created.failure == nil, "\(created.stderr)")
            let createdUser = try JSONValue.parse(created.stdout)["User"]?["UserName"]?.stringValue
            #expect(createdUser == Self.user)

            // A read through each: the same document.
            let read = ["aws", "iam", "get-user", "--user-name", Self.user]
            let viaDriver = await seeding.run(CommandRequest(argv: read))
            let viaProcess = await processes.run(CommandRequest(argv: read))
            #expect(viaDriver.ending == .exited(0) && viaProcess.ending == .exited(0))
            let driverDocument = try JSONValue.parse(viaDriver.stdout)
            let processDocument = try JSONValue.parse(viaProcess.stdout)
            #expect(driverDocument == processDocument)

            // A service error: the same exit status and message, classified the same.
            let missing = ["aws", "iam", "get-user", "--user-name", Self.user + "-missing"]
            let errorViaDriver = await seeding.run(CommandRequest(argv: missing))
            let errorViaProcess = await processes.run(CommandRequest(argv: missing))
            #expect(errorViaDriver.ending == errorViaProcess.ending)
            #expect(errorViaDriver.ending != .exited(0))
            #expect(errorViaDriver.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                    == errorViaProcess.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(errorViaDriver.stderr.contains("NoSuchEntity"), "\(errorViaDriver.stderr)")

            // A usage error the CLI itself refuses (no request sent): the same status.
            let usage = ["aws", "iam", "get-user", "--no-such-option"]
            let usageViaDriver = await seeding.run(CommandRequest(argv: usage))
            let usageViaProcess = await processes.run(CommandRequest(argv: usage))
            #expect(usageViaDriver.ending == usageViaProcess.ending && usageViaDriver.ending != .exited(0))

            let ran = await resident.commandsRun
            let fellBack = await resident.commandsFallenBack
            let reason = await resident.unavailableReason
            #expect(ran == 4 && fellBack == 0, "ran \(ran), fell back \(fellBack): \(reason ?? "")")
            await resident.stop()
        }
    }

    /// An endpoint that accepts and never answers: the command times out at its deadline (the
    /// driver's process is ended), and the next command is answered by a new driver.
    @Test func aHungCommandTimesOutAndTheNextOneRuns() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI()
            var hung = sandbox.connection
            hung.endpointURL = "http://127.0.0.1:\(silent.port)"
            hung.environment["AWS_MAX_ATTEMPTS"] = "1"
            let hangs = AWSCommandRunner(connection: hung, launcher: resident, retry: RetryPolicy(maxAttempts: 1),
                                         defaultTimeout: .seconds(3))
            let started = ContinuousClock().now
            let outcome = await hangs.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            #expect(outcome.ending == .timedOut, "\(outcome.ending) \(outcome.stderr)")
            #expect(ContinuousClock().now - started < .seconds(15))

            let after = await AWSCommandRunner(connection: sandbox.connection, launcher: resident)
                .run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            #expect(after.ending == .exited(0), "\(after.stderr)")
            let account = try JSONValue.parse(after.stdout)["Account"]?.stringValue
            #expect(account == MotoSandbox.accountID)
            await resident.stop()
        }
    }

    /// No `awscli` to import (CLI v2, another Python): each command runs as a process of its own.
    @Test func withoutTheDriverEachCommandIsAProcess() async throws {
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI(python: "/bin/false")
            let runner = AWSCommandRunner(connection: sandbox.connection, launcher: resident)
            let outcome = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            #expect(outcome.ending == .exited(0), "\(outcome.stderr)")
            let account = try JSONValue.parse(outcome.stdout)["Account"]?.stringValue
            #expect(account == MotoSandbox.accountID)
            let fellBack = await resident.commandsFallenBack
            let reason = await resident.unavailableReason
            #expect(fellBack == 1)
            #expect(reason?.contains("cannot run the AWS CLI's driver") == true, "\(reason ?? "nil")")
        }
    }

    /// A session's launcher (`.cliScriptOnly`) never stands in for an `aws` that is not the CLI's
    /// own script: a wrapper on PATH runs as itself and its answer is the one returned.
    @Test func aWrapperIsRunAsItselfForASession() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resident-wrapper-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrapper = folder.appendingPathComponent("aws")
        try ScenarioFakeCLI.writeExecutable("#!/bin/sh\necho '{\"wrapped\": true}'\n", to: wrapper)
        let resident = ResidentAWSCLI(admission: .cliScriptOnly, workers: 2)
        let exit = await resident.launch(executable: wrapper.path, arguments: ["sts", "get-caller-identity"],
                                         environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(10))
        #expect(exit.ending == .exited(0))
        #expect(exit.stdout.contains("\"wrapped\": true"), "\(exit.stdout)")
        let ran = await resident.commandsRun
        let fellBack = await resident.commandsFallenBack
        #expect(ran == 0 && fellBack == 1)
    }

    /// Four `sts get-caller-identity` at once, each answered with the sandbox's account.
    static func fourCallersAnswer(_ runner: AWSCommandRunner) async throws {
        let accounts = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let outcome = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
                    return try JSONValue.parse(outcome.stdout)["Account"]?.stringValue
                }
            }
            var accounts: [String?] = []
            for try await account in group { accounts.append(account) }
            return accounts
        }
        #expect(accounts == Array(repeating: MotoSandbox.accountID, count: 4))
    }

    /// A session's reads run side by side: with two drivers allowed, four commands at once start
    /// two drivers and run two at a time, each answering as the CLI does.
    @Test func driversRunSideBySideUpToTheirNumber() async throws {
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI(workers: 2)
            let runner = AWSCommandRunner(connection: sandbox.connection, launcher: resident)
            try await Self.fourCallersAnswer(runner)
            let started = await resident.driversStarted
            let peak = await resident.peakRunning
            #expect(started == 2 && peak == 2, "started \(started), at most \(peak) at once")
            await resident.stop()
        }
    }

    /// A batch warms its drivers up before its first read: commands that come while they are still
    /// starting take them instead of starting more (two drivers in all for two workers), and a
    /// request longer than one read of the driver's socket (a 200 KB environment) is answered whole.
    @Test func warmedUpDriversAreTheOnesCommandsUse() async throws {
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI(workers: 2)
            await resident.warmUp(executable: sandbox.connection.executable, environment: ProcessInfo.processInfo.environment)
            var padded = sandbox.connection
            padded.environment["WHYDENIED_TEST_PADDING"] = String(repeating: "x", count: 200_000)
            let runner = AWSCommandRunner(connection: padded, launcher: resident)
            try await Self.fourCallersAnswer(runner)
            // Warming up again with both drivers there starts none.
            await resident.warmUp(executable: sandbox.connection.executable, environment: ProcessInfo.processInfo.environment)
            let started = await resident.driversStarted
            let ran = await resident.commandsRun
            #expect(started == 2 && ran == 4, "started \(started), ran \(ran)")
            await resident.stop()
        }
    }

    /// `analyze --live` warms up with the executable as the operator names it (`--aws`, default
    /// `aws`): a bare name is found on the environment's PATH, as a command's is, and the
    /// drivers' processes are started by the time the warm-up returns (the batch's own CPU-bound
    /// work comes next and must not hold them up).
    @Test func aWarmUpByNameStartsEveryDriverBeforeItReturns() async throws {
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            guard let found = ExecutableLocator.find(sandbox.connection.executable, path: ProcessInfo.processInfo.environment["PATH"]) else {
                Issue.record("no aws on PATH")
                return
            }
            let folder = URL(fileURLWithPath: found).deletingLastPathComponent().path
            let resident = ResidentAWSCLI(admission: .cliScriptOnly, workers: 2)
            await resident.warmUp(executable: "aws", environment: ["PATH": folder + ":/usr/bin:/bin"])
            let starting = await resident.driversStarting
            let started = await resident.driversStarted
            #expect(starting + started == 2, "starting \(starting), started \(started)")
            let runner = AWSCommandRunner(connection: sandbox.connection, launcher: resident)
            try await Self.fourCallersAnswer(runner)
            let all = await resident.driversStarted
            let fellBack = await resident.commandsFallenBack
            #expect(all == 2 && fellBack == 0, "started \(all), fell back \(fellBack)")
            await resident.stop()
        }
    }

    /// Drivers warmed up together are one process and the drivers it forked (the CLI imported
    /// once): two processes, the second the first's child, each answering on its own. Two hung
    /// commands at once time out and end both (the forked one too, though not this process's
    /// child); the next command gets a new driver; `stop()` ends what is left.
    @Test func driversWarmedUpTogetherAreForkedAndEndLikeAnyOther() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let resident = ResidentAWSCLI(workers: 2)
            await resident.warmUp(executable: sandbox.connection.executable, environment: ProcessInfo.processInfo.environment)
            let runner = AWSCommandRunner(connection: sandbox.connection, launcher: resident)
            try await Self.fourCallersAnswer(runner)
            let pids = await resident.driverProcessIDs
            #expect(pids.count == 2 && Set(pids).count == 2, "\(pids)")
            let parents = pids.map(Self.parentProcessID)
            #expect(parents.contains(getpid()) && parents.contains { parent in pids.contains(parent) }, "pids \(pids), parents \(parents)")

            var hung = sandbox.connection
            hung.endpointURL = "http://127.0.0.1:\(silent.port)"
            hung.environment["AWS_MAX_ATTEMPTS"] = "1"
            let hangs = AWSCommandRunner(connection: hung, launcher: resident, retry: RetryPolicy(maxAttempts: 1), defaultTimeout: .seconds(3))
            async let first = hangs.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            async let second = hangs.run(CommandRequest(argv: ["aws", "iam", "list-users"]))
            let endings = await [first.ending, second.ending]
            #expect(endings == [.timedOut, .timedOut], "\(endings)")
            for pid in pids { #expect(await Self.ends(pid), "driver \(pid) of \(pids) still runs: \(Self.state(of: pid))") }

            let after = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            #expect(after.ending == .exited(0), "\(after.stderr)")
            let fresh = await resident.driverProcessIDs
            await resident.stop()
            for pid in fresh { #expect(await Self.ends(pid), "driver \(pid) still runs after stop()") }
        }
    }

    /// The parent process id `/proc` gives (0 when the process is gone).
    static func parentProcessID(_ pid: pid_t) -> pid_t {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards) else { return 0 }
        let fields = stat[afterName.upperBound...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) ?? 0 : 0
    }

    static func state(of pid: pid_t) -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "gone"
    }

    /// Whether the process is gone or a zombie within 20 s (a loaded machine can be slow to end one).
    static func ends(_ pid: pid_t) async -> Bool {
        for _ in 0..<400 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards) else { return true }
            if stat[afterName.upperBound...].hasPrefix("Z") { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// A loopback TCP listener that accepts connections and never answers.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            _ = Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
