import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// Issue 16 §2: a failed command in a step that let the session go on (`on_failure: continue`)
/// can be tried again once the operator fixed the cause. The step starts over: its failed
/// commands run again, what answered before is not asked again, and the later steps, the
/// analyses and the findings take the new outcome.
@Suite struct StepRetryTests {
    static let denied = GuidedFakeAWS.error(
        "\nAn error occurred (AccessDenied) when calling the ListAttachedUserPolicies operation: User: arn:aws:iam::111122223333:user/auditor "
        + "is not authorized to perform: iam:ListAttachedUserPolicies\n")

    /// The CI deployer case with the identity policies' listing denied: check_iam fails, the session goes on.
    static func failedListing(readOnly: Bool = true) async throws -> (GuidedSession, GuidedFakeAWS) {
        let runbook = try RunbookFixture.loaded()
        var session = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now,
                                    readOnly: readOnly)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("iam list-attached-user-policies", denied)
        await session.runHeadless(effects: aws) { _ in }
        return (session, aws)
    }

    @Test func aPassedFailureIsRetriedAndTheFindingsTakeTheNewOutcome() async throws {
        var (session, aws) = try await Self.failedListing()
        #expect(session.engine.state(of: "check_iam") == .completedWithFailures)
        #expect(session.retryableSteps == ["check_iam"])
        #expect(session.engine.captures["managed_policies"] == nil)
        #expect(session.notes.contains { $0.hasPrefix("check_iam.attached_user_policies: ") })
        #expect(session.nextStep() == .finished(.completed))
        let notFailed = session.retryFailedStep("check_trails")
        #expect(!notFailed, "a step that did not fail is not retried")

        // The operator fixed the cause.
        aws.setAnswer("iam list-attached-user-policies", CIDeployerCase.answers()["iam list-attached-user-policies"]!)
        let ranBefore = aws.calls.count
        let transcriptBefore = session.transcript.count
        let retried = session.retryFailedStep("check_iam")
        #expect(retried)
        var lines: [String] = []
        await session.runHeadless(effects: aws) { lines.append($0) }

        let again = Array(aws.operations()[ranBefore...])
        #expect(again.first == "iam list-attached-user-policies", "\(again)")
        // New reads the listing made possible run; what answered before is taken as it was.
        #expect(again.contains("iam get-policy-version"))
        for answered in ["iam get-user", "iam list-user-policies", "s3api get-bucket-policy", "sts get-caller-identity", "logs filter-log-events"] {
            #expect(!again.contains(answered), "\(answered) answered before: not asked again (\(again))")
        }
        #expect(lines.contains { $0.hasPrefix("  answered before, not asked again: aws iam get-user") })
        let ranAgain = session.transcript[transcriptBefore...].filter { if case .ran = $0.result { true } else { false } }
        #expect(ranAgain.count == again.count, "the transcript has what ran again, not what was reused")

        #expect(session.engine.state(of: "check_iam") == .completed)
        #expect(session.retryableSteps.isEmpty)
        #expect(session.engine.captures["managed_policies"]?[0]?["document"]?["Statement"]?[0]?["Sid"]?.stringValue == "ListArtifacts")
        #expect(!session.notes.contains { $0.hasPrefix("check_iam.attached_user_policies: ") }, "the failure's note is taken back")
        // The later analysis ran again with the identity policy read: the same verdict and fix as a clean run.
        #expect(session.findings.verdict == .implicitDeny)
        #expect(session.findings.fix?.policiesToAdd.first?.policy["Statement"]?[0]?["Action"]?.stringValue == "s3:PutObject")
        #expect(session.nextStep() == .finished(.completed))
    }

    /// A read answered before and taken again while the step is tried again is journaled as a
    /// run is: the captures it sets again (parsed anew, with the facts as they are now), so the
    /// journal of a retried session holds what the session holds.
    @Test func readsReusedOnARetryAreJournaled() async throws {
        var (session, aws) = try await Self.failedListing()
        aws.setAnswer("iam list-attached-user-policies", CIDeployerCase.answers()["iam list-attached-user-policies"]!)
        let retried = session.retryFailedStep("check_iam")
        #expect(retried)
        var journal = JournalRecorder()
        var reused: [ProposedCommand] = []
        advancing: while true {
            switch session.advance(journal: &journal, observe: { if case .reusedEarlierRead(let command) = $0 { reused.append(command) } }) {
            case .checkTools(let request):
                session.recordToolsChecked(request, missing: [], journal: &journal)
            case .command(let command, let request):
                let outcome = await aws.run(request)
                journal.finished(command, outcome: outcome)
                let before = session.engine.captures
                session.record(outcome, for: command)
                journal.captured(command, before: before, after: session.engine.captures)
            default:
                break advancing
            }
        }
        #expect(reused.contains { $0.argv.contains("get-user") }, "\(reused.map(\.id))")
        let captured = journal.takeWrites().compactMap { write -> (CommandRef, String)? in
            if case .event(.captured(let ref, let name, _)) = write { (ref, name) } else { nil }
        }
        for command in reused {
            for spec in command.captures where session.engine.captures[spec.name] != nil {
                #expect(captured.contains { $0.0 == SessionJournal.ref(command) && $0.1 == spec.name },
                        "\(command.id) set \(spec.name) again, unjournaled")
            }
        }
    }

    @Test func aFailureAgainLeavesTheStepRetryable() async throws {
        var (session, aws) = try await Self.failedListing()
        let ranBefore = aws.calls.count
        let retried = session.retryFailedStep("check_iam")
        #expect(retried)
        await session.runHeadless(effects: aws) { _ in }
        #expect(aws.operations()[ranBefore...].filter { $0 == "iam list-attached-user-policies" }.count == 1)
        #expect(session.engine.state(of: "check_iam") == .completedWithFailures)
        #expect(session.retryableSteps == ["check_iam"])
        #expect(session.notes.filter { $0.hasPrefix("check_iam.attached_user_policies: ") }.count == 1)
    }

    /// The notes after a retry are those of a session that never failed: the failure's own note
    /// and what the analyses said of the missing read ("SCPs not read …") are taken back, and
    /// nothing is said twice.
    @Test func aRetriedSessionSaysWhatACleanOneSays() async throws {
        let runbook = try RunbookFixture.loaded()
        let refused = GuidedFakeAWS.error(
            "\nAn error occurred (AccessDeniedException) when calling the DescribeOrganization operation: You don't have permissions to access this resource.\n")
        var session = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("iam list-attached-user-policies", Self.denied)
        aws.setAnswer("organizations describe-organization", refused)
        await session.runHeadless(effects: aws) { _ in }
        let failedNotes = session.notes

        var clean = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
        await clean.runHeadless(effects: GuidedFakeAWS(answers: CIDeployerCase.answers())) { _ in }

        aws.setAnswer("iam list-attached-user-policies", CIDeployerCase.answers()["iam list-attached-user-policies"]!)
        aws.setAnswer("organizations describe-organization", CIDeployerCase.answers()["organizations describe-organization"]!)
        let retried = session.retryFailedStep("check_iam")
        #expect(retried)
        await session.runHeadless(effects: aws) { _ in }
        #expect(Set(failedNotes) != Set(clean.notes), "the failed session said more: \(failedNotes)")
        #expect(Set(session.notes) == Set(clean.notes),
                "stale: \(Set(session.notes).subtracting(clean.notes).sorted())\nmissing: \(Set(clean.notes).subtracting(session.notes).sorted())")
        #expect(session.notes.count == Set(session.notes).count, "said twice: \(session.notes)")
    }

    /// Once the account changed, what was read before describes the old account: nothing is reused.
    @Test func readsFromBeforeAChangeRunAgain() async throws {
        let runbook = try RunbookFixture.loaded()
        var session = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: false)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        aws.setAnswer("cloudtrail get-event-selectors", GuidedFakeAWS.error(
            "\nAn error occurred (ThrottlingException) when calling the GetEventSelectors operation (reached max retries: 4): Rate exceeded\n"))
        aws.setAnswer("iam put-user-policy", GuidedFakeAWS.ok("{}"))
        await Self.runEverything(&session, aws: aws)
        #expect(aws.operations().contains("iam put-user-policy"), "the fix's change ran")
        #expect(session.retryableSteps == ["check_trails"])
        let ranBefore = aws.calls.count
        let retried = session.retryFailedStep("check_trails")
        #expect(retried)
        await Self.runEverything(&session, aws: aws)
        let again = Array(aws.operations()[ranBefore...])
        for read in ["cloudtrail describe-trails", "cloudtrail get-event-selectors", "iam get-user", "s3api get-bucket-policy"] {
            #expect(again.contains(read), "\(read) was read before the change: asked again (\(again))")
        }
    }

    /// Runs what the session proposes, changes included (as an operator confirming each would).
    static func runEverything(_ session: inout GuidedSession, aws: GuidedFakeAWS) async {
        for _ in 0..<1000 {
            let next = session.nextStep()
            if case .run(let command, _) = next, session.reuseEarlierRead(for: command) { continue }
            switch next {
            case .run(let command, let request): session.record(await aws.run(request), for: command)
            case .checkTools(let request): session.recordTools(step: request.stepID, missing: [])
            case .analyse(let request): session.runAnalysis(request)
            case .blocked(let blocked): session.skip(blocked)
            case .refuseMutation(let command): session.refuse(command)
            case .halted, .finished: return
            }
        }
    }
}
