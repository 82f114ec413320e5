import Foundation
import Testing
@testable import WhyDeniedSession

/// What a resumed session takes from its journal, and what it refuses to trust.
@Suite struct RestoredResultsTests {
    let caller = CommandRef(step: "verify_dependencies", command: "caller_identity")
    let policies = CommandRef(step: "check_iam", command: "attached_role_policies")
    let inline = CommandRef(step: "check_iam", command: "role_inline_policy", item: "ReadReports")
    let change = CommandRef(step: "implement", command: "create_policy_version")

    /// A journal cut short by kill -9: three reads finished, one change started and never finished,
    /// one change finished.
    func journal(in folder: SessionFolder) throws {
        let writer = try JournalWriter(folder: folder)
        let identity = try folder.saveOutput(#"{"Arn": "arn:aws:iam::123456789012:user/ops"}"#, name: "0001-caller.stdout.txt")
        let attached = try folder.saveOutput(#"{"AttachedPolicies": []}"#, name: "0002-attached.stdout.txt")
        let denied = try folder.saveOutput("\nAn error occurred (AccessDenied) when calling the GetRolePolicy operation: no", name: "0003-inline.stderr.txt")
        try writer.append(.sessionStarted(runbook: "access-denied", changesEnabled: true))
        for (ref, argv) in [(caller, ["aws", "sts", "get-caller-identity"]), (policies, ["aws", "iam", "list-attached-role-policies"]),
                            (inline, ["aws", "iam", "get-role-policy"])] {
            try writer.append(.commandProposed(ref, argv: argv, mutates: false))
            try writer.append(.commandConfirmed(ref))
            try writer.append(.commandStarted(ref, argv: argv))
        }
        try writer.append(.commandFinished(caller, JournaledOutcome(exitCode: 0, durationMilliseconds: 640,
                                                                     stdoutPath: identity.relativePath, stdoutSHA256: identity.sha256)))
        try writer.append(.commandFinished(policies, JournaledOutcome(exitCode: 0, durationMilliseconds: 300,
                                                                       stdoutPath: attached.relativePath, stdoutSHA256: attached.sha256)))
        try writer.append(.commandFinished(inline, JournaledOutcome(exitCode: 254, durationMilliseconds: 200,
                                                                     stderrPath: denied.relativePath, stderrSHA256: denied.sha256)))
        try writer.append(.commandProposed(change, argv: ["aws", "iam", "create-policy-version"], mutates: true))
        try writer.append(.commandConfirmed(change))
        try writer.append(.commandStarted(change, argv: ["aws", "iam", "create-policy-version"]))
        try writer.append(.commandFinished(change, JournaledOutcome(exitCode: 0, durationMilliseconds: 900)))
    }

    func restored(_ folder: SessionFolder) throws -> RestoredResults {
        let recorded = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
        return RestoredResults(session: recorded, folder: folder)
    }

    @Test func finishedReadsAreRestoredOnceWithTheirOutputAndFailure() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        try journal(in: folder)
        let results = try restored(folder)
        #expect(results.remaining == [caller, policies, inline])
        let takenIdentity = results.take(caller)
        let identity = try #require(takenIdentity)
        #expect(identity.stdout.contains("arn:aws:iam::123456789012:user/ops"))
        #expect(identity.ending == .exited(0))
        #expect(identity.succeeded)
        #expect(identity.durationMilliseconds == 640)
        let again = results.take(caller)
        #expect(again == nil, "a result is handed back once; proposed again, it runs")
        let takenFailure = results.take(inline)
        let failed = try #require(takenFailure)
        #expect(failed.ending == .exited(254))
        #expect(!failed.succeeded)
        if case .permissionDenied(let action, _)? = failed.failure {
            #expect(action == "iam:GetRolePolicy")
        } else {
            Issue.record("expected permission denied, got \(String(describing: failed.failure))")
        }
        #expect(results.takenCount == 2)
    }

    @Test func changesAreNeverRestored() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        try journal(in: folder)
        let results = try restored(folder)
        let takenChange = results.take(change)
        #expect(takenChange == nil)
        #expect(results.notes.contains { $0.hasPrefix("implement.create_policy_version changed the account") })
    }

    @Test func alteredOrMissingOutputsAreRunAgain() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        try journal(in: folder)
        try Data("{\"Arn\": \"someone else\"}".utf8).write(to: folder.outputsURL.appendingPathComponent("0001-caller.stdout.txt"))
        try FileManager.default.removeItem(at: folder.outputsURL.appendingPathComponent("0002-attached.stdout.txt"))
        let results = try restored(folder)
        let takenCaller = results.take(caller), takenPolicies = results.take(policies)
        #expect(takenCaller == nil)
        #expect(takenPolicies == nil)
        #expect(results.notes.contains { $0.contains("does not match the journal's SHA-256") })
        #expect(results.notes.contains { $0.contains("is missing") })
        let takenInline = results.take(inline)
        #expect(takenInline != nil)
    }

    @Test func journaledEndingsMapBack() {
        #expect(RestoredResults.ending(exitCode: 0) == .exited(0))
        #expect(RestoredResults.ending(exitCode: 255) == .exited(255))
        #expect(RestoredResults.ending(exitCode: 124) == .timedOut)
        #expect(RestoredResults.ending(exitCode: 130) == .cancelled)
        #expect(RestoredResults.ending(exitCode: 137) == .signalled(9))
    }

    /// A journal edited to point a result at a file outside the session folder: the file is
    /// not read (even with a matching digest), the command runs again, and the note says why.
    @Test(arguments: ["../outside.txt", "outputs/../../outside.txt", "ABSOLUTE", "outputs/escape/outside.txt"])
    func anOutputPathLeavingTheFolderIsRefused(path: String) throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let outsideText = #"{"Arn": "arn:aws:iam::123456789012:user/someone-else"}"#
        let outside = folder.url.deletingLastPathComponent().appendingPathComponent("outside.txt")
        try Data(outsideText.utf8).write(to: outside)
        // A symbolic link inside the folder that points out of it counts as leaving it too.
        try FileManager.default.createDirectory(at: folder.outputsURL, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.outputsURL.appendingPathComponent("escape"),
                                                   withDestinationURL: folder.url.deletingLastPathComponent())
        let journaledPath = path == "ABSOLUTE" ? outside.path : path
        let writer = try JournalWriter(folder: folder)
        try writer.append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        try writer.append(.commandProposed(caller, argv: ["aws", "sts", "get-caller-identity"], mutates: false))
        try writer.append(.commandStarted(caller, argv: ["aws", "sts", "get-caller-identity"]))
        try writer.append(.commandFinished(caller, JournaledOutcome(exitCode: 0, durationMilliseconds: 5, stdoutPath: journaledPath,
                                                                     stdoutSHA256: SHA256Digest.hex(of: Data(outsideText.utf8)))))
        let results = try restored(folder)
        #expect(results.take(caller) == nil)
        #expect(results.notes == ["verify_dependencies.caller_identity runs again: its saved output path \(journaledPath) leaves the session folder; refused"])
        #expect(folder.containedFile(journaledPath) == nil)
        #expect(folder.containedFile("outputs/0001-caller.stdout.txt")?.path.hasPrefix(folder.url.resolvingSymlinksInPath().path + "/") == true)
    }
}
