import Foundation
import Testing
@testable import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// An Identity Center role's fix goes to its permission set. moto does not implement
/// `sso-admin`, so the reads are replayed from a recording of real-format CLI output
/// (Fixtures/identity-center/reads.runs.jsonl, see Fixtures/README.md) through `ReplayLauncher`,
/// the same replay `whydenied run --replay` uses.
@Suite struct IdentityCenterReplayTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let role = "AWSReservedSSO_DataAnalyst_0123456789abcdef"
    static let instance = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
    static let permissionSet = "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0f1e2d3c4b5a6978"
    /// The fix facts of the permission set's change: its target and undo come from them.
    static let fixFacts: [String: JSONValue] = ["fix.kind": .string("permission_set_inline_policy"), "fix.instance_arn": .string(instance),
                                                "fix.permission_set_arn": .string(permissionSet)]

    /// The session's IAM reads for the role, replayed: which commands ran and what they left.
    static func replayedReads() async throws -> (session: GuidedSession, replay: ReplayLauncher) {
        let records = try RunRecording.read(from: fixtures.appendingPathComponent("identity-center/reads.runs.jsonl"))
        let replay = ReplayLauncher(records: records)
        let runner = AWSCommandRunner(connection: AWSConnection(), launcher: replay, needsExecutable: false)
        let runbook = try RunbookFixture.loaded()
        var reads = runbook
        reads.steps = runbook.steps.filter { $0.id == "check_iam" }
        var session = GuidedSession(runbook: reads, parameters: [
            "principal": "arn:aws:sts::111122223333:assumed-role/\(role)/alice@example.com", "region": "eu-west-1",
        ], now: Date(), readOnly: true)
        await session.runHeadless(effects: runner) { _ in }
        return (session, replay)
    }

    @Test func theRolesPermissionSetIsFoundByNameAndItsInlinePolicyRead() async throws {
        let (session, replay) = try await Self.replayedReads()
        #expect(session.engine.facts["principal.permission_set"]?.stringValue == "DataAnalyst")
        // Every recorded read ran (none left over), each one provably read-only.
        #expect(replay.unusedRecords.map(\.argv) == [])
        for entry in session.transcript {
            let classification = CommandClassifier.bundled.classify(entry.argv)
            #expect(!classification.mutates, "\(entry.argv): \(classification.reason)")
        }
        let read = try #require(FixFacts.PermissionSetRead.from(captures: session.engine.captures))
        #expect(read.instanceArn == Self.instance)
        #expect(read.permissionSetArn == Self.permissionSet)
        #expect(try JSONValue.parse(try #require(read.inlinePolicy))["Statement"]?[0]?["Sid"]?.stringValue == "AthenaQueries")
        // Who owns the role, from get-role's path.
        let owner = FixTargetOwner.classify(try #require(CapturedAccount.ownerFacts(
            captures: session.engine.captures, principalArn: "arn:aws:iam::111122223333:role/\(Self.role)").first))
        #expect(owner == .identityCenter(permissionSet: "DataAnalyst"))
    }

    @Test func theFixIsTheSetsInlinePolicyWithTheNewStatementAdded() async throws {
        let (session, _) = try await Self.replayedReads()
        let add = PolicyToAdd(target: .roleInlinePolicy, attachmentTargetArn: "arn:aws:iam::111122223333:role/\(Self.role)",
                              policyName: "whydenied-s3-GetObject",
                              policy: try JSONValue.parse(#"{"Version": "2012-10-17", "Statement": [{"Sid": "AllowGetObject", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::analytics-data-bucket/reports/*"}]}"#),
                              reasons: [])
        let fix = LeastPrivilegeFix(kind: .addAllow, summary: "s", policiesToAdd: [add], denyEdits: [], failedConditions: [],
                                    commands: [], possibleExtraActions: [], missingContextKeys: [], warnings: [])
        let facts = FixFacts.facts(for: fix, resourceService: "s3api", resourceID: "analytics-data-bucket",
                                   owner: .identityCenter(permissionSet: "DataAnalyst"),
                                   permissionSet: FixFacts.PermissionSetRead.from(captures: session.engine.captures))
        #expect(facts["fix.kind"]?.stringValue == "permission_set_inline_policy")
        #expect(facts["fix.instance_arn"]?.stringValue == Self.instance)
        #expect(facts["fix.permission_set_arn"]?.stringValue == Self.permissionSet)
        let statements = try #require(facts["fix.policy_document"]?["Statement"]?.arrayValue)
        #expect(statements.compactMap { $0["Sid"]?.stringValue } == ["AthenaQueries", "AllowGetObject"])

        // Without the set read (no rights where Identity Center is administered): not applied, and why.
        let unread = FixFacts.facts(for: fix, resourceService: nil, resourceID: nil, owner: .identityCenter(permissionSet: "DataAnalyst"))
        #expect(unread["fix.kind"] == nil)
        #expect(unread["fix.not_applied"]?.stringValue?.contains("org_profile") == true)

        // The implement step renders the change on the permission set: backup, put, provision, wait, read back.
        let runbook = try RunbookFixture.loaded()
        let implement = try #require(runbook.step("implement"))
        let ids = implement.commands.map(\.id)
        for id in ["backup_permission_set_policy", "put_permission_set_policy", "provision_permission_set",
                   "permission_set_provisioned", "verify_permission_set_policy"] {
            #expect(ids.contains(id), "\(id)")
        }
        #expect(ids.firstIndex(of: "backup_permission_set_policy")! < ids.firstIndex(of: "put_permission_set_policy")!)
    }

    /// Issue 15: after the permission set's change, the denied request is re-checked offline with
    /// the new inline policy on the role Identity Center provisions it to (`AwsSSOInlinePolicy`).
    @Test func thePermissionSetChangeIsReCheckedOfflineOnItsRole() throws {
        let principal = RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/\(Self.role)/alice@example.com")
        let request = AuthorizationRequest(principal: principal, action: "s3:GetObject",
                                           resource: RequestResource(arn: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv"))
        let athena = #"{"Version":"2012-10-17","Statement":[{"Sid":"AthenaQueries","Effect":"Allow","Action":"athena:*","Resource":"*"}]}"#
        let merged = #"{"Version":"2012-10-17","Statement":[{"Sid":"AthenaQueries","Effect":"Allow","Action":"athena:*","Resource":"*"},{"Sid":"AllowGetObject","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-data-bucket/reports/*"}]}"#
        var policies = PolicySet()
        policies.identityPolicies = [AttachedPolicy(name: "AwsSSOInlinePolicy", document: try PolicyDocument.parse(json: try JSONValue.parse(athena)),
                                                    attachment: PolicyAttachment(holder: .role, holderName: Self.role, isManaged: false))]
        #expect(PolicyEvaluator().evaluate(request, against: policies).decision == .implicitDeny)
        let written = try #require(RunbookChange.applied(commandID: "put_permission_set_policy", step: "implement", argv: [], output: "",
                                                         facts: Self.fixFacts, backup: nil, backupPath: nil).writes)
        let target = try #require(RunbookChange.target(of: written, principal: principal))
        let document = try JSONValue.parse(merged)
        #expect(target == .inlinePolicy(owner: .role(Self.role), name: "AwsSSOInlinePolicy", current: nil, otherInlineDocuments: []))
        let changed = try ChangeVerification.policies(policies, replacing: target, with: document)
        #expect(changed.identityPolicies.count == 1, "the provisioned inline policy is replaced, not added beside")
        #expect(try ChangeVerification.evaluate(request, policies: policies, replacing: target, with: document).decision == .allowed)
        // A caller that is not an Identity Center role: no role to put it on, no re-check claimed.
        #expect(RunbookChange.target(of: written, principal: RequestPrincipal(arn: "arn:aws:iam::111122223333:user/ana")) == nil)
    }

    /// The change and its undo: with an inline policy before, it is put back; without one, deleted;
    /// either way the permission set is provisioned again. Reads classify read-only, writes not.
    @Test func thePermissionSetChangeBacksUpAndRollsBack() throws {
        let put = ["aws", "sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", Self.instance,
                   "--permission-set-arn", Self.permissionSet, "--inline-policy", #"{"Version":"2012-10-17","Statement":[]}"#]
        let old = #"{"Version":"2012-10-17","Statement":[{"Sid":"AthenaQueries","Effect":"Allow","Action":"athena:*","Resource":"*"}]}"#
        let provision = ["aws", "sso-admin", "provision-permission-set", "--instance-arn", Self.instance,
                         "--permission-set-arn", Self.permissionSet, "--target-type", "ALL_PROVISIONED_ACCOUNTS"]
        let restored = RunbookChange.applied(commandID: "put_permission_set_policy", step: "implement", argv: put, output: "", facts: Self.fixFacts,
                                             backup: .object(JSONObject([("InlinePolicy", .string(old))])), backupPath: "b.json").change
        #expect(restored.rollbackArgv == [["aws", "sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", Self.instance,
                                           "--permission-set-arn", Self.permissionSet, "--inline-policy", old], provision])
        let none = RunbookChange.applied(commandID: "put_permission_set_policy", step: "implement", argv: put, output: "", facts: Self.fixFacts,
                                         backup: .object(JSONObject([("InlinePolicy", .string(""))])), backupPath: nil).change
        #expect(none.rollbackArgv == [["aws", "sso-admin", "delete-inline-policy-from-permission-set", "--instance-arn", Self.instance,
                                       "--permission-set-arn", Self.permissionSet], provision])
        // The backup read paired with the change is the same permission set's.
        let backupRead = ["aws", "sso-admin", "get-inline-policy-for-permission-set", "--instance-arn", Self.instance,
                          "--permission-set-arn", Self.permissionSet]
        #expect(ChangeBackup.index(for: put, among: [ChangeBackup.Candidate(argv: ["aws", "iam", "get-role", "--role-name", "x"], output: nil),
                                                     ChangeBackup.Candidate(argv: backupRead, output: nil)]) == 1)
        // Provisioned as each role's inline policy: the role inline size limit applies.
        let findings = RunbookChange.limitFindings(argv: put, preconditions: ["policy_size_within_limit"])
        #expect(findings.first?.maximum == PolicyQuota.inlineRolePolicyCharacters)
        for write in [put, provision, ["aws", "sso-admin", "delete-inline-policy-from-permission-set", "--instance-arn", Self.instance,
                                       "--permission-set-arn", Self.permissionSet]] {
            #expect(CommandClassifier.bundled.classify(write).mutates, "\(write)")
        }
        // sso-admin runs where Identity Center is administered: with the organization profile.
        let arguments = AWSConnection(profile: "member", organizationProfile: "org-management").arguments(for: backupRead)
        #expect(RunbookChange.value("--profile", in: arguments) == "org-management")
        for read in [backupRead, ["aws", "sso-admin", "describe-permission-set-provisioning-status", "--instance-arn", Self.instance,
                                  "--provision-permission-set-request-id", "r-1"]] {
            #expect(!CommandClassifier.bundled.classify(read).mutates, "\(read)")
        }
    }
}
