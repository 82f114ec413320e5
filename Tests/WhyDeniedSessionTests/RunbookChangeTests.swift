import Testing
import WhyDeniedJSON
@testable import WhyDeniedSession

/// The implement step's safety: limits before a change, and the undo after it.
@Suite struct RunbookChangeTests {
    static let smallPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::deploy-artifacts/build/app.zip"}]}"#

    /// The session's facts for a fix of `kind`: the change's target and undo come from them.
    static func facts(_ kind: String, _ more: [String: String]) -> [String: JSONValue] {
        ["fix.kind": .string(kind)].merging(more.mapValues(JSONValue.string)) { $1 }
    }

    static func bigPolicy(statements: Int) -> String {
        let one = #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-with-a-long-name/some/prefix/that/is/long/file.csv"}"#
        return #"{"Version":"2012-10-17","Statement":["# + Array(repeating: one, count: statements).joined(separator: ",") + "]}"
    }

    @Test func inlineUserPolicyOverItsLimitBlocksTheChange() {
        let argv = ["aws", "iam", "put-user-policy", "--user-name", "ci-deployer", "--policy-name", "fix",
                    "--policy-document", Self.bigPolicy(statements: 30)]
        let findings = RunbookChange.limitFindings(argv: argv, preconditions: ["policy_size_within_limit"])
        #expect(findings.count == 1)
        #expect(findings[0].quota == .inlinePolicySize)
        #expect(findings[0].maximum == 2_048)
        #expect(findings[0].blocksChange)
        // The same document fits a role's 10,240 characters.
        var roleArgv = argv
        roleArgv[2] = "put-role-policy"
        roleArgv[3] = "--role-name"
        #expect(RunbookChange.limitFindings(argv: roleArgv, preconditions: ["policy_size_within_limit"]).allSatisfy { !$0.blocksChange })
        let small = ["aws", "iam", "put-user-policy", "--user-name", "u", "--policy-name", "p", "--policy-document", Self.smallPolicy]
        #expect(RunbookChange.limitFindings(argv: small, preconditions: ["policy_size_within_limit"]).allSatisfy { !$0.blocksChange })
    }

    @Test func fiveVersionsNameTheOldestNonDefaultToDelete() throws {
        let versions = try JSONValue.parse("""
        {"Versions": [
          {"VersionId": "v5", "IsDefaultVersion": true, "CreateDate": "2026-05-01T00:00:00Z"},
          {"VersionId": "v4", "IsDefaultVersion": false, "CreateDate": "2026-04-01T00:00:00Z"},
          {"VersionId": "v3", "IsDefaultVersion": false, "CreateDate": "2026-03-01T00:00:00Z"},
          {"VersionId": "v2", "IsDefaultVersion": false, "CreateDate": "2026-02-01T00:00:00Z"},
          {"VersionId": "v1", "IsDefaultVersion": false, "CreateDate": "2026-01-01T00:00:00Z"}]}
        """)
        let argv = ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::123456789012:policy/P",
                    "--policy-document", Self.smallPolicy, "--set-as-default"]
        let findings = RunbookChange.limitFindings(argv: argv, preconditions: ["policy_versions_below_limit"], policyVersions: versions)
        let versionFinding = try #require(findings.first { $0.quota == .managedPolicyVersions })
        #expect(versionFinding.blocksChange)
        #expect(versionFinding.whatToDo?.contains("oldest non-default version v1") == true)
        #expect(versionFinding.whatToDo?.contains("delete-policy-version --policy-arn arn:aws:iam::123456789012:policy/P --version-id v1") == true)
        let four = try JSONValue.parse(#"{"Versions": [{"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "x"}]}"#)
        #expect(RunbookChange.limitFindings(argv: argv, preconditions: ["policy_versions_below_limit"], policyVersions: four).allSatisfy { !$0.blocksChange })
    }

    @Test func newInlinePolicyIsUndoneByDeletingIt() {
        let argv = ["aws", "iam", "put-user-policy", "--user-name", "ci-deployer", "--policy-name", "whydenied-s3-PutObject",
                    "--policy-document", Self.smallPolicy]
        let change = RunbookChange.applied(commandID: "put_user_policy", step: "implement", argv: argv, output: "",
                                           facts: Self.facts("user_inline_policy", ["principal.name": "ci-deployer", "fix.policy_name": "whydenied-s3-PutObject"]),
                                           backup: nil, backupPath: nil).change
        #expect(change.target == "inline policy whydenied-s3-PutObject of user ci-deployer")
        #expect(change.rollbackArgv == [["aws", "iam", "delete-user-policy", "--user-name", "ci-deployer", "--policy-name", "whydenied-s3-PutObject"]])
        #expect(change.backupPaths.isEmpty)
    }

    @Test func replacedInlinePolicyIsUndoneWithTheBackedUpDocument() throws {
        // get-role-policy returns the document URL-encoded.
        let backup = try JSONValue.parse(#"{"RoleName": "app", "PolicyName": "fix", "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}"#)
        let argv = ["aws", "iam", "put-role-policy", "--role-name", "app", "--policy-name", "fix", "--policy-document", Self.smallPolicy]
        let change = RunbookChange.applied(commandID: "put_role_policy", step: "implement", argv: argv, output: "",
                                           facts: Self.facts("role_inline_policy", ["principal.name": "app", "fix.policy_name": "fix"]),
                                           backup: backup, backupPath: "backups/implement.backup_role_policy.json").change
        #expect(change.rollbackArgv.count == 1)
        #expect(Array(change.rollbackArgv[0].prefix(7)) == ["aws", "iam", "put-role-policy", "--role-name", "app", "--policy-name", "fix"])
        let restored = try JSONValue.parse(change.rollbackArgv[0][8])
        #expect(restored["Version"]?.stringValue == "2012-10-17")
        #expect(restored["Statement"]?.arrayValue?.isEmpty == true)
        #expect(change.backupPaths == ["backups/implement.backup_role_policy.json"])
    }

    @Test func newPolicyVersionIsUndoneByRestoringTheDefaultAndDeletingTheNewOne() throws {
        let backup = try JSONValue.parse(#"{"PolicyVersion": {"VersionId": "v2", "IsDefaultVersion": true, "Document": {}}}"#)
        let argv = ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::123456789012:policy/P",
                    "--policy-document", Self.smallPolicy, "--set-as-default"]
        let change = RunbookChange.applied(commandID: "create_policy_version", step: "implement", argv: argv,
                                           output: #"{"PolicyVersion": {"VersionId": "v3", "IsDefaultVersion": true}}"#,
                                           facts: Self.facts("new_policy_version", ["fix.policy_arn": "arn:aws:iam::123456789012:policy/P"]),
                                           backup: backup, backupPath: "backups/b.json").change
        #expect(change.rollbackArgv == [
            ["aws", "iam", "set-default-policy-version", "--policy-arn", "arn:aws:iam::123456789012:policy/P", "--version-id", "v2"],
            ["aws", "iam", "delete-policy-version", "--policy-arn", "arn:aws:iam::123456789012:policy/P", "--version-id", "v3"],
        ])
    }

    @Test func bucketPolicyAndAttachmentsHaveTheirUndo() throws {
        let put = ["aws", "s3api", "put-bucket-policy", "--bucket", "b", "--policy", Self.smallPolicy]
        let old = try JSONValue.parse(#"{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}"#)
        let bucket = Self.facts("bucket_policy", ["fix.bucket": "b"])
        #expect(RunbookChange.applied(commandID: "put_bucket_policy", step: "implement", argv: put, output: "", facts: bucket, backup: old,
                                      backupPath: nil).change.rollbackArgv
                == [["aws", "s3api", "put-bucket-policy", "--bucket", "b", "--policy", #"{"Version":"2012-10-17","Statement":[]}"#]])
        #expect(RunbookChange.applied(commandID: "put_bucket_policy", step: "implement", argv: put, output: "", facts: bucket, backup: nil,
                                      backupPath: nil).change.rollbackArgv == [["aws", "s3api", "delete-bucket-policy", "--bucket", "b"]])
        let attach = ["aws", "iam", "attach-role-policy", "--role-name", "app", "--policy-arn", "arn:aws:iam::123456789012:policy/P"]
        #expect(RunbookChange.applied(commandID: "attach_role_policy", step: "implement", argv: attach, output: "",
                                      facts: Self.facts("new_managed_policy_role", ["principal.name": "app"]),
                                      captures: ["created_policy_arn": .string("arn:aws:iam::123456789012:policy/P")], backup: nil,
                                      backupPath: nil).change.rollbackArgv
                == [["aws", "iam", "detach-role-policy", "--role-name", "app", "--policy-arn", "arn:aws:iam::123456789012:policy/P"]])
    }
}
