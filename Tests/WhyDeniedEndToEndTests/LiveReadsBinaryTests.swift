import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// The real binary's `snapshot`, `analyze --live` and `analyze --message` against moto_server
/// seeded through the real `aws` CLI.
@Suite(.serialized) struct LiveReadsBinaryTests {
    static let ready = MotoTestSandbox.isAvailable && WhyDeniedBinary.exists

    static func trailFile(_ sandbox: MotoSandbox) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.directory.path).filter { $0.hasSuffix(".json.gz") }
        return sandbox.directory.appendingPathComponent(try #require(files.first)).path
    }

    static func decisions(_ stdout: String) throws -> [String] {
        // --json prints one pretty object per event; read them as a sequence.
        let wrapped = "[" + stdout.replacingOccurrences(of: "}\n{", with: "},\n{") + "]"
        return try #require(try JSONValue.parse(wrapped).arrayValue).compactMap { $0["Decision"]?.stringValue }
    }

    @Test(.enabled(if: ready, "moto_server, aws or the built binary is missing"))
    func snapshotThenAnalyzeEqualsAnalyzeLive() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-cli-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await MotoTestSandbox.with(scenario: "seed") { sandbox, _ in
            let environment = sandbox.connection.environment
            let connection = ["--endpoint-url", sandbox.endpointURL, "--region", MotoSandbox.region]
            let events = try Self.trailFile(sandbox)
            let snapshot = try WhyDeniedBinary.run(
                ["snapshot", "--out", folder.path, "--principal", "arn:aws:iam::\(MotoSandbox.accountID):role/DataAnalystRole",
                 "--resource", "arn:aws:s3:::analytics-data-bucket"] + connection, environment: environment)
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            #expect(snapshot.stderr.contains("$ aws iam get-role --role-name DataAnalystRole"))
            #expect(snapshot.stderr.contains("$ aws s3api get-bucket-policy --bucket analytics-data-bucket"))
            #expect(snapshot.stderr.contains("aws process(es)"))
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.json").path))

            let offline = try WhyDeniedBinary.run(["analyze", "--events-file", events, "--account-snapshot", folder.path, "--json"])
            let live = try WhyDeniedBinary.run(["analyze", "--events-file", events, "--live", "--json"] + connection, environment: environment)
            #expect(live.status == offline.status, "\(live.stderr)")
            #expect(try Self.decisions(live.stdout) == ["explicitDeny"])
            // Same reads, same JSON, whether the snapshot was written first or read live.
            #expect(live.stdout == offline.stdout)
            #expect(live.stderr.contains("$ aws iam list-attached-role-policies --role-name DataAnalystRole"))
        }
    }

    @Test(.enabled(if: ready, "moto_server, aws or the built binary is missing"))
    func pastedMessagesAreAnalyzedLive() async throws {
        try await MotoTestSandbox.with(scenario: "user-no-allow") { sandbox, parameters in
            let message = try #require(parameters["error_message"])
            let connection = ["--endpoint-url", sandbox.endpointURL, "--region", MotoSandbox.region]
            // Two blocks: the error, and a line that is not one (reported, the other still analysed).
            let run = try WhyDeniedBinary.run(["analyze", "--message", "-", "--live", "--json"] + connection,
                                              stdin: message + "\n\nhello, this is not an error\n",
                                              environment: sandbox.connection.environment)
            #expect(try Self.decisions(run.stdout).first == "implicitDeny", "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("standard input, message 2"))
            #expect(run.stderr.contains("$ aws iam list-attached-user-policies"))
        }
    }
}
