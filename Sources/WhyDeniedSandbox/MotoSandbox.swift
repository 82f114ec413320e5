import Foundation
import WhyDeniedRunner

/// A throw-away AWS on loopback: `moto_server` on 127.0.0.1 and a free port, plus a temp folder
/// holding a dummy AWS config and credentials so the real `~/.aws` is never read. `connection`
/// points the `aws` CLI at it; `stop()` ends moto by its own pid and removes the folder.
///
/// ```swift
/// let sandbox = try await MotoSandbox.start()
/// defer { sandbox.stop() }
/// let runner = sandbox.runner()
/// ```
public final class MotoSandbox: @unchecked Sendable {
    public static let accountID = "123456789012"
    public static let region = "us-east-1"

    public let port: Int
    public let directory: URL
    public let connection: AWSConnection
    private let server: BackgroundProcess
    /// Runs the seeding commands through one CLI driver process (`seedingRunner`); `nil` under
    /// `WHYDENIED_SEEDING=processes` (one process per command: the escape hatch, and the benchmark's baseline).
    private let residentCLI: ResidentAWSCLI?
    /// Whether `residentCLI` is this sandbox's own (stopped with it) or lent by the caller.
    private let ownsResidentCLI: Bool
    /// How the commands of sessions against this sandbox start (`WHYDENIED_AWS_DRIVER`), shared
    /// by every runner of it so resident drivers are reused.
    public let sessionLauncher: any ProcessLauncher

    public var endpointURL: String { "http://127.0.0.1:\(port)" }
    public var pid: Int32 { server.pid }
    public var isRunning: Bool { server.isRunning }
    public var logPath: String { server.logPath }

    private init(port: Int, directory: URL, connection: AWSConnection, server: BackgroundProcess, residentCLI: ResidentAWSCLI?,
                 ownsResidentCLI: Bool, sessionLauncher: any ProcessLauncher) {
        self.residentCLI = residentCLI
        self.ownsResidentCLI = ownsResidentCLI
        self.sessionLauncher = sessionLauncher
        self.port = port
        self.directory = directory
        self.connection = connection
        self.server = server
    }

    /// Where `moto_server` is, or `nil` (callers tell the user to `pip install 'moto[server]'`).
    public static func locateMoto(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        ExecutableLocator.find("moto_server", path: environment["PATH"])
    }

    /// - Parameter seedingDrivers: the CLI drivers to seed through, when the caller keeps them for
    ///   many sandboxes (a test process: each driver's start is about 0.4 s of CPU); the sandbox then
    ///   leaves them running when it stops. Default: drivers of its own.
    public static func start(motoExecutable: String? = nil, awsExecutable: String = "aws",
                             startupTimeout: Duration = .seconds(30),
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             seedingDrivers: ResidentAWSCLI? = nil) async throws -> MotoSandbox {
        let path = environment["PATH"] ?? ""
        guard let moto = motoExecutable.flatMap({ ExecutableLocator.find($0, path: path) }) ?? locateMoto(environment: environment) else {
            throw SandboxError.motoMissing(searched: motoExecutable ?? "PATH")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("whydenied-sandbox-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (configFile, credentialsFile) = try writeDefaultProfiles(in: directory)

        var lastFailure = "no attempt"
        let python = ExecutableLocator.find("python3", path: path)
        var watcherFailed = false
        for _ in 1...3 {
            let port: Int
            do { port = try LoopbackPort.free() } catch { throw SandboxError.startFailed(error.description) }
            let logPath = directory.appendingPathComponent("moto-\(port).log").path
            let motoEnvironment = PythonEnvironment.start(from: environment)
            let launch = MotoLaunch.make(motoServer: moto, python: watcherFailed ? nil : python, host: "127.0.0.1", port: port)
            let server: BackgroundProcess
            do {
                server = try BackgroundProcess.start(executable: launch.executable, arguments: launch.arguments,
                                                     environment: motoEnvironment, logPath: logPath,
                                                     lifeline: launch.watchesLifeline)
            } catch {
                throw SandboxError.startFailed(error.description)
            }
            let clock = ContinuousClock()
            let deadline = clock.now + startupTimeout
            while clock.now < deadline, server.isRunning, !LoopbackPort.isAccepting(port) {
                try? await Task.sleep(for: .milliseconds(100))
            }
            if server.isRunning, LoopbackPort.isAccepting(port) {
                let connection = AWSConnection(
                    executable: awsExecutable, region: region, endpointURL: "http://127.0.0.1:\(port)",
                    environment: [
                        "AWS_CONFIG_FILE": configFile.path,
                        "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path,
                        "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": region,
                        "AWS_EC2_METADATA_DISABLED": "true",
                        // moto answers 500 for what it lacks; two tries are enough to see that.
                        "AWS_MAX_ATTEMPTS": "2",
                    ],
                    inheritsEnvironment: false)
                return MotoSandbox(port: port, directory: directory, connection: connection, server: server,
                                   residentCLI: environment["WHYDENIED_SEEDING"] == "processes" ? nil : seedingDrivers ?? ResidentAWSCLI(),
                                   ownsResidentCLI: seedingDrivers == nil,
                                   sessionLauncher: ((try? SessionCLIDriver(environment: environment)) ?? .processes).launcher())
            }
            let exitedEarly = !server.isRunning
            server.stop()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            // python3 without moto (another interpreter has it): start moto_server itself next.
            if launch.watchesLifeline, exitedEarly { watcherFailed = true }
            lastFailure = "moto_server on port \(port) did not answer within \(startupTimeout); log: \(log.suffix(400))"
        }
        try? FileManager.default.removeItem(at: directory)
        throw SandboxError.startFailed(lastFailure)
    }

    /// A command runner pointed at this sandbox (optionally recording or replaying); by default
    /// its commands start as a session's do (`WHYDENIED_AWS_DRIVER`, read when the sandbox started).
    public func runner(launcher: (any ProcessLauncher)? = nil, retry: RetryPolicy = RetryPolicy(),
                       timeout: Duration = .seconds(60)) -> AWSCommandRunner {
        AWSCommandRunner(connection: connection, launcher: launcher ?? sessionLauncher, retry: retry, defaultTimeout: timeout)
    }

    /// A runner for seeding: the same `aws` commands, run by one resident CLI driver instead of a
    /// process each (about half a second of CPU saved per command), whatever `aws` is on PATH (the
    /// sandbox's own commands; a session's admit only the CLI's own script, see `SessionCLIDriver`).
    public func seedingRunner(timeout: Duration = .seconds(60)) -> AWSCommandRunner {
        AWSCommandRunner(connection: connection, launcher: residentCLI ?? ChildProcess(), defaultTimeout: timeout)
    }

    /// The sandbox's AWS config and credentials files as it starts (the default profile only),
    /// written in `directory`; returns their paths.
    @discardableResult
    static func writeDefaultProfiles(in directory: URL) throws -> (config: URL, credentials: URL) {
        let config = directory.appendingPathComponent("config")
        let credentials = directory.appendingPathComponent("credentials")
        try "[default]\nregion = \(region)\n".write(to: config, atomically: true, encoding: .utf8)
        // moto accepts any keys; these are dummies, never real credentials.
        try "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
            .write(to: credentials, atomically: true, encoding: .utf8)
        return (config, credentials)
    }

    /// The folder as the sandbox started: only the default profiles and moto's log, for a caller
    /// that resets moto (`POST /moto-api/reset`, moto's own control API) and runs another scenario
    /// on the same server (a start costs moto's imports, about half a second of CPU).
    public func restoreFolder() throws {
        let log = URL(fileURLWithPath: logPath).lastPathComponent
        for entry in try FileManager.default.contentsOfDirectory(atPath: directory.path) where entry != log {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
        }
        try Self.writeDefaultProfiles(in: directory)
    }

    public func stop() {
        if let residentCLI, ownsResidentCLI { Task { await residentCLI.stop() } }
        if let resident = sessionLauncher as? ResidentAWSCLI { Task { await resident.stop() } }
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { server.stop(grace: .milliseconds(500)) }
}
