import Testing
@testable import WhyDeniedAnalysis
import WhyDeniedJSON
@testable import WhyDeniedSession

/// A managed policy at IAM's five versions: which version goes, which backup each change undoes
/// to, and what the five-version check sees once the deletion ran.
@Suite struct PolicyVersionRoomTests {
    static let arn = "arn:aws:iam::123456789012:policy/OrderProcessorBoundary"

    static func versions(_ ids: [String], default defaultID: String) throws -> JSONValue {
        let items = ids.enumerated().map { index, id in
            #"{"VersionId": "\#(id)", "IsDefaultVersion": \#(id == defaultID), "CreateDate": "2026-0\#(index + 1)-01T00:00:00Z"}"#
        }
        return try JSONValue.parse(#"{"Versions": ["# + items.joined(separator: ",") + "]}")
    }

    @Test func aFullPolicyNamesItsOldestNonDefaultVersionAndOneWithRoomNamesNone() throws {
        let full = try Self.versions(["v1", "v2", "v3", "v4", "v5"], default: "v1")
        let oldest = try OutputParsers.parse("policy_version_to_delete", output: full, item: nil)
        #expect(oldest.value == .string("v2"))
        let roomy = try Self.versions(["v1", "v2", "v3", "v4"], default: "v4")
        let none = try OutputParsers.parse("policy_version_to_delete", output: roomy, item: nil)
        #expect(none.value == .null)
        let notAList = try JSONValue.parse(#"{"Policy": {}}"#)
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("policy_version_to_delete", output: notAList, item: nil)
        }
    }

    @Test func aDeletedVersionLeavesTheListSoTheNextChangeFits() throws {
        let full = try Self.versions(["v1", "v2", "v3", "v4", "v5"], default: "v1")
        let delete = ["aws", "iam", "delete-policy-version", "--policy-arn", Self.arn, "--version-id", "v2"]
        let after = RunbookChange.policyVersions(full, after: delete)
        #expect(after["Versions"]?.arrayValue?.compactMap { $0["VersionId"]?.stringValue } == ["v1", "v3", "v4", "v5"])
        let create = ["aws", "iam", "create-policy-version", "--policy-arn", Self.arn, "--policy-document", "{}", "--set-as-default"]
        let whenFull = RunbookChange.limitFindings(argv: create, preconditions: ["policy_versions_below_limit"], policyVersions: full)
        #expect(whenFull.contains { $0.blocksChange })
        let afterDeletion = RunbookChange.limitFindings(argv: create, preconditions: ["policy_versions_below_limit"], policyVersions: after)
        #expect(!afterDeletion.contains { $0.blocksChange })
        // Any other change leaves the list as it was.
        #expect(RunbookChange.policyVersions(full, after: create) == full)
    }

    @Test func aDeletedVersionIsUndoneByRecreatingItsDocument() throws {
        let backup = try JSONValue.parse(#"{"PolicyVersion": {"VersionId": "v2", "IsDefaultVersion": false, "Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}}"#)
        let delete = ["aws", "iam", "delete-policy-version", "--policy-arn", Self.arn, "--version-id", "v2"]
        let facts: [String: JSONValue] = ["fix.kind": .string("new_policy_version"), "fix.policy_arn": .string(Self.arn)]
        let captures: [String: JSONValue] = ["version_to_delete": .string("v2")]
        let change = RunbookChange.applied(commandID: "delete_policy_version", step: "implement", argv: delete, output: "",
                                           facts: facts, captures: captures,
                                           backup: backup, backupPath: "backups/implement.backup_version_to_delete.json").change
        #expect(change.target == "version v2 of managed policy \(Self.arn) (deleted)")
        #expect(change.backupPaths == ["backups/implement.backup_version_to_delete.json"])
        #expect(change.rollbackArgv == [["aws", "iam", "create-policy-version", "--policy-arn", Self.arn,
                                         "--policy-document", #"{"Version":"2012-10-17","Statement":[]}"#]])
        // Without the backup there is nothing to re-create from: no undo is claimed.
        #expect(RunbookChange.applied(commandID: "delete_policy_version", step: "implement", argv: delete, output: "",
                                      facts: facts, captures: captures, backup: nil, backupPath: nil).change.rollbackArgv.isEmpty)
    }

    @Test func eachChangeUndoesToTheBackupOfWhatItTouches() throws {
        let readDefault = ChangeBackup.Candidate(
            argv: ["aws", "iam", "get-policy-version", "--policy-arn", Self.arn, "--version-id", "v1"],
            output: try JSONValue.parse(#"{"PolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true, "Document": {}}}"#))
        let readOldest = ChangeBackup.Candidate(
            argv: ["aws", "iam", "get-policy-version", "--policy-arn", Self.arn, "--version-id", "v2"],
            output: try JSONValue.parse(#"{"PolicyVersion": {"VersionId": "v2", "IsDefaultVersion": false, "Document": {}}}"#))
        let reads = [readDefault, readOldest]
        #expect(ChangeBackup.index(for: ["aws", "iam", "delete-policy-version", "--policy-arn", Self.arn, "--version-id", "v2"], among: reads) == 1)
        // The new version replaces the default one, though the deleted version was read last.
        #expect(ChangeBackup.index(for: ["aws", "iam", "create-policy-version", "--policy-arn", Self.arn, "--policy-document", "{}"], among: reads) == 0)
        #expect(ChangeBackup.index(for: ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::1:policy/Other", "--policy-document", "{}"], among: reads) == nil)

        let userPolicy = ChangeBackup.Candidate(argv: ["aws", "iam", "get-user-policy", "--user-name", "ana", "--policy-name", "fix"], output: nil)
        let otherUser = ChangeBackup.Candidate(argv: ["aws", "iam", "get-user-policy", "--user-name", "bob", "--policy-name", "fix"], output: nil)
        #expect(ChangeBackup.index(for: ["aws", "iam", "put-user-policy", "--user-name", "ana", "--policy-name", "fix", "--policy-document", "{}"],
                                   among: [otherUser, userPolicy]) == 1)
        let bucket = ChangeBackup.Candidate(argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "reports"], output: nil)
        #expect(ChangeBackup.index(for: ["aws", "s3api", "put-bucket-policy", "--bucket", "reports", "--policy", "{}"], among: [userPolicy, bucket]) == 1)
        #expect(ChangeBackup.index(for: ["aws", "s3api", "put-bucket-policy", "--bucket", "other", "--policy", "{}"], among: [bucket]) == nil)
    }

    static func ran(_ id: String, step: String = "implement", _ argv: [String], stdout: String, mutates: Bool = false,
                    exit: Int32 = 0) -> TranscriptEntry {
        TranscriptEntry(commandID: "\(step).\(id)", stepID: step, argv: argv, mutates: mutates,
                        result: .ran(CommandOutcome(argv: argv, stdout: stdout, ending: .exited(exit), durationMilliseconds: 5,
                                                    failure: exit == 0 ? nil : .failed(code: "NoSuchEntity", message: "gone"))))
    }

    @Test func theSessionTranscriptGivesEachChangeItsBackupAndTheVersionsLeft() throws {
        let get = ["aws", "iam", "get-policy-version", "--policy-arn", Self.arn, "--version-id"]
        let list = try Self.versions(["v1", "v2", "v3", "v4", "v5"], default: "v1").serialized()
        let delete = ["aws", "iam", "delete-policy-version", "--policy-arn", Self.arn, "--version-id", "v2"]
        let transcript = [
            // Another step's read of the same version is never a backup here.
            Self.ran("managed_policy_version", step: "check_iam", get + ["v2"], stdout: #"{"PolicyVersion": {"VersionId": "v2", "Document": {}}}"#),
            Self.ran("backup_policy_version", get + ["v1"], stdout: #"{"PolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Statement": []}}}"#),
            Self.ran("policy_versions", ["aws", "iam", "list-policy-versions", "--policy-arn", Self.arn], stdout: list),
            Self.ran("backup_version_to_delete", get + ["v2"], stdout: #"{"PolicyVersion": {"VersionId": "v2", "IsDefaultVersion": false, "Document": {"Sid": "Old2"}}}"#),
        ]
        #expect(ChangeBackup.read(for: delete, step: "implement", in: transcript)?.commandID == "implement.backup_version_to_delete")
        let create = ["aws", "iam", "create-policy-version", "--policy-arn", Self.arn, "--policy-document", "{}", "--set-as-default"]
        #expect(ChangeBackup.read(for: create, step: "implement", in: transcript)?.commandID == "implement.backup_policy_version")
        #expect(ChangeBackup.read(for: create, step: "recommend", in: transcript) == nil)

        // Before the deletion the list is full; after it, and only if it succeeded, v2 is gone.
        #expect(RunbookChange.policyVersions(step: "implement", in: transcript)?["Versions"]?.arrayValue?.count == 5)
        let failed = transcript + [Self.ran("delete_policy_version", delete, stdout: "", mutates: true, exit: 254)]
        #expect(RunbookChange.policyVersions(step: "implement", in: failed)?["Versions"]?.arrayValue?.count == 5)
        let deleted = transcript + [Self.ran("delete_policy_version", delete, stdout: "", mutates: true)]
        #expect(RunbookChange.policyVersions(step: "implement", in: deleted)?["Versions"]?.arrayValue?.compactMap { $0["VersionId"]?.stringValue }
                == ["v1", "v3", "v4", "v5"])
        #expect(RunbookChange.policyVersions(step: "check_iam", in: deleted) == nil)
    }

    @Test func aBoundaryFixBecomesANewDefaultVersionWhenItsCurrentVersionIsKnown() throws {
        let statement: JSONValue = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"WhyDeniedSendMessage","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:orders"}]}"#)
        let merged: JSONValue = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"S3ReadsOnly","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"WhyDeniedSendMessage","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:orders"}]}"#)
        let fix = LeastPrivilegeFix(
            kind: .addAllow, summary: "widen the boundary",
            policiesToAdd: [PolicyToAdd(target: .permissionsBoundary, attachmentTargetArn: Self.arn, policyName: "OrderProcessorBoundary",
                                        policy: statement, reasons: [], replacementDocument: merged)],
            denyEdits: [], failedConditions: [], commands: [], possibleExtraActions: [], missingContextKeys: [], warnings: [])
        let captures: [String: JSONValue] = [
            "boundary_policies": try JSONValue.parse(#"[{"kind": "managed", "arn": "\#(Self.arn)", "version": "v1", "document": {}}]"#),
        ]
        let facts = FixFacts.facts(for: fix, resourceService: "sqs", resourceID: "orders",
                                   defaultVersions: FixFacts.defaultVersions(captures: captures))
        #expect(facts["fix.kind"] == .string("new_policy_version"))
        #expect(facts["fix.policy_arn"] == .string(Self.arn))
        #expect(facts["fix.current_version"] == .string("v1"))
        // The whole new version, old statements kept: not the new statement alone.
        #expect(facts["fix.policy_document"] == merged)
        // Without the current version the runbook could not back it up: the fix stays advice.
        #expect(FixFacts.facts(for: fix, resourceService: "sqs", resourceID: "orders").isEmpty)
    }
}
