import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// The guided session value driven headless against a scripted CLI: which commands run, what is
/// captured, the fallbacks, the refusals, and how failures end or continue the session.
@Suite struct GuidedSessionTests {
    static let now = Date(timeIntervalSince1970: 1_795_395_600)   // 2026-11-23T01:00:00Z

    static func session(_ parameters: [String: String] = CIDeployerCase.parameters) throws -> GuidedSession {
        let runbook = try RunbookFixture.loaded()
        return GuidedSession(runbook: runbook, parameters: parameters, now: now, readOnly: true)
    }

    @Test func headlessRunFindsTheDenialAndNeverRunsAChange() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        var lines: [String] = []
        await session.runHeadless(effects: aws) { lines.append($0) }

        let operations = aws.operations()
        #expect(operations.prefix(5) == ["sts get-caller-identity", "cloudtrail describe-trails", "cloudtrail get-trail-status",
                                         "cloudtrail get-event-selectors", "cloudtrail lookup-events"])
        // lookup-events answers 500 → the log group is read instead.
        #expect(operations.contains("logs filter-log-events"))
        #expect(!operations.contains("s3api list-objects-v2"), "the log group found the denial; no need for S3 files")
        #expect(operations.contains("iam get-policy-version"))
        #expect(operations.contains("s3api get-bucket-policy"))
        for argv in aws.calls {
            let classification = CommandClassifier.bundled.classify(argv)
            #expect(!classification.mutates, "ran \(argv): \(classification.reason)")
        }

        let captures = session.engine.captures
        #expect(captures["trail_log_groups"] == .array([.string(CIDeployerCase.logGroup)]))
        #expect(captures["trail_buckets"]?[0]?["bucket"]?.stringValue == CIDeployerCase.trailBucket)
        #expect(captures["attached_user_policy_arns"] == .array([.string("arn:aws:iam::111122223333:policy/DeployArtifactsList")]))
        #expect(captures["managed_policies"]?[0]?["document"]?["Statement"]?[0]?["Sid"]?.stringValue == "ListArtifacts")
        #expect(captures["log_events"]?.arrayValue?.count == 1)

        let findings = session.findings
        #expect(findings.deniedEventsFound == 1)
        #expect(findings.explainedEvent?.eventName == "PutObject")
        #expect(findings.verdict == .implicitDeny)
        #expect(session.engine.facts["denial.action"]?.stringValue == "s3:PutObject")
        #expect(session.engine.facts["resource.id"]?.stringValue == CIDeployerCase.bucket)
        let fix = try #require(findings.fix)
        #expect(fix.policiesToAdd.first?.policy["Statement"]?[0]?["Action"]?.stringValue == "s3:PutObject")

        // The fix's write is shown, never run; the read-only backup and verification still run.
        let refused = session.transcript.filter { if case .refused = $0.result { true } else { false } }
        #expect(session.engine.facts["fix.kind"]?.stringValue == "user_inline_policy")
        #expect(refused.map { Array($0.argv.prefix(5)) } == [["aws", "iam", "put-user-policy", "--user-name", "ci-deployer"]])
        // The backup read runs; the verification after the refused change is skipped (nothing changed).
        #expect(operations.contains("iam get-user-policy"))
        #expect(!operations.contains("iam simulate-principal-policy"))
        #expect(session.transcript.contains { entry in
            if case .skipped(let reason) = entry.result { entry.commandID == "implement.verify_identity_fix" && reason.contains("nothing was changed") } else { false }
        })
        #expect(!refused.isEmpty)
        #expect(refused.allSatisfy { $0.mutates })
        for entry in refused { #expect(!aws.calls.contains(entry.argv), "\(entry.argv) was run") }
        #expect(session.notes.contains { $0.contains("NoSuchBucketPolicy") && $0.contains("an answer") })
        #expect(session.nextStep() == .finished(.completed))
        #expect(lines.contains { $0.contains("✗ This source is unavailable here (500 answering LookupEvents)") })
    }

    /// A user a CloudFormation stack made (get-user's Tags say so): the session names the stack,
    /// offers no direct change (the next deployment would revert it), says why, and the report
    /// carries the change as code. The user's path and the policy's attachment count are read too.
    @Test func aStackOwnedTargetGetsCodeNotADirectApply() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("iam get-user", GuidedFakeAWS.ok("""
            {"User": {"Path": "/ci/", "UserName": "\(CIDeployerCase.user)", "UserId": "AIDAEXAMPLE",
              "Arn": "arn:aws:iam::\(CIDeployerCase.account):user/ci/\(CIDeployerCase.user)", "CreateDate": "2026-11-23T00:00:00+00:00",
              "Tags": [{"Key": "aws:cloudformation:stack-name", "Value": "deploy-pipeline"},
                       {"Key": "aws:cloudformation:logical-id", "Value": "DeployerUser"}]}}
            """))
        await session.runHeadless(effects: aws) { _ in }

        let placement = try #require(session.analysis?.placements.first)
        #expect(placement.owner == .cloudFormation(stack: "deploy-pipeline", logicalId: "DeployerUser"))
        #expect(placement.facts.path == "/ci/")
        #expect(session.engine.facts["fix.kind"] == nil)
        #expect(session.engine.facts["fix.owner"]?.stringValue == "cloudformation")
        let why = try #require(session.engine.facts["fix.not_applied"]?.stringValue)
        #expect(why.contains("stack deploy-pipeline reverts"))
        #expect(session.notes.contains(why))
        // Nothing of the implement step is proposed: no backup read, no change.
        #expect(!session.transcript.contains { $0.stepID == "implement" })
        #expect(!aws.operations().contains("iam get-user-policy"))
        let record = try #require(session.recommendationRecord?.placement)
        #expect(record.notApplied == why)
        #expect(record.terraform?.contains("aws_iam_user_policy") == true)
        // The managed policy read says who else it reaches.
        #expect(CapturedAccount.ownerFacts(captures: session.engine.captures, principalArn: "x")
                .contains { $0.arn.hasSuffix(":policy/DeployArtifactsList") && $0.attachmentCount == 1 && $0.path == "/" })
    }

    @Test func trailFilesInS3AreReadWhenTheLogGroupIsMissing() async throws {
        var session = try Self.session()
        let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("guided-downloads-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: downloads) }
        session.downloadDirectory = downloads.path
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("logs filter-log-events", GuidedFakeAWS.error(
            "\nAn error occurred (ResourceNotFoundException) when calling the FilterLogEvents operation: The specified log group does not exist.\n"))
        let key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/111122223333_CloudTrail_us-east-1_20261123T0025Z_AbCdEf.json.gz"
        aws.setAnswer("s3api list-objects-v2", GuidedFakeAWS.ok("""
            {"Contents": [{"Key": "\(key)", "LastModified": "2026-11-23T00:25:40+00:00", "Size": 812, "StorageClass": "STANDARD"}], "KeyCount": 1}
            """))
        let records = "{\"Records\":[\(CIDeployerCase.deniedEvent)]}"
        aws.setAnswer("s3api get-object") { argv in
            // The CLI writes the object to the positional outfile argument.
            if let outfile = argv.first(where: { $0.hasPrefix(downloads.path) }) {
                _ = FileManager.default.createFile(atPath: outfile, contents: Data(records.utf8))
            }
            return CommandOutcome(argv: argv, stdout: #"{"AcceptRanges": "bytes", "ContentLength": 812, "ContentType": "application/json"}"#,
                                  ending: .exited(0))
        }
        await session.runHeadless(effects: aws) { _ in }

        let operations = aws.operations()
        #expect(operations.contains("s3api list-objects-v2"))
        #expect(operations.contains("s3api get-object"))
        let list = try #require(aws.calls.first { $0.contains("list-objects-v2") })
        #expect(list.contains("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/"))
        let get = try #require(aws.calls.first { $0.contains("get-object") })
        #expect(get.contains(key))
        #expect(get.contains(downloads.appendingPathComponent("111122223333_CloudTrail_us-east-1_20261123T0025Z_AbCdEf.json.gz").path))
        #expect(session.engine.captures["file_events"]?.arrayValue?.count == 1)
        #expect(session.engine.state(of: "read_trail_files") == .completed)
        #expect(session.findings.deniedEventsFound == 1)
        #expect(session.findings.verdict == .implicitDeny)
    }

    @Test func expiredCredentialsHaltWithTheRefreshMessage() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("sts get-caller-identity", GuidedFakeAWS.error(
            "\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n"))
        var lines: [String] = []
        await session.runHeadless(effects: aws) { lines.append($0) }
        #expect(aws.calls.count == 1)
        #expect(session.notes.contains { $0.contains("Your AWS credentials have expired") && $0.contains("aws sso login") })
        #expect(lines.contains { $0.contains("halted") })
        #expect(session.nextStep() == .finished(.stoppedByOperator))
        #expect(session.findings.deniedEventsFound == 0)
    }

    @Test func throttlingOnATrailReadIsNotedAndTheSessionGoesOn() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("cloudtrail get-event-selectors", GuidedFakeAWS.error(
            "\nAn error occurred (ThrottlingException) when calling the GetEventSelectors operation (reached max retries: 4): Rate exceeded\n"))
        await session.runHeadless(effects: aws) { _ in }
        #expect(session.notes.contains { $0.contains("throttled") })
        #expect(session.engine.state(of: "check_trails") == .completedWithFailures)
        #expect(session.findings.verdict == .implicitDeny)
        #expect(session.nextStep() == .finished(.completed))
    }

    @Test func missingCLIStopsBeforeAnyCommand() async throws {
        var session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers(), toolsOnPath: [])
        await session.runHeadless(effects: aws) { _ in }
        #expect(aws.calls.isEmpty)
        #expect(session.notes.contains { $0.contains("Not on PATH: aws") })
        #expect(session.engine.state(of: "verify_dependencies") == .skipped("stopped by the operator")
                || session.engine.state(of: "verify_dependencies").map { if case .failed = $0 { true } else { false } } == true)
    }

    @Test func cancellingStopsTheSession() async throws {
        let session = try Self.session()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let task = Task {
            var running = session
            withUnsafeCurrentTask { $0?.cancel() }
            await running.runHeadless(effects: aws) { _ in }
            return running
        }
        let ended = await task.value
        #expect(aws.calls.isEmpty)
        #expect(ended.notes.contains { $0.contains("cancelled") })
        #expect(ended.nextStep() == .finished(.stoppedByOperator))
    }

    @Test func missingParametersAreListed() throws {
        let session = try Self.session(["principal": "ana"])
        #expect(Set(session.missingParameters) == ["time_frame", "region"])
    }

    @Test func aBareRoleNameLooksUpTheWholeWindowAndLearnsTheKindFromTheEvent() async throws {
        var session = try Self.session(["principal": "ci-deployer", "time_frame": "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z",
                                        "region": "us-east-1"])
        #expect(session.engine.facts["principal.kind"] == nil)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        await session.runHeadless(effects: aws) { _ in }
        let lookup = try #require(aws.calls.first { $0.contains("lookup-events") })
        #expect(!lookup.contains("--lookup-attributes"))
        #expect(session.engine.facts["principal.kind"]?.stringValue == "user")
        #expect(aws.operations().contains("iam list-attached-user-policies"))
        #expect(session.findings.verdict == .implicitDeny)
    }
}
