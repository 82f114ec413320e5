import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The TUI with an empty trail and a denied sts:AssumeRole: the pasted message alone leads to the
/// role's trust policy, and the fix (the caller added to it) is applied through the change dialog
/// with its typed word, backed up first, re-checked offline, and undone by the journaled rollback.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct TrustPolicyPasteTmuxTests {
    func trustPolicy(_ sandbox: MotoSandbox) async throws -> JSONValue {
        let read = await sandbox.runner().run(CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", "DeployRole"]))
        #expect(read.succeeded, "\(read.stderr)")
        return try #require(try JSONValue.parse(read.stdout)["Role"]?["AssumeRolePolicyDocument"].flatMap(CLIPolicyDocument.decode))
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func thePastedAssumeRoleDenialEndsWithTheTrustPolicyFixApplied() async throws {
        try await MotoTestSandbox.with(scenario: "trust-policy-paste") { sandbox, parameters in
            let before = try await trustPolicy(sandbox)
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-trust-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state)
            defer { tmux.close() }
            let walk = try await SessionWalk.confirmEachCommand(in: tmux, changes: .apply)
            // The Athena lookup's query is a change too; the last one is the trust policy, named by its role.
            #expect(walk.appliedWords.last == "DeployRole", "last screen:\n\(walk.lastScreen)")
            #expect(walk.lastScreen.contains("Session complete."), "last screen:\n\(walk.lastScreen)")

            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let recorded = RecordedSession(id: id, reading: try JournalReading(
                contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl")))
            let change = try #require(recorded.changes.last, "no change_applied in the journal")
            #expect(change.target == "trust policy of role DeployRole")
            #expect(change.backupPaths.count == 1)
            let check = try #require(recorded.analyses.last { $0.name == "verify_change_offline" })
            #expect(check.result["result"]?.stringValue == "Re-evaluated offline with the new document: the denied request is now allowed.")

            // The trust policy now trusts the caller too; the journaled rollback restores it.
            let after = try await trustPolicy(sandbox)
            #expect(after.serialized().contains("arn:aws:iam::\(MotoSandbox.accountID):user/ci-deployer"))
            #expect(after.serialized().contains("TrustReleaseManagers"))
            let rollback = await sandbox.runner().run(CommandRequest(argv: try #require(change.rollbackArgv.first), mutates: true))
            #expect(rollback.succeeded, "\(rollback.stderr)")
            #expect(try await trustPolicy(sandbox) == before)

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }
}
