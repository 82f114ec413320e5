import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedReport
import WhyDeniedRunner
import WhyDeniedTestSupport
@testable import WhyDeniedSession

/// Every way out of the process, over every real CloudTrail file in ../shared/data/cloudtrail-real/
/// (provenance: its index.md) plus the canary fixtures (Fixtures/README.md): no `CANARY` string,
/// and no whole access key id, may reach the screen or a written file.
@Suite(.serialized) struct RedactionCanaryTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = repositoryRoot.appendingPathComponent(".build/debug/whydenied").path
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let realData = repositoryRoot.appendingPathComponent("../shared/data/cloudtrail-real").standardizedFileURL
    static let canaryFiles = ["redaction-canaries.json", "redaction-canaries-filter-log-events.json",
                              "redaction-canaries-message.txt"].map { fixtures.appendingPathComponent($0) }
    static let canaryEvents = fixtures.appendingPathComponent("redaction-canaries.json")
    static let canaryLogEvents = fixtures.appendingPathComponent("redaction-canaries-filter-log-events.json")
    static let wholeKeyID = try! NSRegularExpression(pattern: "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")

    /// The real files and the canaries, each file once.
    static var inputs: [URL] {
        var files = canaryFiles
        if let walker = FileManager.default.enumerator(at: realData, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// What leaked: every canary and whole access key id in `text`, named with where it was seen.
    static func leaks(in text: String, at place: String) -> [String] {
        var found: [String] = []
        var search = text.startIndex
        while let range = text.range(of: "CANARY", range: search..<text.endIndex) {
            found.append("\(place): \(text[range.lowerBound...].prefix(12))")
            search = range.upperBound
        }
        let ns = NSRange(text.startIndex..., in: text)
        for match in wholeKeyID.matches(in: text, range: ns) {
            if let range = Range(match.range, in: text) { found.append("\(place): access key id \(text[range])") }
        }
        return found
    }

    /// Every regular file under `folder`, read whole.
    static func leaksInFiles(under folder: URL) -> [String] {
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        for case let url as URL in walker {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            found += leaks(in: String(decoding: data, as: UTF8.self), at: url.path)
        }
        return found
    }

    static func run(_ arguments: [String], state: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = state.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); drained.signal() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func fixturesReallyCarryTheCanaries() throws {
        // A canary test whose fixtures lost their canaries could never fail.
        let text = try String(contentsOf: Self.canaryEvents, encoding: .utf8)
        #expect(Self.leaks(in: text, at: "fixture").count >= 15)
        let logs = try String(contentsOf: Self.canaryLogEvents, encoding: .utf8)
        #expect(logs.contains(#"\"secretString\": \"CANARY06"#))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary), "build whydenied first"))
    func commandLinePathsShowNoCanary() async throws {
        let state = try Self.temporaryFolder("canary-state")
        defer { try? FileManager.default.removeItem(at: state) }
        let inputs = Self.inputs
        #expect(inputs.count > 70, "the real CloudTrail samples are missing at \(Self.realData.path)")
        var leaks: [String] = []
        var denialsPrinted = 0
        for (index, input) in inputs.enumerated() {
            let path = input.path
            let analysisFile = state.appendingPathComponent("analysis-\(index).json")
            let runs: [[String]] = [
                ["parse", path], ["parse", "--json", path], ["parse", "--all-events", path],
                ["parse", "--json", "--all-events", path],
                ["scan", "--quiet", path], ["scan", "--quiet", "--json", path],
                ["analyze", "--events-file", path], ["analyze", "--json", "--events-file", path, "--output-file", analysisFile.path],
                ["evaluate", path], ["evaluate", "--json", path],
            ]
            for arguments in runs {
                // Hundreds of binaries: waited for off the cooperative pool (see OffPool).
                let result = try await OffPool.run { try Self.run(arguments, state: state) }
                let place = arguments.dropLast(arguments.last == analysisFile.path ? 2 : 0).joined(separator: " ")
                leaks += Self.leaks(in: result.stdout, at: "stdout of " + place)
                leaks += Self.leaks(in: result.stderr, at: "stderr of " + place)
                if arguments.starts(with: ["scan", "--quiet", "--json"]), input == Self.canaryEvents {
                    denialsPrinted = try JSONValue.parse(result.stdout)["Records"]?.arrayValue?.count ?? -1
                }
            }
        }
        leaks += Self.leaksInFiles(under: state)
        #expect(leaks.isEmpty, "\(leaks.prefix(40).joined(separator: "\n"))")
        // The denied canary events were printed (redacted), not dropped.
        #expect(denialsPrinted == 5)
    }

    @Test func scanJSONKeepsTheEventReadable() throws {
        let state = try Self.temporaryFolder("canary-scan")
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try Self.run(["scan", "--quiet", "--json", Self.canaryEvents.path], state: state)
        let records = try #require(try JSONValue.parse(result.stdout)["Records"]?.arrayValue)
        let put = try #require(records.first { $0["eventName"]?.stringValue == "PutSecretValue" })
        #expect(put["requestParameters"]?["secretString"] == .string(Redactor.placeholder))
        #expect(put["requestParameters"]?["secretId"]?.stringValue == "prod/db")
        #expect(put["userIdentity"]?["accessKeyId"]?.stringValue == "ASIA************DF12")
        #expect(put["errorMessage"]?.stringValue?.contains("secret:prod/db-AbCdEf because") == true)
    }

    @Test func sessionFilesAndReportsHoldNoCanary() throws {
        let root = try Self.temporaryFolder("canary-session")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = SessionFolder(id: "canary", url: root.appendingPathComponent("canary"))
        try folder.create()
        let journal = try JournalWriter(folder: folder)
        let events = try JSONValue.parse(try String(contentsOf: Self.canaryEvents, encoding: .utf8))
        let logOutput = try String(contentsOf: Self.canaryLogEvents, encoding: .utf8)
        let message = try String(contentsOf: Self.canaryFiles[2], encoding: .utf8)
        let ref = CommandRef(step: "trail", command: "lookup")
        let argv = ["aws", "secretsmanager", "put-secret-value", "--secret-id", "prod/db", "--secret-string", "CANARY20argv",
                    "--cli-input-json", #"{"SecretString":"CANARY21json"}"#, "--token-code=CANARY22"]
        try journal.append(.parameterSet(name: "error_message", value: message, origin: ParameterOrigin(source: .typed), secret: false))
        try journal.append(.commandProposed(ref, argv: argv, mutates: false))
        try journal.append(.commandStarted(ref, argv: argv))
        let stdout = try folder.saveOutput(logOutput, name: "0001-stdout.txt")
        let stderr = try folder.saveOutput(message, name: "0001-stderr.txt")
        try journal.append(.commandFinished(ref, JournaledOutcome(exitCode: 0, durationMilliseconds: 10,
                                                                  stdoutPath: stdout.relativePath, stdoutSHA256: stdout.sha256,
                                                                  stderrPath: stderr.relativePath, stderrSHA256: stderr.sha256)))
        try journal.append(.captured(ref, name: "session_token", value: .string("CANARY23capturedToken")))
        try journal.append(.captured(ref, name: "events", value: events))
        try journal.append(.factsLearned(step: "trail", facts: events))
        try journal.append(.analysisRecorded(step: "trail", name: "lookup", result: try JSONValue.parse(logOutput)))
        _ = try folder.saveDocument(events, relativePath: "backups/canary-document.json")
        for format in ReportExport.Format.allCases {
            _ = try ReportExport.write(folder: folder, format: format, maskAccountIDs: false)
        }
        let leaks = Self.leaksInFiles(under: root)
        #expect(leaks.isEmpty, "\(leaks.prefix(40).joined(separator: "\n"))")
    }

    @Test func recordingFilesArePrivateAndRedacted() async throws {
        let root = try Self.temporaryFolder("canary-record")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("session.runs.jsonl")
        let recorder = try RecordingLauncher(wrapping: ChildProcess(), to: file)
        // Real processes: cat prints the canary outputs, true takes a secret in its argv.
        for input in Self.canaryFiles {
            _ = await recorder.launch(executable: "/bin/cat", arguments: [input.path], environment: [:], timeout: .seconds(10))
        }
        _ = await recorder.launch(executable: "/bin/true",
                                  arguments: ["secretsmanager", "put-secret-value", "--secret-id", "prod/db",
                                              "--secret-string", "CANARY24recorded", "--password=CANARY25"],
                                  environment: [:], timeout: .seconds(10))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let leaks = Self.leaksInFiles(under: root)
        #expect(leaks.isEmpty, "\(leaks.prefix(40).joined(separator: "\n"))")
        // A redacted recording still replays: the replay matches argv after the same redaction.
        let records = try RunRecording.read(from: file)
        let replay = ReplayLauncher(records: records)
        let exit = await replay.launch(executable: "aws",
                                       arguments: ["secretsmanager", "put-secret-value", "--secret-id", "prod/db",
                                                   "--secret-string", "CANARY24recorded", "--password=CANARY25"],
                                       environment: [:], timeout: .seconds(1))
        #expect(exit.ending == .exited(0))
    }
}
