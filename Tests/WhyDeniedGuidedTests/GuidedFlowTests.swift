import Foundation
import Testing
import WhyDeniedGuided
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession
import WhyDeniedTestSupport
import WhyDeniedTUI

/// The guided session driven in memory, as the TUI drives it (keys through `Guided.update`, its
/// effects carried out by `GuidedSessionDriver`), against the commands a live run of each
/// sandbox scenario recorded (`ScenarioRecordings`): no terminal, no `aws`, no moto per test.
/// No time limit: a test waits its turn in the recordings' queue, which in the whole run is
/// behind every other scenario (CI: up to 11 minutes), and a limit would count that wait.
@Suite(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (the scenarios are recorded live once)"))
struct GuidedFlowTests {
    /// A driver on `effects`, journaling under a fresh state folder; `connections` hears every
    /// connection the driver asks an executor for (a profile picked after a credentials failure).
    final class Stage: @unchecked Sendable {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-guided-\(UUID().uuidString.prefix(8))")
        let lock = NSLock()
        private var asked: [AWSConnection] = []
        var connections: [AWSConnection] { lock.withLock { asked } }

        func driver(_ effects: RecordedEffects, recording: ScenarioRecording, profiles: [String] = []) -> GuidedSessionDriver {
            let edges = GuidedSessionEdges(
                loadRunbook: { try RunbookLoader.load(contentsOf: Self.runbookPath, classifier: CommandClassifier.bundled) },
                connect: { [self] connection in
                    lock.withLock { asked.append(connection) }
                    return effects
                },
                configuredProfiles: { _ in profiles })
            return GuidedSessionDriver(options: GuidedSessionOptions(endpointURL: recording.endpointURL, sandbox: true),
                                       environment: ["XDG_STATE_HOME": state.path], edges: edges)
        }

        static var runbookPath: String {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Runbooks/access-denied.yaml").path
        }

        func journal(_ driver: GuidedSessionDriver) async throws -> RecordedSession {
            let folder = try #require(await driver.folder, "the session was not journaled")
            return RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        }

        deinit { try? FileManager.default.removeItem(at: state) }
    }

    static func start(_ flow: inout GuidedFlow, _ recording: ScenarioRecording) async {
        await flow.perform(.startSession(parameters: recording.parameters, origins: [:], denial: nil))
    }

    static let unreachable = RecordedEffects.failure("\nCould not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n", exit: 255)
    static let noCredentials = RecordedEffects.failure(
        "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n", exit: 253)

    /// The seed case walked as an operator walks it: every read-only command confirmed at the
    /// gate, each answered from the recording, up to the recommendation, which names the bucket
    /// policy's explicit deny; the journal has every command and the session's end.
    @Test func theSeedScenarioIsWalkedToARecommendation() async throws {
        let recording = try await ScenarioRecordings.shared.recording("seed")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        #expect(flow.view.proposal?.argv.prefix(3) == ["aws", "sts", "get-caller-identity"], "\(flow.state.status ?? "")")
        #expect(effects.operations.isEmpty, "nothing runs before the operator confirms")

        let met = await flow.confirmEachCommand()
        let view = flow.view
        #expect(view.finished && !view.stopped, "\(view.notice ?? "")\n\(flow.screen)")
        #expect(met.filter { !$0.mutates }.count >= 5)
        // Every command the walk ran was answered by the live run's recording (none invented).
        #expect(effects.unanswered.isEmpty, "\(effects.unanswered)")
        #expect(view.findings.count == 1 && view.findings.first?.action == "s3:GetObject")
        #expect(view.explanation.contains { $0.contains("Explicit deny in a resource-based policy") }, "\(view.explanation)")
        #expect(view.explanation.contains { $0.contains("DenyOutsideCorporateNetwork") })
        #expect(view.recommendation != nil)
        #expect(flow.row("recommend")?.status == .done)
        #expect(view.context.account == "123456789012")
        #expect(flow.screen.contains("Session complete."), "\(flow.screen)")
        // One `commandFinished` per command run, in the order they ran.
        let finished = flow.answers.compactMap { if case .commandFinished(let output) = $0 { output.proposal.id } else { nil } }
        #expect(finished == met.filter { !$0.mutates }.map(\.id))

        let journal = try await stage.journal(flow.driver)
        #expect(journal.endReason == "completed")
        #expect(journal.commands.filter { $0.outcome != nil }.count == finished.count)
        #expect(journal.steps.first { $0.id == "recommend" }?.status == .completed)

        // `e` once nothing waits: the report is written into the session folder, and says so.
        await flow.press(.character("e"))
        let folder = try #require(await flow.driver.folder)
        #expect(flow.state.status?.hasPrefix("Report written to \(folder.url.path)") == true, "\(flow.state.status ?? "")")
        let report = try String(contentsOf: folder.url.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("DenyOutsideCorporateNetwork"))
        #expect(report.contains("| Changes enabled | no |"))
    }

    /// A step that failed and let the session go on (✗) is tried again from the step list
    /// (Tab, select it, `r`): its failed command comes to the gate, what answered before is not
    /// asked again, and the step ends ✓ with the session.
    @Test func aFailedStepTheSessionPassedIsTriedAgainFromTheStepList() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        effects.script("iam list-attached-user-policies", RecordedEffects.failure(
            "\nAn error occurred (Throttling) when calling the ListAttachedUserPolicies operation (reached max retries: 4): Rate exceeded\n"))
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        await flow.confirmEachCommand()
        #expect(flow.view.finished)
        let failed = try #require(flow.row("check_iam"))
        #expect(failed.status == .failed && failed.retryable, "\(failed)")
        let reads = effects.operations.count

        await flow.press(.tab)
        for _ in flow.view.steps { await flow.press(.character("k")) }
        let index = try #require(flow.view.steps.firstIndex { $0.id == "check_iam" })
        for _ in 0..<index { await flow.press(.character("j")) }
        await flow.press(.character("r"))
        let again = try #require(flow.view.proposal, "nothing came to the gate: \(flow.state.status ?? "")")
        #expect(again.argv.prefix(3) == ["aws", "iam", "list-attached-user-policies"], "\(again.argv)")
        #expect(effects.operations.count == reads, "the reads that answered before were not asked again")
        await flow.confirmEachCommand()
        #expect(flow.row("check_iam")?.status == .done)
        #expect(flow.view.finished && !flow.view.stopped)
        #expect(try await stage.journal(flow.driver).endReason == "completed")
    }

    /// A read-only command skipped at the gate (`s`, a reason, Enter) is not run: the journal
    /// keeps the reason, the next command comes to the gate, and the session still ends.
    @Test func aSkippedReadIsJournaledWithItsReason() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        await flow.press(.enter)
        let skipped = try #require(flow.view.proposal)
        #expect(skipped.argv.prefix(3) == ["aws", "cloudtrail", "describe-trails"], "\(skipped.argv)")
        await flow.press(.character("s"))
        await flow.type("no trail access here")
        await flow.press(.enter)
        #expect(flow.view.proposal?.id != skipped.id)
        #expect(!effects.operations.contains("cloudtrail describe-trails"))
        await flow.confirmEachCommand()
        #expect(flow.view.finished)
        let journal = try await stage.journal(flow.driver)
        #expect(journal.commands.first { $0.ref == SessionJournal.ref(proposalID: skipped.id, step: skipped.stepID) }?.status
                == .skipped(reason: "no trail access here"))
        #expect(journal.endReason == "completed")
    }

    /// A change declined in its dialog is never run: the journal says declined, the reads after
    /// it in its step (the verification) are skipped with the reason, and `r` can offer it again.
    @Test func aDeclinedChangeSkipsItsVerificationWithTheReason() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        let met = await flow.confirmEachCommand(changes: .decline)
        let change = try #require(met.first { $0.mutates }, "no change was proposed")
        #expect(change.argv.prefix(3) == ["aws", "iam", "put-user-policy"])
        #expect(change.change?.after.contains("s3:PutObject") == true)
        #expect(!effects.operations.contains("iam put-user-policy"))
        #expect(!effects.operations.contains("iam simulate-principal-policy"), "nothing changed, so nothing is verified")
        #expect(flow.view.finished)
        #expect(flow.view.declinedChangeStep == change.stepID)

        let journal = try await stage.journal(flow.driver)
        #expect(journal.commands.first { $0.mutates }?.status == .declined(reason: "declined by the operator"))
        #expect(journal.changes.isEmpty)
        let verification = try #require(journal.commands.first { $0.ref.command == "verify_identity_fix" })
        #expect(verification.status == .skipped(reason: GuidedSession.declinedChangeSkipReason))
        #expect(journal.endReason == "completed")

        // `r` offers it again: the step starts over, its backup read first.
        await flow.press(.character("r"))
        #expect(flow.view.proposal?.stepID == change.stepID)
        #expect(flow.view.declinedChangeStep == nil)
    }

    /// A failed command halts the session in a step that stops on failure; once the cause is
    /// fixed, `r` proposes the failed command again, and on success the session goes on to its
    /// end (the journal's last end says so).
    @Test func aHaltedStepIsRetriedAfterTheCauseIsFixed() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        effects.script("sts get-caller-identity", Self.unreachable)
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        await flow.press(.enter)
        #expect(flow.view.retryableStep == "verify_dependencies")
        #expect(flow.view.credentials == nil, "an unreachable endpoint is not a credentials problem")
        #expect(flow.view.proposal == nil)
        #expect(flow.view.notice?.hasPrefix("Stopped in \"Verify dependencies\"") == true, "\(flow.view.notice ?? "")")
        #expect(flow.row("verify_dependencies")?.status == .failed)
        #expect(try await stage.journal(flow.driver).endReason?.hasPrefix("halted at verify_dependencies") == true)

        await flow.press(.character("r"))
        #expect(flow.view.retryableStep == nil)
        #expect(flow.view.proposal?.argv.prefix(3) == ["aws", "sts", "get-caller-identity"])
        await flow.press(.enter)
        #expect(flow.row("verify_dependencies")?.status == .done)
        await flow.confirmEachCommand()
        #expect(flow.view.finished && !flow.view.stopped)
        #expect(effects.operations.filter { $0 == "sts get-caller-identity" }.count == 2)
        #expect(try await stage.journal(flow.driver).endReason == "completed")
    }

    /// Credentials the CLI cannot find halt the session on its first command without a dead
    /// end: the profiles are offered; `r` checks again as before (still none: the box stays);
    /// a picked profile is used by every later command (a new connection, journaled), the check
    /// runs again at once, and the session goes on.
    @Test func theCredentialsHaltOffersProfilesAndGoesOnWithThePickedOne() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        effects.script("sts get-caller-identity", Self.noCredentials, Self.noCredentials)
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording, profiles: ["audit", "dev"]))
        await Self.start(&flow, recording)
        await flow.press(.enter)
        let check = try #require(flow.view.credentials, "no credentials check: \(flow.view.notice ?? "")")
        #expect(check.problem == .missing)
        #expect(check.profiles == ["audit", "dev"])
        #expect(!flow.view.finished, "halted on the credentials, not over")
        #expect(flow.screen.contains("No AWS credentials"), "\(flow.screen)")
        #expect(try await stage.journal(flow.driver).endReason == nil, "the session has not ended")

        // Checked again as before: the same connection, still no credentials, the box again.
        await flow.press(.character("r"))
        #expect(effects.operations.filter { $0 == "sts get-caller-identity" }.count == 2)
        #expect(flow.view.credentials?.profiles == ["audit", "dev"])
        #expect(stage.connections.count == 1)

        await flow.press(.down, .enter)
        #expect(flow.view.credentials == nil)
        #expect(stage.connections.map(\.profile) == [nil, "dev"])
        #expect(flow.view.context.profile == "dev")
        // The check ran again at once, and the session went on.
        #expect(effects.operations.filter { $0 == "sts get-caller-identity" }.count == 3)
        #expect(flow.row("verify_dependencies")?.status == .done)
        await flow.confirmEachCommand()
        #expect(flow.view.finished && !flow.view.stopped)
        let journal = try await stage.journal(flow.driver)
        #expect(journal.connection?.profile == "dev")
        #expect(journal.endReason == "completed")
    }

    /// A change applied with changes enabled: the optional simulator after it fails (moto has
    /// none), which is noted, and the step still ends ✓; the rollback is said in full.
    @Test func anOptionalCommandsFailureLeavesTheStepDone() async throws {
        let recording = try await ScenarioRecordings.shared.recording("user-no-allow")
        let stage = Stage()
        let effects = RecordedEffects(recording)
        effects.unrecorded("iam put-user-policy", RecordedEffects.success(""))
        effects.unrecorded("iam simulate-principal-policy", RecordedEffects.failure(
            "\nAn error occurred (500) when calling the SimulatePrincipalPolicy operation (reached max retries: 0): Internal Server Error\n"))
        var flow = GuidedFlow(driver: stage.driver(effects, recording: recording))
        await Self.start(&flow, recording)
        await flow.press(.function(4))
        await flow.press(.character("y"))
        #expect(flow.state.changesEnabled)
        let met = await flow.confirmEachCommand(changes: .apply)
        let change = try #require(met.first { $0.mutates })
        #expect(effects.operations.contains("iam put-user-policy"))
        #expect(effects.operations.contains("iam simulate-principal-policy"))
        let simulation = try #require(flow.view.outputs.last { $0.proposal.argv.contains("simulate-principal-policy") })
        #expect(simulation.exitCode != 0)
        let row = try #require(flow.row(change.stepID))
        #expect(row.status == .done, "the step is ✓ though its optional check failed: \(row.why ?? "")")
        #expect(row.why?.contains("an optional check failed") == true)
        #expect(!row.retryable, "starting it over would propose the applied change again")
        #expect(flow.view.explanation.contains { $0.contains("verify_identity_fix") || $0.contains("simulate") },
                "the failure is noted: \(flow.view.explanation)")
        #expect(flow.view.finished && !flow.view.stopped)

        let journal = try await stage.journal(flow.driver)
        let applied = try #require(journal.changes.first)
        #expect(applied.rollbackArgv.first?.prefix(3) == ["aws", "iam", "delete-user-policy"])
        #expect(journal.steps.first { $0.id == change.stepID }?.status == .completed)
        #expect(journal.endReason == "completed")
    }
}
