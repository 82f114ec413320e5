import Foundation
import Testing
import WhyDeniedRunbook
import WhyDeniedSession

/// `GuidedSession.advance`, the one automatic stepping loop the headless run and the guided
/// driver share: where it stops, what it journals, and the reads it passes over.
@Suite struct SessionAdvanceTests {
    static func session(readOnly: Bool) throws -> GuidedSession {
        GuidedSession(runbook: try RunbookFixture.loaded(), parameters: CIDeployerCase.parameters,
                      now: GuidedSessionTests.now, readOnly: readOnly)
    }

    static func journal() throws -> (SessionJournal, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-advance-\(UUID().uuidString.prefix(8))")
        return (try SessionJournal.create(in: SessionStore(root: root)), root)
    }

    static func kinds(_ journal: SessionJournal) throws -> [String] {
        try JournalReading(contentsOf: journal.folder.journalURL).entries.map(\.event.kind)
    }

    /// The tool check is done and journaled on its own; the first command waits at the gate,
    /// journaled as proposed and not run.
    @Test func itStopsAtTheFirstCommandWithTheToolCheckBehindIt() async throws {
        var session = try Self.session(readOnly: false)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let (journal, root) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: root) }
        var heard: [SessionAdvanceEvent] = []
        let reached = await session.advance(effects: aws, journal: journal) { heard.append($0) }

        guard case .command(let command, let request) = reached else { Issue.record("stopped at \(reached)"); return }
        #expect(command.argv.prefix(3) == ["aws", "sts", "get-caller-identity"])
        #expect(request.argv == command.argv)
        #expect(aws.calls.isEmpty, "nothing runs before the gate")
        #expect(heard.count == 1)
        if case .toolsChecked(_, let missing)? = heard.first { #expect(missing.isEmpty) } else { Issue.record("heard \(heard)") }
        #expect(try Self.kinds(journal) == ["tools_checked", "proposed"])
        // Asked again without an answer, it stops at the same command and proposes it again.
        #expect(await session.advance(effects: aws, journal: nil) == reached)
    }

    /// After the operator declined a change, the reads of its step (its verification) are
    /// skipped with the reason, journaled, and the session goes on to its end.
    @Test func readsAfterADeclinedChangeAreSkippedWithTheReason() async throws {
        var session = try Self.session(readOnly: false)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let (journal, root) = try Self.journal()
        defer { try? FileManager.default.removeItem(at: root) }
        var declined: String?
        var heard: [SessionAdvanceEvent] = []
        var reached = await session.advance(effects: aws, journal: journal)
        while case .command(let command, let request) = reached {
            if command.mutates {
                session.skip(command, reason: "declined by the operator")
                declined = command.stepID
            } else {
                session.record(await aws.run(request), for: command)
            }
            reached = await session.advance(effects: aws, journal: journal, declinedChangeStep: declined) { heard.append($0) }
        }
        #expect(reached == .finished(.completed))
        let step = try #require(declined)
        let skipped = heard.compactMap { event -> ProposedCommand? in
            if case .skippedAfterDeclinedChange(let command, let reason) = event {
                #expect(reason == GuidedSession.declinedChangeSkipReason)
                return command
            }
            return nil
        }
        #expect(!skipped.isEmpty, "no read after the declined change was passed over")
        #expect(skipped.allSatisfy { $0.stepID == step && !$0.mutates })
        #expect(!aws.operations().contains("iam simulate-principal-policy"), "the verification did not run")
        let entries = try JournalReading(contentsOf: journal.folder.journalURL).entries
        let reasons = entries.compactMap { entry -> String? in
            if case .commandSkipped(_, let reason) = entry.event { return reason }
            return nil
        }
        #expect(reasons.contains(GuidedSession.declinedChangeSkipReason))
    }

    /// In a read-only session a change is refused inside `advance` (never offered), with the
    /// rest of its step, and each refusal is journaled.
    @Test func aReadOnlySessionRefusesTheChangeWithoutStopping() async throws {
        var session = try Self.session(readOnly: true)
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        var refused: [ProposedCommand] = []
        var reached = await session.advance(effects: aws, journal: nil)
        while case .command(let command, let request) = reached {
            #expect(!command.mutates, "a change came to the gate: \(command.argv)")
            session.record(await aws.run(request), for: command)
            reached = await session.advance(effects: aws, journal: nil) { event in
                if case .refusedChange(let command, _) = event { refused.append(command) }
            }
        }
        #expect(reached == .finished(.completed))
        #expect(refused.map { Array($0.argv.prefix(3)) } == [["aws", "iam", "put-user-policy"]])
    }

    /// Cancellation stops between automatic steps only when asked (the headless run); the
    /// guided driver goes on after a cancelled command.
    @Test func aCancelledTaskStopsOnlyWhenAsked() async throws {
        let runbook = try RunbookFixture.loaded()
        let aws = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let task = Task { () -> (SessionStop, SessionStop) in
            withUnsafeCurrentTask { $0?.cancel() }
            var first = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
            var second = first
            return (await first.advance(effects: aws, journal: nil, stopsWhenCancelled: true),
                    await second.advance(effects: aws, journal: nil))
        }
        let (stopping, going) = await task.value
        #expect(stopping == .cancelled)
        guard case .command = going else { Issue.record("without stopsWhenCancelled it stopped at \(going)"); return }
    }
}
