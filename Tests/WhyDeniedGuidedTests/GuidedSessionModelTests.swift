import Foundation
import Testing
import WhyDeniedGuided
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTUI

/// The guided session model alone: messages in, work out, as data. No driver, no files, no
/// process: the answers a performer would give are written here.
@Suite struct GuidedSessionModelTests {
    static let parameters = [
        "principal": "arn:aws:iam::111122223333:user/ci-deployer",
        "time_frame": "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z",
        "region": "us-east-1",
    ]
    static let folder = SessionFolder(id: "20261123-110300-4f2a", url: URL(fileURLWithPath: "/nonexistent/sessions/20261123-110300-4f2a"))
    static let callerARN = "arn:aws:iam::111122223333:user/ci-deployer"

    static func runbook() throws -> Runbook {
        try RunbookLoader.load(contentsOf: GuidedFlowTests.Stage.runbookPath, classifier: CommandClassifier.bundled)
    }

    static func ok(_ request: CommandRequest, _ stdout: String) -> CommandOutcome {
        CommandOutcome(argv: request.argv, stdout: stdout, ending: .exited(0), durationMilliseconds: 7)
    }

    static func failed(_ request: CommandRequest, _ stderr: String, exit: Int32 = 255) -> CommandOutcome {
        CommandOutcome(argv: request.argv, stderr: stderr, ending: .exited(exit), durationMilliseconds: 7,
                       failure: CommandFailure.classify(stderr: stderr, exitCode: exit, argv: request.argv))
    }

    /// The events among `work`'s journal writes, in order (a finished command as its `finished` kind).
    static func journaled(_ work: [GuidedSessionWork]) -> [String] {
        work.flatMap { item -> [String] in
            guard case .journal(let writes) = item else { return [] }
            return writes.map { write in
                switch write {
                case .event(let event): event.kind
                case .commandFinished: "finished"
                case .changeApplied: "change_applied"
                }
            }
        }
    }

    static func writes(_ work: [GuidedSessionWork]) -> [JournalWrite] {
        work.flatMap { item -> [JournalWrite] in if case .journal(let writes) = item { writes } else { [] } }
    }

    static func shown(_ work: [GuidedSessionWork]) -> [Message] {
        work.flatMap { item -> [Message] in if case .show(let messages) = item { messages } else { [] } }
    }

    static func view(_ work: [GuidedSessionWork]) -> SessionView? {
        shown(work).compactMap { if case .sessionChanged(let view) = $0 { view } else { nil } }.last
    }

    /// The model started and its tool check answered: `get-caller-identity` at the gate.
    static func atTheFirstGate() throws -> (GuidedSessionModel, CommandProposal) {
        var model = GuidedSessionModel(environment: [:])
        _ = model.update(.start(parameters: parameters, origins: [:], denial: nil, now: Date(timeIntervalSince1970: 1_795_395_600)))
        _ = model.update(.runbookLoaded(try runbook()))
        let opened = model.update(.journalOpened(folder))
        guard case .checkTools(let request)? = opened.last else {
            Issue.record("no tool check: \(opened)")
            return (model, CommandProposal(id: "", stepID: "", argv: [], why: ""))
        }
        let work = model.update(.toolsChecked(request, missing: []))
        let proposal = try #require(view(work)?.proposal)
        return (model, proposal)
    }

    @Test func startingAsksForTheRunbookThenTheConnectionAndTheJournal() throws {
        var model = GuidedSessionModel(sandbox: true, environment: [:])
        let first = model.update(.start(parameters: Self.parameters, origins: [:], denial: nil, now: Date()))
        guard case .loadRunbook? = first.first, first.count == 1 else { Issue.record("\(first)"); return }
        #expect(model.isWaiting)
        let loaded = model.update(.runbookLoaded(try Self.runbook()))
        guard loaded.count == 2, case .connect(let connection) = loaded[0], case .openJournal = loaded[1] else {
            Issue.record("\(loaded)"); return
        }
        #expect(connection.region == "us-east-1")

        // The journal opened: the session's start is written, then the first step's tools are asked for.
        let opened = model.update(.journalOpened(Self.folder))
        #expect(Self.journaled(opened).prefix(2) == ["session_started", "connection"])
        #expect(Self.journaled(opened).filter { $0 == "parameter_set" }.count == Self.parameters.count)
        guard case .checkTools(let request)? = opened.last else { Issue.record("\(opened)"); return }
        #expect(request.tools.contains("aws"))
        #expect(model.session?.downloadDirectory == Self.folder.url.appendingPathComponent("downloads").path)

        // Tools there: the first command waits at the gate, proposed in the journal, nothing run.
        let checked = model.update(.toolsChecked(request, missing: []))
        #expect(Self.journaled(checked) == ["tools_checked", "proposed"])
        #expect(!checked.contains { if case .run = $0 { true } else { false } }, "nothing runs before the operator confirms")
        #expect(Self.view(checked)?.proposal?.argv.prefix(3) == ["aws", "sts", "get-caller-identity"])
        #expect(!model.isWaiting)
    }

    @Test func aMissingParameterFailsTheStartWithoutAJournal() throws {
        var model = GuidedSessionModel(environment: [:])
        _ = model.update(.start(parameters: ["region": "us-east-1"], origins: [:], denial: nil, now: Date()))
        let loaded = model.update(.runbookLoaded(try Self.runbook()))
        guard case .sessionFailed(let said)? = Self.shown(loaded).first else { Issue.record("\(loaded)"); return }
        #expect(said.hasPrefix("Missing: "))
        #expect(!loaded.contains { if case .openJournal = $0 { true } else { false } })
    }

    /// The confirmed command: its confirmation and start journaled before the run is asked for;
    /// its outcome as a message: the output saved under the next number, who ran the session,
    /// the next command at the gate.
    @Test func aConfirmedCommandRunsAndItsOutcomeComesBackAsAMessage() throws {
        var (model, proposal) = try Self.atTheFirstGate()
        let confirmed = model.update(.run(proposal))
        #expect(Self.journaled(confirmed) == ["confirmed", "started"])
        guard case .run(let request)? = confirmed.last else { Issue.record("\(confirmed)"); return }
        #expect(request.argv == proposal.argv)
        #expect(model.isWaiting)

        let answered = model.update(.commandFinished(Self.ok(request, #"{"Arn": "\#(Self.callerARN)", "Account": "111122223333"}"#)))
        let writes = Self.writes(answered)
        guard case .commandFinished(let ref, let exitCode, _, let stdout, let stderr)? = writes.first else {
            Issue.record("\(writes)"); return
        }
        #expect(ref.step == proposal.stepID && exitCode == 0 && stderr == nil)
        #expect(stdout.name == "0001-\(proposal.id).stdout.txt")
        #expect(writes.contains(.event(.operatorIdentified(callerARN: Self.callerARN))))
        guard case .commandFinished(let output)? = Self.shown(answered).first else { Issue.record("\(answered)"); return }
        #expect(output.proposal == proposal && output.exitCode == 0)
        let next = try #require(Self.view(answered)?.proposal)
        #expect(next.id != proposal.id)
        #expect(Self.view(answered)?.context.caller == Self.callerARN)
    }

    /// A skipped read: journaled with its reason; the next command comes to the gate.
    @Test func aSkippedReadIsJournaledWithItsReason() throws {
        var (model, proposal) = try Self.atTheFirstGate()
        let skipped = model.update(.skip(proposal, reason: "not today"))
        let writes = Self.writes(skipped)
        #expect(writes.first == .event(.commandSkipped(SessionJournal.ref(proposalID: proposal.id, step: proposal.stepID), reason: "not today")))
        #expect(!skipped.contains { if case .run = $0 { true } else { false } })
    }

    /// A failure that is not the credentials' halts the first step: the journal says the step
    /// failed and the session ended there; `r` proposes the failed command again.
    @Test func aHaltIsJournaledAsTheSessionsEndAndCanBeTriedAgain() throws {
        var (model, proposal) = try Self.atTheFirstGate()
        guard case .run(let request)? = model.update(.run(proposal)).last else { Issue.record("not run"); return }
        let halted = model.update(.commandFinished(Self.failed(request, "\nCould not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n")))
        let kinds = Self.journaled(halted)
        #expect(kinds.suffix(2) == ["step_failed", "session_ended"], "\(kinds)")
        let view = try #require(Self.view(halted))
        #expect(view.retryableStep == proposal.stepID)
        #expect(view.proposal == nil)
        // Ended once: closing the UI now journals nothing more.
        #expect(Self.journaled(model.update(.end(reason: "quit"))).isEmpty)

        let again = model.update(.retryFailedStep(stepID: proposal.stepID))
        #expect(Self.view(again)?.proposal?.argv == proposal.argv)
        #expect(Self.journaled(again) == ["proposed"])
        // The failed command answers now: the journal says the step completed, as the screen does.
        guard case .run(let retried)? = model.update(.run(proposal)).last else { Issue.record("not run again"); return }
        let answered = model.update(.commandFinished(Self.ok(retried, #"{"Arn": "\#(Self.callerARN)"}"#)))
        #expect(Self.writes(answered).contains(.event(.stepCompleted(step: proposal.stepID))), "\(Self.journaled(answered))")
        #expect(Self.view(answered)?.steps.first { $0.id == proposal.stepID }?.status == .done)
        // Going on, its end is journaled again when it comes.
        #expect(Self.journaled(model.update(.end(reason: "quit"))).last == "session_ended")
    }

    /// The model holds the session: one copy fed a success goes on to the next command, the
    /// other fed a credentials failure asks for the profiles and waits on the operator.
    @Test func copiesOfTheModelDivergeWithTheirOutcomes() throws {
        var (model, proposal) = try Self.atTheFirstGate()
        guard case .run(let request)? = model.update(.run(proposal)).last else { Issue.record("not run"); return }
        var refused = model

        let succeeded = model.update(.commandFinished(Self.ok(request, #"{"Arn": "\#(Self.callerARN)"}"#)))
        #expect(Self.view(succeeded)?.proposal?.id != proposal.id)

        let noCredentials = refused.update(.commandFinished(Self.failed(
            request, "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n", exit: 253)))
        guard case .listProfiles? = noCredentials.last else { Issue.record("\(noCredentials)"); return }
        let offered = refused.update(.profilesListed(["audit", "dev"]))
        #expect(Self.view(offered)?.credentials?.profiles == ["audit", "dev"])
        #expect(Self.view(offered)?.finished == false)
        #expect(!Self.journaled(noCredentials + offered).contains("session_ended"), "halted on the credentials, not over")

        // A picked profile: a new connection, journaled, and the check proposed again.
        let picked = refused.update(.checkCredentials(profile: "dev"))
        guard case .connect(let connection)? = picked.first else { Issue.record("\(picked)"); return }
        #expect(connection.profile == "dev")
        #expect(Self.journaled(picked).first == "connection")
        #expect(Self.view(picked)?.proposal?.argv == proposal.argv)
        #expect(model.connection?.profile == nil, "the other copy kept its own connection")
    }

    /// A change, then the read that verifies it.
    static let changeRunbook = """
    schema: whydenied/runbook@1
    id: one-change
    title: One change
    parameters:
      - {name: bucket, label: Bucket, required: true}
    steps:
      - id: change
        title: Change
        guidance: Makes the bucket, then looks at it.
        commands:
          - id: make
            why: the bucket
            argv: [aws, s3, mb, "s3://{{params.bucket}}"]
            mutates: true
          - id: verify
            why: it is there
            argv: [aws, s3api, head-bucket, --bucket, "{{params.bucket}}"]
    """

    /// A declined change: journaled as declined with the reason, nothing run; its step's
    /// verification is skipped (nothing changed) and journaled so; `r` offers it again.
    @Test func aDeclinedChangeIsJournaledAndItsVerificationSkipped() throws {
        var model = GuidedSessionModel(environment: [:])
        _ = model.update(.start(parameters: ["bucket": "artifacts"], origins: [:], denial: nil, now: Date()))
        _ = model.update(.runbookLoaded(try RunbookLoader.load(text: Self.changeRunbook, file: "one-change.yaml",
                                                               classifier: CommandClassifier.bundled)))
        let opened = model.update(.journalOpened(Self.folder))
        let change = try #require(Self.view(opened)?.proposal)
        #expect(change.mutates && change.argv.prefix(3) == ["aws", "s3", "mb"])

        let declined = model.update(.skip(change, reason: "declined by the operator"))
        #expect(!declined.contains { if case .run = $0 { true } else { false } })
        let writes = Self.writes(declined)
        #expect(writes.first == .event(.commandDeclined(CommandRef(step: "change", command: "make"), reason: "declined by the operator")))
        #expect(writes.contains(.event(.commandSkipped(CommandRef(step: "change", command: "verify"),
                                                      reason: GuidedSession.declinedChangeSkipReason))))
        #expect(Self.journaled(declined).suffix(2) == ["step_completed", "session_ended"])
        #expect(Self.view(declined)?.declinedChangeStep == "change")

        let again = model.update(.offerChangeAgain(stepID: "change"))
        #expect(Self.view(again)?.proposal?.id == change.id)
        #expect(Self.view(again)?.declinedChangeStep == nil)
    }

    @Test func changesEnabledAreJournaledOnceAndExportNeedsAJournal() throws {
        var (model, _) = try Self.atTheFirstGate()
        #expect(Self.journaled(model.update(.setChangesEnabled(true))) == ["changes_enabled"])
        #expect(Self.journaled(model.update(.setChangesEnabled(true))).isEmpty)
        guard case .exportReport? = model.update(.exportReport).first else { Issue.record("no export asked"); return }

        var unjournaled = GuidedSessionModel(environment: [:])
        _ = unjournaled.update(.start(parameters: Self.parameters, origins: [:], denial: nil, now: Date()))
        _ = unjournaled.update(.runbookLoaded(try Self.runbook()))
        let failed = unjournaled.update(.journalFailed("read-only file system"))
        #expect(Self.journaled(failed).isEmpty)
        #expect(Self.shown(unjournaled.update(.exportReport)) == [.notice("Nothing to export: the session is not journaled.")])
    }

    /// After a signal, the end the session reaches is journaled with the signal's name.
    @Test func anInterruptedSessionEndsWithTheSignal() throws {
        var (model, _) = try Self.atTheFirstGate()
        _ = model.update(.interrupted(endReason: "cancelled by SIGTERM"))
        let ended = model.update(.end(reason: "quit"))
        let writes = Self.writes(ended)
        #expect(writes.last == .event(.sessionEnded(reason: "cancelled by SIGTERM")))
    }
}
