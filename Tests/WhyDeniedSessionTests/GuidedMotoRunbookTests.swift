import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The whole runbook, headless, against a real moto_server seeded with each scenario through the
/// real `aws` CLI: the commands run, what they captured, the event found, the verdict and the fix.
@Suite struct GuidedMotoRunbookTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var scenario: String
        var verdict: Decision
        /// Sid of the deciding statement, for explicit denies.
        var statement: String?
        /// Words the deciding policy's description must contain.
        var policy: String?
        var fixKind: String?
        var testDescription: String { scenario }
    }

    static let cases: [Expected] = [
        Expected(scenario: "seed", verdict: .explicitDeny, statement: "DenyOutsideCorporateNetwork",
                 policy: "bucket policy of analytics-data-bucket"),
        Expected(scenario: "user-no-allow", verdict: .implicitDeny, fixKind: "user_inline_policy"),
        Expected(scenario: "group-explicit-deny", verdict: .explicitDeny, statement: "NoDeletes", policy: "DenyDeletes"),
        Expected(scenario: "role-boundary", verdict: .implicitDeny, fixKind: "new_policy_version"),
        Expected(scenario: "kms-key-policy", verdict: .implicitDeny),
        Expected(scenario: "eventbridge-bus-policy", verdict: .explicitDeny, statement: "DenyLegacyIngest",
                 policy: "event bus policy of orders-bus"),
        Expected(scenario: "trust-policy", verdict: .implicitDeny, fixKind: "trust_policy"),
        Expected(scenario: "vpc-endpoint-deny", verdict: .explicitDeny, statement: "DenyWritesOutsideCorpBuckets",
                 policy: "VPC endpoint policy \"policy of VPC endpoint vpce-"),
        Expected(scenario: "cross-account-bucket", verdict: .implicitDeny, fixKind: "bucket_policy"),
        Expected(scenario: "kms-grant", verdict: .implicitDeny),
    ]

    static func run(_ parameters: [String: String], effects: any SessionEffects, journal: SessionJournal? = nil) async throws -> GuidedSession {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: Date(), readOnly: true)
        await session.runHeadless(effects: effects, journal: journal) { _ in }
        return session
    }

    /// The `--profile` an argv runs with, if any.
    static func profile(of argv: [String]) -> String? {
        argv.firstIndex(of: "--profile").flatMap { $0 + 1 < argv.count ? argv[$0 + 1] : nil }
    }

    static func ran(_ session: GuidedSession) -> [(id: String, outcome: CommandOutcome)] {
        session.transcript.compactMap { entry in
            if case .ran(let outcome) = entry.result { return (entry.commandID, outcome) } else { return nil }
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: cases)
    func runbookSolvesTheScenario(expected: Expected) async throws {
        let scenario = try SandboxScenario.named(expected.scenario)
        let want = scenario.expected
        let store = SessionStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("moto-runbook-\(UUID().uuidString.prefix(8))"))
        defer { try? FileManager.default.removeItem(at: store.root) }
        let recording = try await ScenarioRecordings.shared.recording(expected.scenario)
        let parameters = recording.parameters
        do {
            let journal = try SessionJournal.create(in: store)
            let session = try await Self.run(parameters, effects: recording.replayRunner(), journal: journal)
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")

            // Commands run: the trail checks, lookup-events (500 in moto) then the log group.
            let ran = Self.ran(session)
            let ids = ran.map(\.id)
            for id in ["verify_dependencies.caller_identity", "check_trails.describe_trails", "check_trails.trail_status#1",
                       "check_trails.event_selectors#1", "look_up_events.log_group_events#1"] {
                #expect(ids.contains(id), "\(id) did not run: \(ids)")
            }
            let lookup = try #require(ran.first { $0.id.hasPrefix("look_up_events.lookup_events") })
            #expect(lookup.outcome.failure?.meansSourceUnavailable == true)
            for (_, outcome) in ran {
                let classification = CommandClassifier.bundled.classify(outcome.argv)
                #expect(!classification.mutates, "ran \(outcome.argv): \(classification.reason)")
            }

            // Captures.
            let captures = session.engine.captures
            #expect(captures["caller_account"]?.stringValue == MotoSandbox.accountID)
            #expect(captures["trail_buckets"]?[0]?["bucket"]?.stringValue == ScenarioSeeder.trailBucket)
            #expect(captures["trail_log_groups"] == .array([.string(ScenarioSeeder.logGroup)]))
            #expect(captures["trail_statuses"]?[0]?["is_logging"] == .bool(true))
            #expect(captures["trail_selectors"]?[0]?["management_events"] == .bool(true))
            #expect(session.engine.facts["principal.kind"]?.stringValue.map { $0 == want.principalKind || ($0 == "assumed_role" && want.principalKind == "role") } == true)
            let attached = (captures["attached_user_policy_arns"]?.arrayValue ?? []) + (captures["attached_role_policy_arns"]?.arrayValue ?? [])
            #expect(Set(attached.compactMap { $0.stringValue?.split(separator: "/").last.map(String.init) }) == Set(want.attachedPolicyNames))
            let managed = captures["managed_policies"]?.arrayValue ?? []
            #expect(managed.count == want.attachedPolicyNames.count)
            #expect(managed.allSatisfy { $0["document"]?["Statement"] != nil })
            let inline = (captures["role_policies"]?.arrayValue ?? []) + (captures["identity_policies"]?.arrayValue ?? [])
            #expect(inline.compactMap { $0["name"]?.stringValue } == want.inlinePolicyNames)
            #expect((captures["group_names"]?.arrayValue ?? []).compactMap(\.stringValue) == want.groupNames)
            if !want.groupNames.isEmpty {
                #expect(captures["group_policies"]?[0]?["document"]?["Statement"] != nil)
            }
            if let boundary = want.permissionsBoundaryName {
                #expect(captures["boundary_policies"]?[0]?["arn"]?.stringValue?.hasSuffix("/\(boundary)") == true)
            }
            switch want.resourcePolicy {
            case .bucket(let bucket):
                #expect(session.engine.facts["resource.id"]?.stringValue == bucket)
                #expect(ids.contains("check_resource_policies.bucket_policy"))
                if expected.scenario == "seed" {
                    #expect(captures["resource_policy"]?["Statement"]?[0]?["Sid"]?.stringValue == "DenyOutsideCorporateNetwork")
                }
            case .key:
                #expect(session.engine.facts["resource.service"]?.stringValue == "kms")
                #expect(captures["key_policy"]?["Statement"] != nil)
            case .queue(let queue):
                #expect(captures["queue_url"]?.stringValue?.hasSuffix("/\(queue)") == true)
            case .eventBus(let bus):
                #expect(session.engine.facts["resource.policy_kind"]?.stringValue == "event_bus")
                #expect(ids.contains("check_resource_policies.event_bus_policy"))
                #expect(captures["event_bus_policy"]?["Statement"]?[1]?["Sid"]?.stringValue == "DenyLegacyIngest", "\(bus)")
            case .trustPolicy(let role):
                #expect(session.engine.facts["resource.id"]?.stringValue == role)
                #expect(captures["trust_policy"]?["Statement"] != nil)
            case .none:
                break
            }

            // The event found, the verdict, the deciding statement and the fix.
            let findings = session.findings
            #expect(findings.deniedEventsFound == 1)
            let event = try #require(findings.explainedEvent)
            #expect(EventDenial(event).action == want.deniedAction)
            #expect(findings.verdict == expected.verdict)
            if let statement = expected.statement { #expect(findings.decidingStatement == statement) }
            if let policy = expected.policy { #expect(findings.decidingPolicy?.description.contains(policy) == true, "\(String(describing: findings.decidingPolicy))") }
            #expect(findings.fix != nil)
            #expect(session.engine.facts["fix.kind"]?.stringValue == expected.fixKind)
            if expected.fixKind != nil {
                #expect(session.transcript.contains { entry in if case .refused = entry.result { entry.mutates } else { false } })
            }

            let reading = try JournalReading(contentsOf: journal.folder.journalURL)
            #expect(reading.entries.last.map { if case .sessionEnded(let reason) = $0.event { reason == "completed" } else { false } } == true)
        }
    }

    /// Issue 14 §2: the event's vpcEndpointId is read with `ec2 describe-vpc-endpoints`, the
    /// endpoint's Deny is the verdict, and the fix edits the endpoint's policy (shown, not run).
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func theEndpointPolicyIsReadAndItsDenyIsTheVerdict() async throws {
        let recording = try await ScenarioRecordings.shared.recording("vpc-endpoint-deny")
        let parameters = recording.parameters
        do {
            let session = try await Self.run(parameters, effects: recording.replayRunner())
            let endpoint = try #require(session.engine.facts["denial.vpc_endpoint_id"]?.stringValue)
            #expect(endpoint.hasPrefix("vpce-"))
            let read = try #require(Self.ran(session).first { $0.id == "check_vpc_endpoint_policy.vpc_endpoint" })
            #expect(read.outcome.argv.starts(with: ["aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", endpoint]))
            #expect(session.engine.captures["vpc_endpoint_policy"]?["document"]?["Statement"]?[1]?["Sid"]?.stringValue == "DenyWritesOutsideCorpBuckets")
            #expect(session.findings.verdict == .explicitDeny)
            #expect(session.findings.decidingPolicy?.type == .vpcEndpointPolicy)
            #expect(session.findings.decidingPolicy?.name == "policy of VPC endpoint \(endpoint)")
            let fix = try #require(session.analysis?.fix)
            #expect(fix.kind == .editDeny)
            let modify = try #require(fix.commands.first { $0.argv.starts(with: ["aws", "ec2", "modify-vpc-endpoint"]) })
            #expect(modify.argv.contains(endpoint))
            // s3:PutObject is the Deny's only action: the edit deletes that statement and keeps the rest.
            #expect(fix.denyEdits.first?.description.contains("DenyWritesOutsideCorpBuckets") == true)
            #expect(modify.argv.last?.contains("AllowEverythingElse") == true)
            #expect(modify.argv.last?.contains("DenyWritesOutsideCorpBuckets") == false)
        }
    }

    /// Issue 14 §2: the bucket of another account is read with the resource profile (its own
    /// account's credentials); the caller's side allows, the bucket's does not, and the verdict
    /// and fix say the bucket side is missing and that its owner's administrator must fix it.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func theOtherAccountsBucketIsReadAsItsOwnerAndItsSideIsTheOneMissing() async throws {
        let recording = try await ScenarioRecordings.shared.recording("cross-account-bucket")
        let parameters = recording.parameters
        do {
            #expect(parameters["resource_profile"] == SandboxScenario.partnerProfile)
            let session = try await Self.run(parameters, effects: recording.replayRunner())
            let ran = Self.ran(session)
            let owner = try #require(ran.first { $0.id == "check_resource_policies.resource_account" })
            #expect(Self.profile(of: owner.outcome.argv) == SandboxScenario.partnerProfile)
            #expect(session.engine.captures["resource_account"]?.stringValue == SandboxScenario.partnerAccount)
            let bucket = try #require(ran.first { $0.id == "check_resource_policies.bucket_policy" })
            #expect(Self.profile(of: bucket.outcome.argv) == SandboxScenario.partnerProfile)
            #expect(session.engine.captures["resource_policy"]?["Statement"]?[0]?["Sid"]?.stringValue == "PartnerAnalyticsRead")
            // The caller's own reads run as the caller.
            #expect(ran.filter { $0.id.hasPrefix("check_iam.") }.allSatisfy { Self.profile(of: $0.outcome.argv) == nil })

            #expect(session.findings.verdict == .implicitDeny)
            let deciding = try #require(session.analysis?.deciding?.result)
            #expect(deciding.blockedBy.first?.reason.contains("another account (\(SandboxScenario.partnerAccount))") == true, "\(deciding.blockedBy)")
            #expect(!deciding.blockedBy.contains { $0.policyType == .identityBased }, "the caller's side allows")
            let fix = try #require(session.analysis?.fix)
            #expect(fix.warnings.first?.contains("the resource side is missing") == true, "\(fix.warnings)")
            #expect(fix.warnings.first?.contains("only account \(SandboxScenario.partnerAccount)'s administrator") == true)
            // The change is proposed as the bucket's account, and refused in a read-only run.
            let refused = session.transcript.first { $0.commandID == "implement.put_bucket_policy" }
            #expect(refused.map { Self.profile(of: $0.argv) } == SandboxScenario.partnerProfile, "\(String(describing: refused))")
        }
    }

    /// Without an event (the pasted message only), the bucket's owner is the account the resource
    /// profile answers for: the request is evaluated across accounts, not as the caller's own.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func withoutAnEventTheResourceProfilesAccountOwnsTheBucket() async throws {
        let recording = try await ScenarioRecordings.shared.recording("cross-account-bucket-paste")
        let parameters = recording.parameters
        do {
            let session = try await Self.run(parameters, effects: recording.replayRunner())
            #expect(session.findings.deniedEventsFound == 0)
            #expect(session.engine.captures["resource_account"]?.stringValue == SandboxScenario.partnerAccount)
            #expect(session.findings.verdict == .implicitDeny, "\(session.analysis?.deciding?.result.deciding.summary ?? "")")
            let analysed = try #require(session.analysis?.deciding)
            #expect(analysed.request.resource?.account == SandboxScenario.partnerAccount)
            let deciding = analysed.result
            #expect(deciding.blockedBy.first?.reason.contains("another account (\(SandboxScenario.partnerAccount))") == true, "\(deciding.blockedBy)")
            #expect(session.analysis?.fix?.warnings.first?.contains("only account \(SandboxScenario.partnerAccount)'s administrator") == true)
        }
    }

    /// Issue 14 §2: a KMS denial reads the key's grants (`kms list-grants`); the grant naming the
    /// caller without kms:Decrypt is evaluated (it does not allow) and named as the near miss.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func theKeysGrantsAreReadAndTheNearMissIsNamed() async throws {
        let recording = try await ScenarioRecordings.shared.recording("kms-grant")
        let parameters = recording.parameters
        do {
            let session = try await Self.run(parameters, effects: recording.replayRunner())
            let read = try #require(Self.ran(session).first { $0.id == "check_resource_policies.key_grants" })
            #expect(read.outcome.argv.starts(with: ["aws", "kms", "list-grants", "--key-id"]))
            let grants = session.engine.captures["key_grants"]?.arrayValue ?? []
            #expect(grants.count == 1)
            #expect(grants.first?["name"]?.stringValue == "reports-writer")
            #expect(session.findings.verdict == .implicitDeny)
            let analysis = try #require(session.analysis)
            let keyPolicy = try #require(analysis.deciding?.policies.keyPolicy)
            #expect(keyPolicy.name.hasSuffix("with its 1 grant(s)"))
            #expect(analysis.notes.contains { $0.contains("grant") && $0.contains("reports-writer") && $0.contains("not Decrypt") }, "\(analysis.notes)")
        }
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
    func trailFilesInTheBucketAreReadWhenNoLogGroupAnswers() async throws {
        try await MotoTestSandbox.with(scenario: "seed") { sandbox, parameters in
            let runner = sandbox.runner()
            let deleted = await runner.run(CommandRequest(argv: ["aws", "logs", "delete-log-group", "--log-group-name", ScenarioSeeder.logGroup]))
            #expect(deleted.failure == nil)
            let session = try await Self.run(parameters, effects: runner)
            let ids = Self.ran(session).map(\.id)
            #expect(ids.contains("read_trail_files.trail_log_objects#1"))
            #expect(ids.contains("read_trail_files.trail_log_file#1"))
            #expect(session.engine.state(of: "look_up_events").map { if case .failed = $0 { true } else { false } } == true)
            #expect(session.engine.captures["file_events"]?.arrayValue?.count == 1)
            let files = session.engine.captures["trail_log_files"]?.arrayValue ?? []
            #expect(files.first?["key"]?.stringValue?.hasPrefix("AWSLogs/\(MotoSandbox.accountID)/CloudTrail/\(MotoSandbox.region)/") == true)
            #expect(session.findings.decidingStatement == "DenyOutsideCorporateNetwork")
            #expect(session.nextStep() == .finished(.completed))
            try? FileManager.default.removeItem(atPath: session.downloadDirectory)
        }
    }
}
