import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// The real binary's `snapshot`, `analyze --live` and `analyze --message` against moto_server
/// seeded through the real `aws` CLI; they only read, so they read the seeded sandboxes this test
/// process shares (`SharedSandboxes`).
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

    /// The `--json` results, without the notes that contain `text`.
    static func results(_ stdout: String, droppingNotesWith text: String) throws -> JSONValue {
        func drop(_ value: JSONValue) -> JSONValue {
            switch value {
            case .array(let items):
                return .array(items.filter { !($0.stringValue?.contains(text) ?? false) }.map(drop))
            case .object(let object):
                return .object(JSONObject(object.entries.map { ($0.key, drop($0.value)) }))
            default:
                return value
            }
        }
        return drop(try JSONValue.parse("[" + stdout.replacingOccurrences(of: "}\n{", with: "},\n{") + "]"))
    }

    @Test(.enabled(if: ready, "moto_server, aws or the built binary is missing"))
    func snapshotThenAnalyzeEqualsAnalyzeLive() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-cli-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await SharedSandboxes.reading(scenario: "seed") { sandbox, _ in
            // The default, as an operator runs it: each command an aws process of its own.
            var environment = sandbox.connection.environment
            environment["WHYDENIED_AWS_DRIVER"] = "processes"
            let connection = ["--endpoint-url", sandbox.endpointURL, "--region", MotoSandbox.region]
            let events = try Self.trailFile(sandbox)
            let snapshot = try await WhyDeniedBinary.running(
                ["snapshot", "--out", folder.path, "--principal", "arn:aws:iam::\(MotoSandbox.accountID):role/DataAnalystRole",
                 // The bucket, as a batch (analyze --live) reads it: once, without its objects' ACLs.
                 "--resource", "arn:aws:s3:::analytics-data-bucket"] + connection, environment: environment)
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            #expect(snapshot.stderr.contains("$ aws iam get-role --role-name DataAnalystRole"))
            #expect(snapshot.stderr.contains("$ aws s3api get-bucket-policy --bucket analytics-data-bucket"))
            #expect(snapshot.stderr.contains("aws process(es)"))
            // A managed policy is filed by its account and name, so roles sharing it share the file.
            let index = try JSONValue.parse(String(contentsOf: folder.appendingPathComponent("index.json"), encoding: .utf8))
            #expect(index["principals"]?[0]?["policies"]?[0]?["file"]?.stringValue
                    == "policies/\(MotoSandbox.accountID)-AnalyticsS3ReadOnlyAccess.json")

            let offline = try await WhyDeniedBinary.running(["analyze", "--events-file", events, "--account-snapshot", folder.path, "--json"])
            let live = try await WhyDeniedBinary.running(["analyze", "--events-file", events, "--live", "--json"] + connection, environment: environment)
            #expect(live.status == offline.status, "\(live.stderr)")
            #expect(try Self.decisions(live.stdout) == ["explicitDeny"])
            // Same reads, same JSON, whether the snapshot was written first or read live; except
            // that a batch reads the bucket's Block Public Access only where it could change the
            // verdict (not here), and each verdict says so.
            let deferred = "was not given (not read: a batch reads it only for a bucket whose verdict it could change"
            #expect(live.stdout.contains(deferred), "\(live.stdout)")
            #expect(try Self.results(live.stdout, droppingNotesWith: deferred) == Self.results(offline.stdout, droppingNotesWith: deferred))
            #expect(!offline.stdout.contains(deferred))
            #expect(live.stderr.contains("Block Public Access and tags were read for 0 of 1 bucket(s)"), "\(live.stderr)")
            #expect(!live.stderr.contains("get-public-access-block --bucket"), "\(live.stderr)")
            #expect(live.stderr.contains("$ aws iam list-attached-role-policies --role-name DataAnalystRole"))
            #expect(!live.stderr.contains("get-object-acl"), "a batch reads no object's ACL")
            #expect(live.stderr.contains("S3 object(s) were not read"), "\(live.stderr)")
        }
    }

    @Test(.enabled(if: ready, "moto_server, aws or the built binary is missing"))
    func pastedMessagesAreAnalyzedLive() async throws {
        try await SharedSandboxes.reading(scenario: "user-no-allow") { sandbox, parameters in
            let message = try #require(parameters["error_message"])
            let connection = ["--endpoint-url", sandbox.endpointURL, "--region", MotoSandbox.region]
            // Two blocks: the error, and a line that is not one (reported, the other still analysed).
            // A batch's default (no WHYDENIED_AWS_DRIVER): the reads go through the CLI's own driver.
            var environment = sandbox.connection.environment
            environment["WHYDENIED_AWS_DRIVER"] = ""
            let run = try await WhyDeniedBinary.running(["analyze", "--message", "-", "--live", "--json"] + connection,
                                              stdin: message + "\n\nhello, this is not an error\n",
                                              environment: environment)
            #expect(try Self.decisions(run.stdout).first == "implicitDeny", "\(run.stdout)\n\(run.stderr)")
            #expect(run.stderr.contains("aws command(s) through the CLI's resident driver (WHYDENIED_AWS_DRIVER=processes"), "\(run.stderr)")
            #expect(run.stdout.contains("standard input, message 2"))
            #expect(run.stderr.contains("$ aws iam list-attached-user-policies"))
        }
    }
}

/// `--cross-account-role`: another account's principal is read by assuming a role of that name
/// in it; without the flag (or a profile for it) it is not read, and the note says so.
@Suite(.serialized) struct CrossAccountReadsBinaryTests {
    static let otherAccount = "222233334444"

    @Test(.enabled(if: LiveReadsBinaryTests.ready, "moto_server, aws or the built binary is missing"))
    func anotherAccountIsReadThroughTheNamedRole() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-xacct-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await MotoTestSandbox.with { sandbox in
            // Seed a role in the other account with that account's credentials (moto maps assumed keys to the role's account).
            let assumed = try await ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory).run(
                ["aws", "sts", "assume-role", "--role-arn", "arn:aws:iam::\(Self.otherAccount):role/AuditReader",
                 "--role-session-name", "seed"])
            var connection = sandbox.connection
            connection.environment["AWS_ACCESS_KEY_ID"] = try #require(assumed["Credentials"]?["AccessKeyId"]?.stringValue)
            connection.environment["AWS_SECRET_ACCESS_KEY"] = try #require(assumed["Credentials"]?["SecretAccessKey"]?.stringValue)
            connection.environment["AWS_SESSION_TOKEN"] = assumed["Credentials"]?["SessionToken"]?.stringValue
            let other = ScenarioSeeder(runner: sandbox.seedingRunner().connected(to: connection), workDirectory: sandbox.directory)
            #expect(try await other.run(["aws", "sts", "get-caller-identity"])["Account"]?.stringValue == Self.otherAccount)
            _ = try await other.run(["aws", "iam", "create-role", "--role-name", "PartnerRole", "--assume-role-policy-document",
                                     #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#])
            _ = try await other.run(["aws", "iam", "put-role-policy", "--role-name", "PartnerRole", "--policy-name", "PartnerRead",
                                     "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#])

            let principal = "arn:aws:iam::\(Self.otherAccount):role/PartnerRole"
            let endpoint = ["--endpoint-url", sandbox.endpointURL, "--region", MotoSandbox.region]
            let without = try await WhyDeniedBinary.running(["snapshot", "--out", folder.path, "--principal", principal] + endpoint,
                                                  environment: sandbox.connection.environment)
            #expect(without.stderr.contains("no credentials for account \(Self.otherAccount)"), "\(without.stderr)")
            #expect(!without.stderr.contains("get-role --role-name PartnerRole"))

            let with = try await WhyDeniedBinary.running(["snapshot", "--out", folder.path, "--principal", principal,
                                                "--cross-account-role", "AuditReader"] + endpoint,
                                               environment: sandbox.connection.environment)
            #expect(with.status == 0, "\(with.stderr)")
            #expect(with.stderr.contains("$ aws sts assume-role --role-arn arn:aws:iam::\(Self.otherAccount):role/AuditReader"))
            #expect(!with.stderr.contains(try #require(assumed["Credentials"]?["SecretAccessKey"]?.stringValue).prefix(12)))
            let index = try JSONValue.parse(String(contentsOf: folder.appendingPathComponent("index.json"), encoding: .utf8))
            let read = try #require(index["principals"]?[0])
            #expect(read["arn"]?.stringValue == principal)
            #expect(read["policies"]?[0]?["name"]?.stringValue == "PartnerRead")
        }
    }
}
