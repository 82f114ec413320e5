import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRedaction
@testable import WhyDeniedSession

/// A throwaway state directory per test.
struct TemporaryStateHome {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var store: SessionStore { SessionStore(environment: ["XDG_STATE_HOME": url.path, "HOME": "/nonexistent"]) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

func permissions(_ url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A short session as the session loop would journal it: parameters, the caller check, a
/// list of attached policies, a declined command and a mutation that was started when the
/// process died.
func journalSampleSession(_ journal: JournalWriter) throws {
    let caller = CommandRef(step: "verify", command: "caller")
    let attached = CommandRef(step: "check_iam", command: "attached")
    let apply = CommandRef(step: "implement", command: "apply")
    try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: true))
    try journal.append(.parameterSet(name: "principal", value: "app-role", origin: ParameterOrigin(source: .errorMessage, detail: "line 1"), secret: false))
    try journal.append(.parameterSet(name: "region", value: "us-east-1", origin: ParameterOrigin(source: .environment, detail: "AWS_REGION"), secret: false))
    try journal.append(.parameterSet(name: "mfa_code", value: "123456", origin: ParameterOrigin(source: .typed), secret: true))
    try journal.append(.commandProposed(caller, argv: ["aws", "sts", "get-caller-identity"], mutates: false))
    try journal.append(.commandConfirmed(caller))
    try journal.append(.commandStarted(caller, argv: ["aws", "sts", "get-caller-identity"]))
    try journal.append(.commandFinished(caller, JournaledOutcome(exitCode: 0, durationMilliseconds: 640, stdoutPath: "outputs/0001-stdout.txt", stdoutSHA256: String(repeating: "a", count: 64))))
    try journal.append(.captured(caller, name: "caller_arn", value: .string("arn:aws:iam::111122223333:user/ana")))
    try journal.append(.operatorIdentified(callerARN: "arn:aws:iam::111122223333:user/ana"))
    try journal.append(.stepCompleted(step: "verify"))
    try journal.append(.stepSkipped(step: "trails", reason: "event pasted by the operator"))
    try journal.append(.commandProposed(attached, argv: ["aws", "iam", "list-attached-role-policies", "--role-name", "app-role"], mutates: false))
    try journal.append(.commandEdited(attached, argv: ["aws", "iam", "list-attached-role-policies", "--role-name", "app-role", "--max-items", "50"]))
    try journal.append(.commandConfirmed(attached))
    try journal.append(.commandStarted(attached, argv: ["aws", "iam", "list-attached-role-policies", "--role-name", "app-role", "--max-items", "50"]))
    try journal.append(.commandFinished(attached, JournaledOutcome(exitCode: 0, durationMilliseconds: 300)))
    try journal.append(.captured(attached, name: "attached", value: .array([.string("arn:aws:iam::111122223333:policy/app")])))
    try journal.append(.commandProposed(CommandRef(step: "check_resource", command: "bucket_policy"), argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "reports"], mutates: false))
    try journal.append(.commandDeclined(CommandRef(step: "check_resource", command: "bucket_policy"), reason: "not our bucket"))
    try journal.append(.analysisRecorded(step: "check_iam", name: "evaluate_identity_policies", result: .object(JSONObject([("kind", .string("evaluation")), ("verdict", .string("implicit_deny"))]))))
    try journal.append(.commandProposed(apply, argv: ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::111122223333:policy/app"], mutates: true))
    try journal.append(.commandConfirmed(apply))
    try journal.append(.commandStarted(apply, argv: ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::111122223333:policy/app"]))
}

@Suite struct JournalTests {
    @Test func stateDirectoryFollowsXDGAndDefaultsToLocalState() {
        #expect(SessionStore(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).root.path == "/s/whydenied/sessions")
        #expect(SessionStore(environment: ["HOME": "/h"]).root.path == "/h/.local/state/whydenied/sessions")
        // A relative XDG_STATE_HOME is invalid by the spec and ignored.
        #expect(SessionStore(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]).root.path == "/h/.local/state/whydenied/sessions")
    }

    @Test func appendWritesOneFlushedLinePerEventWithPrivatePermissions() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        let ref = CommandRef(step: "verify", command: "caller")
        try journal.append(.commandProposed(ref, argv: ["aws", "sts", "get-caller-identity"], mutates: false))
        // Read through a separate descriptor: the line is on disk before append returns.
        let text = try String(contentsOf: folder.journalURL, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").count == 1)
        let line = try JSONValue.parse(String(text.dropLast()))
        #expect(line["event"]?.stringValue == "proposed")
        #expect(line["seq"]?.intValue == 1)
        #expect(line["step"]?.stringValue == "verify")
        #expect(line["session"]?.stringValue == folder.id)

        try journal.append(.commandConfirmed(ref))
        #expect(try String(contentsOf: folder.journalURL, encoding: .utf8).split(separator: "\n").count == 2)

        #expect(try permissions(folder.journalURL) == 0o600)
        #expect(try permissions(folder.url) == 0o700)
        #expect(try permissions(home.store.root) == 0o700)
        let saved = try folder.saveOutput("{\"Arn\": \"x\"}", name: "0001-stdout.txt")
        #expect(try permissions(saved.url) == 0o600)
        #expect(try permissions(folder.outputsURL) == 0o700)
        #expect(saved.sha256 == SHA256Digest.hex(of: try Data(contentsOf: saved.url)))
    }

    @Test func journalLinesAreRedacted() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        let ref = CommandRef(step: "verify", command: "assume")
        try journal.append(.captured(ref, name: "credentials_out", value: try JSONValue.parse(CredentialSamples.assumeRoleCLIOutput)))
        try journal.append(.commandStarted(ref, argv: ["aws", "configure", "set", "aws_session_token", CredentialSamples.sessionToken]))
        try journal.append(.parameterSet(name: "mfa", value: "654321", origin: ParameterOrigin(source: .typed), secret: true))
        let text = try String(contentsOf: folder.journalURL, encoding: .utf8)
        #expect(!text.contains(CredentialSamples.secretKey))
        #expect(!text.contains(CredentialSamples.sessionToken))
        #expect(!text.contains(CredentialSamples.accessKeyID))
        #expect(!text.contains("654321"))
        #expect(text.contains("ASIA************DF12") == false) // the whole Credentials object went
    }

    @Test func everyEventRoundTripsThroughItsJournalLine() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        try journalSampleSession(journal)
        let change = AppliedChange(step: "implement", summary: "new default version", target: "arn:aws:iam::111122223333:policy/app",
                                   argv: ["aws", "iam", "create-policy-version"], backupPaths: ["backups/app-v1.json"],
                                   rollbackArgv: [["aws", "iam", "set-default-policy-version", "--version-id", "v1"]])
        try journal.append(.changeApplied(change))
        try journal.append(.commandSkipped(CommandRef(step: "check_iam", command: "groups"), reason: "roles have no groups"))
        try journal.append(.toolsChecked(step: "verify", missing: []))
        try journal.append(.factsLearned(step: "recommend", facts: .object(JSONObject([("fix.kind", .string("managed_policy_version"))]))))
        try journal.append(.sessionEnded(reason: "finished"))
        let reading = try JournalReading(contentsOf: folder.journalURL)
        #expect(reading.notices.isEmpty)
        #expect(reading.entries.count == 29)
        #expect(reading.entries.map(\.sequence) == Array(1...29))
        #expect(reading.entries.last?.event == .sessionEnded(reason: "finished"))
        #expect(reading.entries[24].event == .changeApplied(change))
        #expect(reading.entries[25].event == .commandSkipped(CommandRef(step: "check_iam", command: "groups"), reason: "roles have no groups"))
        #expect(reading.entries[26].event == .toolsChecked(step: "verify", missing: []))
        let session = RecordedSession(id: folder.id, reading: reading)
        #expect(session.facts.first?.facts["fix.kind"]?.stringValue == "managed_policy_version")
        #expect(session.toolChecks["verify"] == [])
        #expect(session.commands.first { $0.ref.command == "groups" }?.status == .skipped(reason: "roles have no groups"))
        #expect(session.state == .ended(reason: "finished"))
        #expect(reading.entries[7].event == .commandFinished(CommandRef(step: "verify", command: "caller"),
            JournaledOutcome(exitCode: 0, durationMilliseconds: 640, stdoutPath: "outputs/0001-stdout.txt", stdoutSHA256: String(repeating: "a", count: 64))))
    }

    @Test func theConnectionIsJournaledAndAnOlderJournalReadsWithoutIt() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let sandbox = SessionConnection(endpointURL: "http://127.0.0.1:5123", profile: nil, region: "us-east-1")
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        try journal.append(.connection(sandbox))
        let text = try String(contentsOf: folder.journalURL, encoding: .utf8)
        #expect(text.contains(#""event":"connection""#))
        #expect(text.contains(#""endpoint_url":"http:\/\/127.0.0.1:5123""#) || text.contains(#""endpoint_url":"http://127.0.0.1:5123""#))
        #expect(text.contains(#""profile":null"#))
        let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        #expect(session.connection == sandbox)
        #expect(sandbox.description == "endpoint http://127.0.0.1:5123, default credentials, region us-east-1")

        // A journal written before the connection was recorded still reads; it just has none.
        let older = try home.store.createSession()
        try JournalWriter(folder: older).append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        let old = RecordedSession(id: older.id, reading: try JournalReading(contentsOf: older.journalURL))
        #expect(old.connection == nil)
        #expect(old.runbook == "access-denied")
    }

    @Test func enablingChangesMidSessionIsJournaledWithItsTime() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        try journal.append(.changesEnabled)
        let text = try String(contentsOf: folder.journalURL, encoding: .utf8)
        #expect(try JSONValue.parse(String(text.split(separator: "\n")[1]))["event"]?.stringValue == "changes_enabled")
        let reading = try JournalReading(contentsOf: folder.journalURL)
        #expect(reading.entries.map(\.event) == [.sessionStarted(runbook: "access-denied", changesEnabled: false), .changesEnabled])
        let session = RecordedSession(id: folder.id, reading: reading)
        #expect(session.changesEnabled)
        #expect(session.changesEnabledAt == reading.entries[1].timestamp)
        let readOnly = RecordedSession(id: folder.id, reading: JournalReading(entries: Array(reading.entries.prefix(1)), notices: []))
        #expect(!readOnly.changesEnabled && readOnly.changesEnabledAt == nil)
    }

    @Test func truncatedLastLineIsDroppedWithANoticeAndTheRestKept() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        try journalSampleSession(journal)
        let full = try Data(contentsOf: folder.journalURL)
        let complete = JournalReading(data: full).entries.count
        // Cut the last line in half, as a crash in the middle of a write would.
        let lastLineStart = full.dropLast().lastIndex(of: UInt8(ascii: "\n"))! + 1
        let cut = full.prefix(lastLineStart + (full.count - lastLineStart) / 2)
        try cut.write(to: folder.journalURL)

        let reading = try JournalReading(contentsOf: folder.journalURL)
        #expect(reading.entries.count == complete - 1)
        #expect(reading.notices.count == 1)
        guard case .truncatedLastLine(let line, _) = reading.notices.first else {
            Issue.record("expected a truncated-line notice, got \(reading.notices)")
            return
        }
        #expect(line == complete)
        #expect(reading.notices[0].description.contains("dropped"))

        // Resume still works: the session is rebuilt from what was kept...
        let session = RecordedSession(id: folder.id, reading: reading)
        #expect(session.parameters["principal"]?.value == "app-role")
        #expect(session.notices == reading.notices)
        // ...and a writer continuing the journal starts its line on a fresh line.
        let continued = try JournalWriter(folder: folder)
        try continued.append(.stepCompleted(step: "check_iam"))
        let after = try JournalReading(contentsOf: folder.journalURL)
        #expect(after.entries.count == complete)
        #expect(after.entries.last?.event == .stepCompleted(step: "check_iam"))
        #expect(after.entries.last?.sequence == complete)
        #expect(after.notices.count == 1)
        if case .malformedLine = after.notices.first {} else { Issue.record("the cut line is now an inner malformed line: \(after.notices)") }
    }

    @Test func malformedInnerLinesAreReportedWithLineNumbers() {
        let text = """
        {"seq":1,"ts":"2026-11-23T11:00:00.000Z","session":"s","event":"step_completed","step":"verify"}
        this is not json
        {"seq":3,"ts":"2026-11-23T11:00:01.000Z","session":"s","event":"teleported"}

        {"seq":4,"ts":"yesterday","session":"s","event":"step_completed","step":"trails"}
        {"seq":5,"ts":"2026-11-23T11:00:02.000Z","session":"s","event":"finished","step":"a","command":"b","exit_code":1,"duration_ms":10}

        """
        let reading = JournalReading(data: Data(text.utf8))
        #expect(reading.entries.map(\.sequence) == [1, 5])
        #expect(reading.notices.count == 3)
        #expect(reading.notices.map(\.description)[0].hasPrefix("line 2: skipped, not JSON"))
        #expect(reading.notices.map(\.description)[1] == #"line 3: skipped, unknown event "teleported""#)
        #expect(reading.notices.map(\.description)[2].hasPrefix("line 5: skipped, field \"ts\""))
    }

    @Test func resumeRebuildsConfirmedResultsAndReproposesTheInterruptedMutation() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        try journalSampleSession(try JournalWriter(folder: folder))

        let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        #expect(session.runbook == "access-denied")
        #expect(session.changesEnabled)
        #expect(session.operatorARN == "arn:aws:iam::111122223333:user/ana")
        #expect(session.parameterOrder == ["principal", "region", "mfa_code"])
        #expect(session.parameters["region"]?.origin == ParameterOrigin(source: .environment, detail: "AWS_REGION"))
        #expect(session.parameters["mfa_code"]?.value == Redactor.placeholder)

        let restored = session.restoredResults
        #expect(Set(restored.keys) == [CommandRef(step: "verify", command: "caller"), CommandRef(step: "check_iam", command: "attached")])
        #expect(restored[CommandRef(step: "verify", command: "caller")]?.outcome?.durationMilliseconds == 640)
        #expect(restored[CommandRef(step: "check_iam", command: "attached")]?.edited == true)
        #expect(restored[CommandRef(step: "check_iam", command: "attached")]?.argv.last == "50")
        #expect(session.captures["verify"]?["caller_arn"] == .string("arn:aws:iam::111122223333:user/ana"))
        #expect(session.captures["check_iam"]?["attached"]?.arrayValue?.count == 1)

        #expect(session.steps.map(\.id) == ["verify", "trails", "check_iam", "check_resource", "implement"])
        #expect(session.steps[0].status == .completed)
        #expect(session.steps[1].status == .skipped(reason: "event pasted by the operator"))
        #expect(session.analyses.first?.result["verdict"]?.stringValue == "implicit_deny")

        // The mutation was started and never finished: not a result, proposed again.
        let apply = CommandRef(step: "implement", command: "apply")
        #expect(session.state == .interrupted(apply))
        #expect(session.commandsToRepropose.map(\.ref) == [apply])
        #expect(session.commandsToRepropose.first?.mutates == true)
        #expect(session.lastStep == "implement")
        #expect(session.commands.first { $0.ref.command == "bucket_policy" }?.status == .declined(reason: "not our bucket"))

        // A new proposal of the same command after resume replaces the interrupted record.
        let journal = try JournalWriter(folder: folder)
        try journal.append(.commandProposed(apply, argv: ["aws", "iam", "create-policy-version"], mutates: true))
        let reproposed = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        #expect(reproposed.state == .inProgress)
        #expect(reproposed.commands.filter { $0.ref == apply }.count == 1)

        let summaries = home.store.listSessions()
        #expect(summaries.count == 1)
        #expect(summaries.first?.principal == "app-role")
        #expect(summaries.first?.lastStep == "implement")
        #expect(summaries.first?.state == "in progress")
    }

    @Test func sessionIDsCannotEscapeTheStore() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        #expect(home.store.session(id: "../../etc") == nil)
        #expect(home.store.session(id: "") == nil)
        let folder = try home.store.createSession()
        #expect(home.store.session(id: folder.id) == nil) // no journal yet
        try JournalWriter(folder: folder).append(.stepCompleted(step: "verify"))
        #expect(home.store.session(id: folder.id)?.url == folder.url)
    }

    @Test func backupsAreNeverOverwrittenWithOtherContent() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let first = try folder.saveDocument(.object(JSONObject([("Version", .string("2012-10-17"))])), relativePath: "backups/p-v1.json")
        #expect(try permissions(first.url) == 0o600)
        _ = try folder.saveDocument(.object(JSONObject([("Version", .string("2012-10-17"))])), relativePath: "backups/p-v1.json")
        #expect(throws: (any Error).self) {
            try folder.saveDocument(.object(JSONObject([("Version", .string("2008-10-17"))])), relativePath: "backups/p-v1.json")
        }
        #expect(throws: (any Error).self) {
            try folder.saveDocument(.null, relativePath: "../escape.json")
        }
    }
}
