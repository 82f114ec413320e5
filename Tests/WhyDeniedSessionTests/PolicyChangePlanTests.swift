import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedSession

func policy(_ statements: [(action: String, resource: String)]) -> JSONValue {
    .object(JSONObject([
        ("Version", .string("2012-10-17")),
        ("Statement", .array(statements.map { statement in
            .object(JSONObject([("Effect", .string("Allow")), ("Action", .string(statement.action)),
                                ("Resource", .string(statement.resource))]))
        })),
    ]))
}

/// A document of about `characters` non-white-space characters.
func policy(ofSize characters: Int) -> JSONValue {
    let base = PolicyQuota.characterCount(of: policy([("s3:GetObject", "arn:aws:s3:::b/")]))
    return policy([("s3:GetObject", "arn:aws:s3:::b/" + String(repeating: "x", count: max(0, characters - base)))])
}

@Suite struct PolicyLimitTests {
    let folder = SessionFolder(id: "20261123-110000-abcdef", url: URL(fileURLWithPath: "/state/sessions/20261123-110000-abcdef"))
    var planner: PolicyChangePlanner { PolicyChangePlanner(folder: folder) }

    @Test func sizeIsCountedWithoutWhiteSpace() throws {
        let document = try JSONValue.parse(#"{ "Version" : "2012-10-17",  "Statement" : [ ] }"#)
        #expect(PolicyQuota.characterCount(of: document) == #"{"Version":"2012-10-17","Statement":[]}"#.count)
        #expect(PolicyQuota.characterCount(of: policy(ofSize: 6_144)) == 6_144)
    }

    @Test(arguments: [(6_144, false), (6_145, true)])
    func managedPolicySizeLimit(size: Int, hit: Bool) throws {
        let versions = [ManagedPolicyVersion(id: "v1", isDefault: true, created: "2026-01-01T00:00:00Z", document: policy(ofSize: 200))]
        let plan = try planner.plan(target: .managedPolicy(arn: "arn:aws:iam::111122223333:policy/app", versions: versions),
                                    newDocument: policy(ofSize: size), verification: nil)
        let finding = try #require(plan.limits.first { $0.quota == .managedPolicySize })
        #expect(finding.used == size)
        #expect(finding.maximum == 6_144)
        #expect(finding.isHit == hit)
        #expect(plan.canApply == !hit)
        #expect((finding.whatToDo != nil) == hit)
    }

    @Test(arguments: [(InlinePolicyOwner.user("ana"), 2_048), (.role("app-role"), 10_240), (.group("devs"), 5_120)])
    func inlinePolicySizeLimitsCountAllInlinePoliciesOfTheOwner(owner: InlinePolicyOwner, limit: Int) throws {
        let other = policy(ofSize: 500)
        let fits = try planner.plan(target: .inlinePolicy(owner: owner, name: "fix", current: nil, otherInlineDocuments: [other]),
                                    newDocument: policy(ofSize: limit - 500), verification: nil)
        #expect(fits.limits.first?.quota == .inlinePolicySize)
        #expect(fits.limits.first?.used == limit)
        #expect(fits.canApply)
        let tooBig = try planner.plan(target: .inlinePolicy(owner: owner, name: "fix", current: nil, otherInlineDocuments: [other]),
                                      newDocument: policy(ofSize: limit - 499), verification: nil)
        #expect(tooBig.limits.first?.isHit == true)
        #expect(tooBig.limits.first?.maximum == limit)
        #expect(!tooBig.canApply)
        #expect(tooBig.limits.first?.whatToDo?.contains("customer managed policy") == true)
    }

    @Test func attachedManagedPoliciesLimit() throws {
        let target = { (count: Int) in
            PolicyChangeTarget.newManagedPolicy(name: "whydenied-fix", accountID: "111122223333", partition: "aws",
                                                attachTo: .role("app-role"), attachedCount: count)
        }
        let ok = try planner.plan(target: target(9), newDocument: policy(ofSize: 300), verification: nil)
        #expect(ok.canApply)
        #expect(ok.commands.map { $0.argv[2] } == ["create-policy", "attach-role-policy"])
        #expect(ok.rollback.map { $0.argv[2] } == ["detach-role-policy", "delete-policy"])
        let full = try planner.plan(target: target(10), newDocument: policy(ofSize: 300), verification: nil)
        let finding = try #require(full.limits.first { $0.quota == .attachedManagedPolicies })
        #expect(finding.used == 11 && finding.maximum == 10 && finding.blocksChange)
        #expect(!full.canApply)
    }

    @Test func bucketPolicyLimit() throws {
        let plan = try planner.plan(target: .bucketPolicy(bucket: "reports", current: nil), newDocument: policy(ofSize: 21_000), verification: nil)
        #expect(plan.limits.first?.quota == .bucketPolicySize)
        #expect(!plan.canApply)
    }

    @Test func fiveVersionsDeleteTheOldestNonDefaultVersionAfterBackingItUp() throws {
        let arn = "arn:aws:iam::111122223333:policy/app"
        // v1 is the default (it was made default again); v2 is the oldest non-default.
        let versions = [
            ManagedPolicyVersion(id: "v1", isDefault: true, created: "2026-01-01T00:00:00Z", document: policy([("s3:ListBucket", "arn:aws:s3:::b")])),
            ManagedPolicyVersion(id: "v4", isDefault: false, created: "2026-04-01T00:00:00Z", document: policy(ofSize: 100)),
            ManagedPolicyVersion(id: "v2", isDefault: false, created: "2026-02-01T00:00:00Z", document: policy([("s3:GetObject", "arn:aws:s3:::old/*")])),
            ManagedPolicyVersion(id: "v3", isDefault: false, created: "2026-03-01T00:00:00Z", document: policy(ofSize: 100)),
            ManagedPolicyVersion(id: "v5", isDefault: false, created: "2026-05-01T00:00:00Z", document: policy(ofSize: 100)),
        ]
        #expect(ManagedPolicyVersion.oldestNonDefault(in: versions)?.id == "v2")
        let newDocument = policy([("s3:ListBucket", "arn:aws:s3:::b"), ("s3:GetObject", "arn:aws:s3:::b/*")])
        let plan = try planner.plan(target: .managedPolicy(arn: arn, versions: versions), newDocument: newDocument,
                                    verification: VerificationRequest(principalARN: "arn:aws:iam::111122223333:role/app-role",
                                                                      actions: ["s3:GetObject"], resourceARNs: ["arn:aws:s3:::b/k"]),
                                    at: Date(timeIntervalSince1970: 1_700_000_000))
        let versionFinding = try #require(plan.limits.first { $0.quota == .managedPolicyVersions })
        #expect(versionFinding.isHit && versionFinding.resolvedByPlan && !versionFinding.blocksChange)
        #expect(versionFinding.whatToDo?.contains("v2") == true)
        #expect(plan.canApply)
        #expect(plan.backupPaths == ["backups/app-v1.json", "backups/app-v2.json"])
        #expect(plan.files.first { $0.relativePath == "backups/app-v2.json" }?.document == versions[2].document)
        #expect(plan.commands.map(\.argv) == [
            ["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v2"],
            ["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document",
             "file:///state/sessions/20261123-110000-abcdef/changes/app-1700000000000.json", "--set-as-default"],
        ])
        #expect(plan.commands.allSatisfy { $0.mutates })
        #expect(plan.rollback.map(\.argv) == [["aws", "iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", "v1"]])
        #expect(plan.verification.first?.argv == ["aws", "iam", "simulate-principal-policy", "--policy-source-arn",
                                                   "arn:aws:iam::111122223333:role/app-role", "--action-names", "s3:GetObject",
                                                   "--resource-arns", "arn:aws:s3:::b/k"])
        #expect(plan.verification.first?.mutates == false)
        #expect(plan.notes.contains(PolicyChangePlan.propagationReminder))
        #expect(plan.diff.unified().contains("+      \"Action\": \"s3:GetObject\","))
    }

    @Test func fewerThanFiveVersionsDeleteNothing() throws {
        let versions = (1...4).map { ManagedPolicyVersion(id: "v\($0)", isDefault: $0 == 4, created: "2026-0\($0)-01T00:00:00Z", document: policy(ofSize: 90)) }
        let plan = try planner.plan(target: .managedPolicy(arn: "arn:aws:iam::111122223333:policy/app", versions: versions),
                                    newDocument: policy(ofSize: 120), verification: nil)
        #expect(plan.commands.map { $0.argv[2] } == ["create-policy-version"])
        #expect(plan.limits.first { $0.quota == .managedPolicyVersions }?.used == 5)
        #expect(plan.limits.first { $0.quota == .managedPolicyVersions }?.isHit == false)
        #expect(plan.canApply)
        #expect(plan.rollback.first?.argv.last == "v4")
    }

    @Test func missingDocumentsAreAskedForNotGuessed() throws {
        let versions = (1...5).map { ManagedPolicyVersion(id: "v\($0)", isDefault: $0 == 5, created: "2026-0\($0)-01T00:00:00Z",
                                                          document: $0 == 5 ? policy(ofSize: 90) : nil) }
        #expect {
            try planner.plan(target: .managedPolicy(arn: "arn:aws:iam::111122223333:policy/app", versions: versions),
                             newDocument: policy(ofSize: 120), verification: nil)
        } throws: { error in
            "\(error)".contains("get-policy-version --policy-arn arn:aws:iam::111122223333:policy/app --version-id v1")
        }
    }

    @Test func inlineAndBucketRollbackUsesTheBackupOrDeletes() throws {
        let old = policy([("s3:ListBucket", "arn:aws:s3:::b")])
        let new = policy([("s3:GetObject", "arn:aws:s3:::b/*")])
        let replaced = try planner.plan(target: .inlinePolicy(owner: .role("app-role"), name: "app", current: old, otherInlineDocuments: []),
                                        newDocument: new, verification: nil, at: Date(timeIntervalSince1970: 1))
        #expect(replaced.backupPaths == ["backups/role-app-role-app-1000.json"])
        #expect(replaced.rollback.first?.argv == ["aws", "iam", "put-role-policy", "--role-name", "app-role", "--policy-name", "app",
                                                   "--policy-document", "file:///state/sessions/20261123-110000-abcdef/backups/role-app-role-app-1000.json"])
        let added = try planner.plan(target: .inlinePolicy(owner: .user("ana"), name: "app", current: nil, otherInlineDocuments: []),
                                     newDocument: new, verification: nil)
        #expect(added.backupPaths.isEmpty)
        #expect(added.rollback.first?.argv == ["aws", "iam", "delete-user-policy", "--user-name", "ana", "--policy-name", "app"])
        let bucket = try planner.plan(target: .bucketPolicy(bucket: "reports", current: old), newDocument: new, verification: nil,
                                      at: Date(timeIntervalSince1970: 2))
        #expect(bucket.rollback.first?.argv == ["aws", "s3api", "put-bucket-policy", "--bucket", "reports", "--policy",
                                                 "file:///state/sessions/20261123-110000-abcdef/backups/bucket-reports-2000.json"])
        let newBucket = try planner.plan(target: .bucketPolicy(bucket: "reports", current: nil), newDocument: new, verification: nil)
        #expect(newBucket.rollback.first?.argv == ["aws", "s3api", "delete-bucket-policy", "--bucket", "reports"])
    }

    @Test func listPolicyVersionsOutputIsRead() throws {
        let output = try JSONValue.parse("""
        {"Versions":[{"VersionId":"v2","IsDefaultVersion":true,"CreateDate":"2026-02-01T00:00:00+00:00"},
                     {"VersionId":"v1","IsDefaultVersion":false,"CreateDate":"2026-01-01T00:00:00+00:00",
                      "Document":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}]}
        """)
        let versions = ManagedPolicyVersion.list(fromListPolicyVersionsOutput: output)
        #expect(versions.map(\.id) == ["v2", "v1"])
        #expect(versions[0].isDefault)
        #expect(versions[1].document?["Version"]?.stringValue == "2012-10-17")
    }
}

@Suite struct PolicyDiffTests {
    @Test func unifiedDiffShowsOnlyTheChangeWithContext() {
        let before = (1...12).map { "line \($0)" }.joined(separator: "\n")
        let after = before.replacingOccurrences(of: "line 6", with: "line six")
        #expect(PolicyDiff(beforeText: before, afterText: after).unified() == """
        --- before
        +++ after
        @@ -3,7 +3,7 @@
         line 3
         line 4
         line 5
        -line 6
        +line six
         line 7
         line 8
         line 9

        """)
    }

    @Test func newPolicyIsAllAdditionsAndEqualDocumentsHaveNoDiff() {
        let document = policy([("s3:GetObject", "arn:aws:s3:::b/*")])
        let created = PolicyDiff(before: nil, after: document).unified()
        #expect(created.contains("@@ -0,0 +1,"))
        #expect(created.split(separator: "\n").dropFirst(3).allSatisfy { $0.hasPrefix("+") })
        #expect(PolicyDiff(before: document, after: document).unified() == "")
        #expect(!PolicyDiff(before: document, after: document).hasChanges)
    }

    @Test func separateChangesMakeSeparateHunks() {
        let before = (1...20).map { "l\($0)" }.joined(separator: "\n")
        let after = before.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l18", with: "L18")
        let diff = PolicyDiff(beforeText: before, afterText: after).unified()
        #expect(diff.components(separatedBy: "\n@@ ").count == 3)
        #expect(diff.contains("@@ -1,5 +1,5 @@"))
        #expect(diff.contains("@@ -15,6 +15,6 @@"))
    }
}
