import Foundation
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSession

/// Seeds a sandbox with the real `aws` CLI: every write is an ordinary CLI command against the
/// moto endpoint, so seeding exercises the same path the session reads through. Any failed
/// command stops seeding with `SandboxError.seedFailed` naming it.
///
/// ```swift
/// let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
/// try await seeder.run(["aws", "iam", "create-user", "--user-name", "ana"])
/// ```
public struct ScenarioSeeder: Sendable {
    public let runner: AWSCommandRunner
    public let workDirectory: URL
    public let now: Date
    /// False for a paste-only scenario: the account is staged, the trail logs, but the denial
    /// never reaches it (a data event no selector records, or one not yet delivered).
    public var deliversEvents: Bool
    /// Told each command before it runs (the demo's staging line says what is being created).
    public var progress: (@Sendable ([String]) -> Void)?

    public init(runner: AWSCommandRunner, workDirectory: URL, now: Date = Date(), deliversEvents: Bool = true,
                progress: (@Sendable ([String]) -> Void)? = nil) {
        self.runner = runner
        self.workDirectory = workDirectory
        self.now = now
        self.deliversEvents = deliversEvents
        self.progress = progress
    }

    @discardableResult
    public func run(_ argv: [String]) async throws -> JSONValue {
        progress?(argv)
        let outcome = await runner.run(CommandRequest(argv: argv))
        if let failure = outcome.failure {
            throw SandboxError.seedFailed(command: argv, message: failure.operatorMessage)
        }
        let text = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .null }
        do { return try JSONValue.parse(text) } catch {
            throw SandboxError.seedFailed(command: argv, message: "output is not JSON: \(error)")
        }
    }

    /// Writes `text` to a file in the work folder (for `file://` arguments and uploads).
    public func file(named name: String, containing text: String) throws -> URL {
        let url = workDirectory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    // MARK: CloudTrail plumbing shared by every scenario

    public static let trailName = "management-events"
    public static let trailBucket = "whydenied-trail-logs"
    public static let logGroup = "aws-cloudtrail-logs-\(MotoSandbox.accountID)-whydenied"
    public static let logStream = "\(MotoSandbox.accountID)_CloudTrail_\(MotoSandbox.region)"

    /// A trail logging management events to an S3 bucket and a CloudWatch Logs group, as a
    /// console-made trail would.
    public func createTrail() async throws {
        try await run(["aws", "s3api", "create-bucket", "--bucket", Self.trailBucket])
        try await run(["aws", "logs", "create-log-group", "--log-group-name", Self.logGroup])
        try await run(["aws", "logs", "create-log-stream", "--log-group-name", Self.logGroup,
                       "--log-stream-name", Self.logStream])
        try await run(["aws", "iam", "create-role", "--role-name", "CloudTrailToCloudWatchLogs",
                       "--assume-role-policy-document",
                       #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#])
        try await run(["aws", "cloudtrail", "create-trail", "--name", Self.trailName,
                       "--s3-bucket-name", Self.trailBucket,
                       "--cloud-watch-logs-log-group-arn",
                       "arn:aws:logs:\(MotoSandbox.region):\(MotoSandbox.accountID):log-group:\(Self.logGroup):*",
                       "--cloud-watch-logs-role-arn",
                       "arn:aws:iam::\(MotoSandbox.accountID):role/CloudTrailToCloudWatchLogs"])
        try await run(["aws", "cloudtrail", "start-logging", "--name", Self.trailName])
    }

    /// Delivers one CloudTrail event the two ways CloudTrail does: as a message in the trail's log
    /// group, and inside a `{"Records":[…]}` `.json.gz` object under the trail bucket's
    /// `AWSLogs/<account>/CloudTrail/<region>/yyyy/mm/dd/` prefix.
    /// A seeder with `deliversEvents` false does nothing here.
    public func deliver(event: String) async throws {
        guard deliversEvents else { return }
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(event) } catch {
            throw SandboxError.seedFailed(command: ["deliver event"], message: "scenario event is not JSON: \(error)")
        }
        let compact = parsed.serialized()
        // Logged as CloudTrail logs it: a minute or so after the event (which is five minutes
        // old), never in the second a session starts (a time frame that ends on a whole second
        // left a log line stamped later in that second out, once seeding took under a second).
        let delivered = now.addingTimeInterval(-240)
        let logEvents = JSONValue.array([.object(JSONObject([
            ("timestamp", .number(Double(Int(delivered.timeIntervalSince1970 * 1000)))),
            ("message", .string(compact)),
        ]))]).serialized()
        try await run(["aws", "logs", "put-log-events", "--log-group-name", Self.logGroup,
                       "--log-stream-name", Self.logStream, "--log-events", logEvents])

        let records = "{\"Records\":[\(compact)]}"
        let stamp = Self.stamp(now)
        let jsonFile = try file(named: "\(MotoSandbox.accountID)_CloudTrail_\(MotoSandbox.region)_\(stamp.file)_whydenied.json",
                                containing: records)
        let gzipped = try await gzip(jsonFile)
        let key = "AWSLogs/\(MotoSandbox.accountID)/CloudTrail/\(MotoSandbox.region)/\(stamp.folder)/\(gzipped.lastPathComponent)"
        try await run(["aws", "s3api", "put-object", "--bucket", Self.trailBucket, "--key", key,
                       "--body", gzipped.path])
    }

    /// Event time a few minutes before seeding, in CloudTrail's format.
    public var eventTime: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: now.addingTimeInterval(-300))
    }

    private func gzip(_ file: URL) async throws -> URL {
        guard let gzip = ExecutableLocator.find("gzip", path: ProcessInfo.processInfo.environment["PATH"]) else {
            throw SandboxError.seedFailed(command: ["gzip"], message: "gzip is not on PATH")
        }
        let exit = await ChildProcess.run(executable: gzip, arguments: ["-n", "-f", file.path], environment: [:],
                                          timeout: .seconds(30))
        guard exit.ending == .exited(0) else {
            throw SandboxError.seedFailed(command: ["gzip", "-n", "-f", file.path], message: exit.stderr)
        }
        return URL(fileURLWithPath: file.path + ".gz")
    }

    static func stamp(_ date: Date) -> (folder: String, file: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let year = String(parts.year ?? 1970)
        return ("\(year)/\(two(parts.month))/\(two(parts.day))",
                "\(year)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))Z")
    }
}
