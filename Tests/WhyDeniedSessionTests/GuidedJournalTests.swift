import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// A headless session with a `SessionJournal`: every event is on disk, outputs are saved
/// redacted with their digest, and a journal that cannot be written only costs a note.
@Suite struct GuidedJournalTests {
    static func store() -> SessionStore {
        SessionStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("guided-journal-\(UUID().uuidString.prefix(8))"))
    }

    @Test func everyEventIsJournaledInOrder() async throws {
        let store = Self.store()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let journal = try SessionJournal.create(in: store)
        var session = try GuidedSessionTests.session()
        var answers = CIDeployerCase.answers()
        // A secret in an output must never reach the disk.
        answers["sts get-caller-identity"] = GuidedFakeAWS.ok("""
            {"UserId": "AIDAAUDITOR", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/auditor",
             "Credentials": {"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                             "SessionToken": "FwoGZXIvYXdzEXAMPLETOKEN"}}
            """)
        let aws = GuidedFakeAWS(answers: answers)
        await session.runHeadless(effects: aws, journal: journal) { _ in }
        #expect(session.nextStep() == .finished(.completed))

        let reading = try JournalReading(contentsOf: journal.folder.journalURL)
        #expect(reading.notices.isEmpty)
        let kinds = reading.entries.map(\.event.kind)
        #expect(kinds.first == "session_started")
        #expect(kinds.last == "session_ended")
        for kind in ["parameter_set", "facts_learned", "tools_checked", "proposed", "confirmed", "started", "finished",
                     "captured", "command_skipped", "analysis"] {
            #expect(kinds.contains(kind), "no \(kind) event")
        }
        #expect(reading.entries.map(\.sequence) == Array(1...reading.entries.count))

        // Each command: proposed → confirmed → started → finished, nothing of another command between.
        var finished = 0
        for (index, entry) in reading.entries.enumerated() {
            guard case .commandFinished(let ref, let outcome) = entry.event else { continue }
            finished += 1
            let previous = reading.entries[index - 3...index - 1].map(\.event)
            #expect(previous.map(\.kind) == ["proposed", "confirmed", "started"])
            if case .commandStarted(let startedRef, let argv, _) = previous[2] {
                #expect(startedRef == ref)
                #expect(argv.first == "aws")
            }
            let path = try #require(outcome.stdoutPath)
            let data = try Data(contentsOf: journal.folder.resolve(path))
            #expect(SHA256DigestCheck.hex(data) == outcome.stdoutSHA256)
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
            #expect(!text.contains("FwoGZXIvYXdzEXAMPLETOKEN"))
        }
        #expect(finished == aws.calls.count)

        // foreach commands carry their item; the 500 of lookup-events is kept with its exit.
        let refs = reading.entries.compactMap { entry -> (CommandRef, JournaledOutcome)? in
            if case .commandFinished(let ref, let outcome) = entry.event { return (ref, outcome) } else { return nil }
        }
        #expect(refs.contains { $0.0.command == "trail_status" && $0.0.item == "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events" })
        #expect(refs.contains { $0.0.command == "lookup_events" && $0.1.exitCode == 254 })
        #expect(reading.entries.contains { entry in
            if case .captured(let ref, let name, let value) = entry.event {
                return ref.command == "describe_trails" && name == "trail_log_groups" && value == .array([.string(CIDeployerCase.logGroup)])
            }
            return false
        })
        #expect(reading.entries.contains { entry in
            if case .analysisRecorded(_, let name, let result) = entry.event { return name == "recommend_fix" && result["verdict"]?.stringValue == "implicit_deny" }
            return false
        })
        #expect(reading.entries.contains { entry in
            if case .factsLearned(let step, let facts) = entry.event { return step == "parse_events" && facts["denial.action"]?.stringValue == "s3:PutObject" }
            return false
        })
        #expect(reading.entries.contains { entry in
            if case .parameterSet(let name, _, let origin, _) = entry.event { return name == "principal" && origin.source == .commandLine }
            return false
        })

        // The journal reads back as a recorded session another driver can resume from.
        let recorded = RecordedSession(id: journal.id, reading: reading)
        #expect(recorded.runbook == "access-denied")
        #expect(recorded.commands.count >= finished)
        #expect(recorded.endReason == "completed")
    }

    @Test func aJournalThatCannotBeWrittenIsANoteNotACrash() async throws {
        let store = Self.store()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let journal = try SessionJournal.create(in: store)
        // A file where the outputs folder should be: every output save fails.
        _ = FileManager.default.createFile(atPath: journal.folder.outputsURL.path, contents: Data("x".utf8))
        var session = try GuidedSessionTests.session()
        await session.runHeadless(effects: GuidedFakeAWS(answers: CIDeployerCase.answers()), journal: journal) { _ in }
        #expect(session.nextStep() == .finished(.completed))
        #expect(session.findings.verdict != nil)
        let journalNotes = session.notes.filter { $0.hasPrefix("journal ") && $0.contains("could not save output") }
        #expect(!journalNotes.isEmpty)
        // The events themselves are still journaled, without output paths.
        let reading = try JournalReading(contentsOf: journal.folder.journalURL)
        #expect(reading.entries.contains { $0.event.kind == "finished" })
    }

    @Test func parameterOriginsAreJournaled() async throws {
        let store = Self.store()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let journal = try SessionJournal.create(in: store)
        journal.parameterOrigins = ["principal": ParameterOrigin(source: .defaultValue, detail: "demo scenario seed")]
        let session = try GuidedSessionTests.session()
        journal.sessionStarted(session, origins: ["region": ParameterOrigin(source: .typed)])
        let reading = try JournalReading(contentsOf: journal.folder.journalURL)
        var origins: [String: ParameterOrigin] = [:]
        for entry in reading.entries {
            if case .parameterSet(let name, _, let origin, _) = entry.event { origins[name] = origin }
        }
        #expect(origins["principal"] == ParameterOrigin(source: .defaultValue, detail: "demo scenario seed"))
        #expect(origins["region"] == ParameterOrigin(source: .typed))
        #expect(origins["time_frame"] == ParameterOrigin(source: .commandLine))
    }

    @Test func downloadsGoToTheSessionFolder() async throws {
        let store = Self.store()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let journal = try SessionJournal.create(in: store)
        var session = try GuidedSessionTests.session()
        await session.runHeadless(effects: GuidedFakeAWS(answers: CIDeployerCase.answers()), journal: journal) { _ in }
        #expect(session.downloadDirectory == journal.folder.url.appendingPathComponent("downloads").path)
    }
}

/// SHA-256 as hex, through the journal module's own digest (the saved file must match it).
enum SHA256DigestCheck {
    static func hex(_ data: Data) -> String { SHA256Digest.hex(of: data) }
}
