import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Seeds each scenario into a real moto_server and reads it back with the real `aws` CLI through
/// the runner: the evidence the runbook's reads depend on is really there.
@Suite struct SandboxScenarioTests {
    func json(_ outcome: CommandOutcome) throws -> JSONValue {
        #expect(outcome.failure == nil, "\(outcome.argv): \(outcome.failure?.operatorMessage ?? "")")
        return try JSONValue.parse(outcome.stdout)
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: SandboxScenario.all.map(\.name))
    func scenarioIsSeededAndReadable(name: String) async throws {
        let scenario = try SandboxScenario.named(name)
        try await MotoTestSandbox.with(scenario: name) { sandbox, parameters in
            let runner = sandbox.runner()
            // The SCP scenarios' principal lives in a member account: named by ARN, read as its profile.
            #expect(parameters["principal"] == scenario.expected.principalName
                    || parameters["principal"]?.hasSuffix(":user/\(scenario.expected.principalName)") == true)
            var principalConnection = sandbox.connection
            principalConnection.profile = scenario.sessionProfile
            let principalRunner = AWSCommandRunner(connection: principalConnection)
            #expect(parameters["action"] == scenario.expected.deniedAction)

            let trails = try json(await runner.run(CommandRequest(argv: ["aws", "cloudtrail", "describe-trails"])))
            let trail = try #require(trails["trailList"]?[0])
            #expect(trail["S3BucketName"]?.stringValue == ScenarioSeeder.trailBucket)
            #expect(trail["CloudWatchLogsLogGroupArn"]?.stringValue?.contains(ScenarioSeeder.logGroup) == true)

            // lookup-events is missing in moto: classified as "source unavailable", the fallback signal.
            let lookup = await runner.run(CommandRequest(argv: ["aws", "cloudtrail", "lookup-events", "--max-items", "50"],
                                                         paging: PageRequest(maxPages: 2)))
            #expect(lookup.failure?.meansSourceUnavailable == true, "\(String(describing: lookup.failure))")

            let logged = try json(await runner.run(CommandRequest(
                argv: ["aws", "logs", "filter-log-events", "--log-group-name", ScenarioSeeder.logGroup],
                paging: PageRequest(tokenArgument: "--next-token", tokenField: "nextToken", maxPages: 3))))
            let objects = try json(await runner.run(CommandRequest(
                argv: ["aws", "s3api", "list-objects-v2", "--bucket", ScenarioSeeder.trailBucket, "--prefix", "AWSLogs/"])))
            if scenario.stagesEvent {
                try Self.expectDelivered(logged: logged, objects: objects, action: scenario.expected.deniedAction)
            } else {
                // A paste-only scenario: the trail logs, but the denial never reached it.
                #expect(logged["events"]?.arrayValue?.isEmpty ?? true)
                #expect(objects["Contents"]?.arrayValue?.isEmpty ?? true)
            }

            let expected = scenario.expected
            let kind = expected.principalKind
            let attached = try json(await principalRunner.run(CommandRequest(
                argv: ["aws", "iam", "list-attached-\(kind)-policies", "--\(kind)-name", expected.principalName])))
            #expect(attached["AttachedPolicies"]?.arrayValue?.compactMap { $0["PolicyName"]?.stringValue } == expected.attachedPolicyNames)
            let inline = try json(await principalRunner.run(CommandRequest(
                argv: ["aws", "iam", "list-\(kind)-policies", "--\(kind)-name", expected.principalName])))
            #expect(inline["PolicyNames"]?.arrayValue?.compactMap(\.stringValue) == expected.inlinePolicyNames)

            switch expected.resourcePolicy {
            case .bucket(let bucket):
                let policy = await principalRunner.run(CommandRequest(argv: ["aws", "s3api", "get-bucket-policy", "--bucket", bucket]))
                if name.hasPrefix("seed") {
                    let document = try JSONValue.parse(try #require(try json(policy)["Policy"]?.stringValue))
                    #expect(document["Statement"]?[0]?["Condition"]?["NotIpAddress"]?["aws:SourceIp"]?.stringValue == "203.0.113.0/24")
                } else {
                    #expect(policy.failure?.errorCode == "NoSuchBucketPolicy")
                }
            case .key:
                let keyARN = try #require(parameters["resource"])
                let policy = try json(await runner.run(CommandRequest(
                    argv: ["aws", "kms", "get-key-policy", "--key-id", keyARN, "--policy-name", "default"])))
                let document = try JSONValue.parse(try #require(policy["Policy"]?.stringValue))
                #expect(document["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue?.hasSuffix(":role/KeyAdminRole") == true)
            case .queue(let queue):
                let url = try json(await runner.run(CommandRequest(argv: ["aws", "sqs", "get-queue-url", "--queue-name", queue])))
                #expect(url["QueueUrl"]?.stringValue?.hasSuffix("/\(queue)") == true)
            case .eventBus(let bus):
                let described = try json(await runner.run(CommandRequest(argv: ["aws", "events", "describe-event-bus", "--name", bus])))
                let document = try JSONValue.parse(try #require(described["Policy"]?.stringValue))
                #expect(document["Statement"]?.arrayValue?.compactMap { $0["Sid"]?.stringValue } == ["AllowAccountPutEvents", "DenyLegacyIngest"])
            case .trustPolicy(let role):
                // The trust policy trusts another principal, never the caller.
                let read = try json(await runner.run(CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", role])))
                let trusted = read["Role"]?["AssumeRolePolicyDocument"]?["Statement"]?[0]?["Principal"]?["AWS"]?.stringValue
                #expect(trusted?.hasSuffix(":role/ReleaseManagerRole") == true, "\(String(describing: trusted))")
            case .none:
                break
            }
            if let boundary = expected.permissionsBoundaryName {
                let role = try json(await runner.run(CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", expected.principalName])))
                #expect(role["Role"]?["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue?.hasSuffix("/\(boundary)") == true)
            }
            for group in expected.groupNames {
                let policies = try json(await runner.run(CommandRequest(argv: ["aws", "iam", "list-group-policies", "--group-name", group])))
                #expect(policies["PolicyNames"]?.arrayValue?.isEmpty == false)
            }
        }
    }

    /// The denial's event in the trail's log group and, gzipped, under its bucket's dated prefix.
    static func expectDelivered(logged: JSONValue, objects: JSONValue, action: String) throws {
        let message = try #require(logged["events"]?[0]?["message"]?.stringValue)
        let event = try JSONValue.parse(message)
        #expect("\(event["eventSource"]?.stringValue?.split(separator: ".").first ?? ""):\(event["eventName"]?.stringValue ?? "")" == action)
        #expect(event["errorCode"]?.stringValue == "AccessDenied")
        let key = try #require(objects["Contents"]?[0]?["Key"]?.stringValue)
        #expect(key.hasSuffix(".json.gz"))
        #expect(key.hasPrefix("AWSLogs/\(MotoSandbox.accountID)/CloudTrail/\(MotoSandbox.region)/"))
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
                                                                  "kms-grant"])) {
            try SandboxScenario.named("nope")
        }
    }
}
