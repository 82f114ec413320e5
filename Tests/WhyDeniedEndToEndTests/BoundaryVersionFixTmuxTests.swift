import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The boundary scenario with its boundary policy already at IAM's five versions: the guided
/// session backs up and deletes the oldest non-default version, then adds the fixed document as
/// the new default, each change confirmed with its own typed word, against moto for real.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct BoundaryVersionFixTmuxTests {
    static let boundary = "arn:aws:iam::123456789012:policy/OrderProcessorBoundary"

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"), .timeLimit(.minutes(12)))
    func fullBoundaryIsMadeRoomForBackedUpAndGetsTheFixAsItsDefault() async throws {
        try await MotoTestSandbox.with(scenario: "role-boundary") { sandbox, parameters in
            let runner = sandbox.runner()
            // Four older, non-default versions fill the boundary up (v1 stays the default).
            for number in 2...5 {
                let document = #"{"Version":"2012-10-17","Statement":[{"Sid":"Old\#(number)","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
                let created = await runner.run(CommandRequest(argv: ["aws", "iam", "create-policy-version", "--policy-arn", Self.boundary,
                                                                     "--policy-document", document]))
                #expect(created.succeeded, "\(created.stderr)")
            }

            let state = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-boundary-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: state) }
            let tmux = try await SessionWalk.startWithChangesEnabled(sandbox, parameters: parameters, stateHome: state, width: 130, height: 45)
            defer { tmux.close() }
            let walk = try await SessionWalk.confirmEachCommand(in: tmux, changes: .apply)
            #expect(walk.appliedWords == ["OrderProcessorBoundary-v2", "OrderProcessorBoundary"], "last screen:\n\(walk.lastScreen)")
            #expect(walk.lastScreen.contains("Session complete."), "last screen:\n\(walk.lastScreen)")
            let dialogs = walk.changeDialogs
            // The delete's dialog shows the version that goes, and that nothing replaces it.
            let deleteDialog = try #require(dialogs.first)
            #expect(deleteDialog.contains("delete-policy-version"))
            #expect(deleteDialog.contains("version v2 of \(Self.boundary) (deleted"))
            #expect(Self.line(containing: #""Sid": "Old2""#, in: deleteDialog)?.contains("│ - ") == true,
                    "the deleted version's statements are shown removed:\n\(deleteDialog)")
            // The new version's dialog is a diff against the current default (v1): only the new statement is added.
            let createDialog = try #require(dialogs.last)
            #expect(createDialog.contains("create-policy-version"))
            #expect(Self.line(containing: #""Sid": "WhyDeniedSendMessage""#, in: createDialog)?.contains("│ + ") == true, "\(createDialog)")
            #expect(!createDialog.contains(#""Sid": "Old"#), "the diff must be against the default version, not the deleted one:\n\(createDialog)")

            // The journal: two changes, each with a backup and an undo that fits it.
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let folder = sessions.appendingPathComponent(id)
            let recorded = RecordedSession(id: id, reading: try JournalReading(contentsOf: folder.appendingPathComponent("journal.jsonl")))
            #expect(recorded.changes.count == 2)
            let deletion = try #require(recorded.changes.first)
            #expect(deletion.target == "version v2 of managed policy \(Self.boundary) (deleted)")
            let deletedBackup = try #require(deletion.backupPaths.first)
            let backupText = try String(contentsOf: folder.appendingPathComponent(deletedBackup), encoding: .utf8)
            #expect(backupText.contains("Old2"))
            #expect(deletion.rollbackArgv.first?.prefix(5) == ["aws", "iam", "create-policy-version", "--policy-arn", Self.boundary])
            #expect(deletion.rollbackArgv.first?.last?.contains("Old2") == true)
            let creation = try #require(recorded.changes.last)
            #expect(creation.rollbackArgv.first == ["aws", "iam", "set-default-policy-version", "--policy-arn", Self.boundary, "--version-id", "v1"])

            // AWS's view (moto, through the real CLI): v2 is gone, the new default allows the call.
            let listed = await runner.run(CommandRequest(argv: ["aws", "iam", "list-policy-versions", "--policy-arn", Self.boundary]))
            let versions = try JSONValue.parse(listed.stdout)["Versions"]?.arrayValue ?? []
            #expect(versions.compactMap { $0["VersionId"]?.stringValue }.sorted() == ["v1", "v3", "v4", "v5", "v6"])
            let current = try #require(versions.first { $0["IsDefaultVersion"]?.boolValue == true }?["VersionId"]?.stringValue)
            #expect(current == "v6")
            let document = await runner.run(CommandRequest(argv: ["aws", "iam", "get-policy-version", "--policy-arn", Self.boundary,
                                                                  "--version-id", current]))
            #expect(document.stdout.contains("sqs:SendMessage"))
            #expect(document.stdout.contains("S3ReadsOnly"), "the boundary keeps its old statements")

            try await SessionWalk.quit(tmux, exitCode: nil)
        }
    }

    static func line(containing text: String, in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }
}
