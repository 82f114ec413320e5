import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Each scenario seeded into a real moto_server and read back with the real `aws` CLI: the
/// evidence the runbook's reads depend on is really there. The reads are the scenario's one live
/// run (`ScenarioRecordings`: the demo binary seeds its own moto and runs every read through the
/// CLI); the trail's delivery to its bucket, which no step reads, is seeded and listed live.
@Suite struct SandboxScenarioTests {
    func json(_ outcome: CommandOutcome) throws -> JSONValue {
        #expect(outcome.failure == nil, "\(outcome.argv): \(outcome.failure?.operatorMessage ?? "")")
        return try JSONValue.parse(outcome.stdout)
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: SandboxScenario.all.map(\.name))
    func scenarioIsSeededAndReadable(name: String) async throws {
        let scenario = try SandboxScenario.named(name)
        let recording = try await ScenarioRecordings.shared.recording(name)
        let reads = RecordedReads(records: recording.records, scenario: name)
        let parameters = recording.parameters
        // The SCP scenarios' principal lives in a member account: named by ARN, read as its profile.
        #expect(parameters["principal"] == scenario.expected.principalName
                || parameters["principal"]?.hasSuffix(":user/\(scenario.expected.principalName)") == true)
        #expect(parameters["action"] == scenario.expected.deniedAction)

        // lookup-events is missing in moto: classified as "source unavailable", the fallback signal.
        let lookup = try reads.record("cloudtrail", "lookup-events")
        let failure = CommandFailure.classify(stderr: lookup.stderr, exitCode: lookup.exit ?? -1, argv: lookup.argv)
        #expect(failure?.meansSourceUnavailable == true, "\(String(describing: failure))")

        let trails = try reads.json("cloudtrail", "describe-trails")
        if scenario.sessionProfile != nil {
            // A member account's session: the trail is the management account's, not visible here,
            // so there is no log group to query either.
            #expect(trails["trailList"]?.arrayValue?.isEmpty == true, "\(trails)")
            #expect((try? reads.record("logs", "filter-log-events")) == nil)
        } else {
            let trail = try #require(trails["trailList"]?[0])
            #expect(trail["S3BucketName"]?.stringValue == ScenarioSeeder.trailBucket)
            #expect(trail["CloudWatchLogsLogGroupArn"]?.stringValue?.contains(ScenarioSeeder.logGroup) == true)
            let logged = try reads.json("logs", "filter-log-events", with: ["--log-group-name", ScenarioSeeder.logGroup])
            if scenario.stagesEvent {
                try Self.expectLogged(logged, action: scenario.expected.deniedAction)
            } else {
                // A paste-only scenario: the trail logs, but the denial never reached it.
                #expect(logged["events"]?.arrayValue?.isEmpty ?? true)
            }
        }

        let expected = scenario.expected
        let kind = expected.principalKind
        let named = ["--\(kind)-name", expected.principalName]
        let attached = try reads.json("iam", "list-attached-\(kind)-policies", with: named)
        #expect(attached["AttachedPolicies"]?.arrayValue?.compactMap { $0["PolicyName"]?.stringValue } == expected.attachedPolicyNames)
        let inline = try reads.json("iam", "list-\(kind)-policies", with: named)
        #expect(inline["PolicyNames"]?.arrayValue?.compactMap(\.stringValue) == expected.inlinePolicyNames)

        switch expected.resourcePolicy {
        case .bucket(let bucket):
            let policy = try reads.record("s3api", "get-bucket-policy", with: ["--bucket", bucket])
            if name.hasPrefix("seed") {
                #expect(policy.exit == 0, "\(policy.stderr)")
                let read = try JSONValue.parse(policy.stdout)
                let document = try JSONValue.parse(try #require(read["Policy"]?.stringValue))
                #expect(document["Statement"]?[0]?["Condition"]?["NotIpAddress"]?["aws:SourceIp"]?.stringValue == "203.0.113.0/24")
            } else {
                let failure = CommandFailure.classify(stderr: policy.stderr, exitCode: policy.exit ?? -1, argv: policy.argv)
                #expect(failure?.errorCode == "NoSuchBucketPolicy", "\(policy.stderr)")
            }
        case .key:
            let policy = try reads.json("kms", "get-key-policy", with: ["--policy-name", "default"])
            let document = try JSONValue.parse(try #require(policy["Policy"]?.stringValue))
            #expect(document["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue?.hasSuffix(":role/KeyAdminRole") == true)
        case .queue(let queue):
            let url = try reads.json("sqs", "get-queue-url", with: ["--queue-name", queue])
            #expect(url["QueueUrl"]?.stringValue?.hasSuffix("/\(queue)") == true)
        case .eventBus(let bus):
            let described = try reads.json("events", "describe-event-bus", with: ["--name", bus])
            let document = try JSONValue.parse(try #require(described["Policy"]?.stringValue))
            #expect(document["Statement"]?.arrayValue?.compactMap { $0["Sid"]?.stringValue } == ["AllowAccountPutEvents", "DenyLegacyIngest"])
        case .trustPolicy(let role):
            // The trust policy trusts another principal, never the caller.
            let read = try reads.json("iam", "get-role", with: ["--role-name", role])
            let trusted = read["Role"]?["AssumeRolePolicyDocument"]?["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue
            #expect(trusted?.hasSuffix(":role/ReleaseManagerRole") == true, "\(String(describing: trusted))")
        case .none:
            break
        }
        if let boundary = expected.permissionsBoundaryName {
            let role = try reads.json("iam", "get-role", with: ["--role-name", expected.principalName])
            #expect(role["Role"]?["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue?.hasSuffix("/\(boundary)") == true)
        }
        for group in expected.groupNames {
            let policies = try reads.json("iam", "list-group-policies", with: ["--group-name", group])
            #expect(policies["PolicyNames"]?.arrayValue?.isEmpty == false)
        }
    }

    /// The trail delivers the staged event, gzipped, under its bucket's dated prefix; a paste-only
    /// scenario's bucket stays empty. One seeding mechanism for every scenario: one of each kind.
    /// Reads only: the seeded sandboxes this test process shares.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: ["seed", "seed-paste"])
    func trailDeliversTheStagedEventToItsBucket(name: String) async throws {
        let scenario = try SandboxScenario.named(name)
        try await SharedSandboxes.reading(scenario: name) { sandbox, _ in
            let runner = sandbox.runner()
            let objects = try json(await runner.run(CommandRequest(
                argv: ["aws", "s3api", "list-objects-v2", "--bucket", ScenarioSeeder.trailBucket, "--prefix", "AWSLogs/"])))
            if scenario.stagesEvent {
                let key = try #require(objects["Contents"]?[0]?["Key"]?.stringValue)
                #expect(key.hasSuffix(".json.gz"))
                #expect(key.hasPrefix("AWSLogs/\(MotoSandbox.accountID)/CloudTrail/\(MotoSandbox.region)/"))
                let copied = FileManager.default.temporaryDirectory.appendingPathComponent("trail-\(UUID().uuidString.prefix(8)).json.gz")
                defer { try? FileManager.default.removeItem(at: copied) }
                _ = try json(await runner.run(CommandRequest(
                    argv: ["aws", "s3api", "get-object", "--bucket", ScenarioSeeder.trailBucket, "--key", key, copied.path])))
                let inflated = try await TestProcess.running("/bin/gzip", ["-dc", copied.path]).stdout
                let records = try JSONValue.parse(inflated)["Records"]?.arrayValue ?? []
                let event = try #require(records.first)
                #expect("\(event["eventSource"]?.stringValue?.split(separator: ".").first ?? ""):\(event["eventName"]?.stringValue ?? "")"
                        == scenario.expected.deniedAction)
            } else {
                #expect(objects["Contents"]?.arrayValue?.isEmpty ?? true)
            }
        }
    }

    /// The denial's event in the trail's log group.
    static func expectLogged(_ logged: JSONValue, action: String) throws {
        let message = try #require(logged["events"]?[0]?["message"]?.stringValue)
        let event = try JSONValue.parse(message)
        #expect("\(event["eventSource"]?.stringValue?.split(separator: ".").first ?? ""):\(event["eventName"]?.stringValue ?? "")" == action)
        #expect(event["errorCode"]?.stringValue == "AccessDenied")
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func motoStoppedMidSessionIsAnUnreachableEndpointNotACrash() async throws {
        try await MotoTestSandbox.with { sandbox in
            let runner = sandbox.runner(timeout: .seconds(30))
            let before = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            #expect(before.succeeded)
            let pid = sandbox.pid
            sandbox.stop()
            #expect(!sandbox.isRunning)
            #expect(kill(pid, 0) == -1)   // reaped, not a zombie
            let after = await runner.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
            guard case .endpointUnreachable(let detail)? = after.failure else {
                Issue.record("expected endpointUnreachable, got \(String(describing: after.failure))"); return
            }
            #expect(detail.hasPrefix("Could not connect to the endpoint URL"))
            #expect(ProcessTable.zombieChildren().isEmpty)
        }
    }

    @Test func unknownScenarioListsTheKnownOnes() {
        #expect(throws: SandboxError.unknownScenario("nope", known: ["seed", "user-no-allow", "group-explicit-deny", "role-boundary", "kms-key-policy",
                                                                  "trust-policy", "eventbridge-bus-policy",
                                                                  "seed-paste", "user-no-allow-paste", "group-explicit-deny-paste",
                                                                  "role-boundary-paste", "kms-key-policy-paste", "trust-policy-paste",
                                                                  "scp-ou-deny", "scp-missing-allow",
                                                                  "vpc-endpoint-deny", "cross-account-bucket", "cross-account-bucket-paste",
                                                                  "kms-grant", "s3-block-public-access"])) {
            try SandboxScenario.named("nope")
        }
    }
}
