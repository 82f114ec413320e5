import Foundation
import Testing
@testable import WhyDeniedAnalysis
import WhyDeniedJSON
@testable import WhyDeniedSession

/// A trust-policy fix through the implement step's safety: the facts the runbook reads, the
/// backup read the change is paired with, the size limit, the undo, and the offline re-check.
@Suite struct TrustPolicyChangeTests {
    static let role = "arn:aws:iam::123456789012:role/DeployRole"
    static let caller = "arn:aws:iam::123456789012:user/ci-deployer"
    static let old = #"{"Version":"2012-10-17","Statement":[{"Sid":"TrustReleaseManagers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ReleaseManagerRole"},"Action":"sts:AssumeRole"}]}"#
    static let statement = #"{"Version":"2012-10-17","Statement":[{"Sid":"WhyDeniedAssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ci-deployer"},"Action":"sts:AssumeRole"}]}"#
    static let merged = #"{"Version":"2012-10-17","Statement":[{"Sid":"TrustReleaseManagers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ReleaseManagerRole"},"Action":"sts:AssumeRole"},{"Sid":"WhyDeniedAssumeRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ci-deployer"},"Action":"sts:AssumeRole"}]}"#
    /// `aws iam get-role` as the CLI prints it: the trust policy decoded into an object.
    static let getRole = #"{"Role":{"Path":"/","RoleName":"DeployRole","RoleId":"AROAEXAMPLE","Arn":"arn:aws:iam::123456789012:role/DeployRole","AssumeRolePolicyDocument":\#(old)}}"#

    static func fix(_ target: PolicyToAdd.Target, at arn: String, replacement: String?) throws -> LeastPrivilegeFix {
        LeastPrivilegeFix(
            kind: .addAllow, summary: "add the caller",
            policiesToAdd: [PolicyToAdd(target: target, attachmentTargetArn: arn, policyName: "trust policy of DeployRole",
                                        policy: try JSONValue.parse(statement), reasons: [],
                                        replacementDocument: try replacement.map(JSONValue.parse))],
            denyEdits: [], failedConditions: [], commands: [], possibleExtraActions: [], missingContextKeys: [], warnings: [])
    }

    @Test func aTrustFixGivesTheRunbookTheRoleAndTheWholeNewTrustPolicy() throws {
        let facts = FixFacts.facts(for: try Self.fix(.roleTrustPolicy, at: Self.role, replacement: Self.merged),
                                   resourceService: "iam", resourceID: "DeployRole")
        #expect(facts["fix.kind"] == .string("trust_policy"))
        #expect(facts["fix.role"] == .string("DeployRole"))
        // Written whole: the old statement stays, the caller's is added.
        #expect(facts["fix.policy_document"] == (try JSONValue.parse(Self.merged)))
        // Not read, not written: a trust policy replaced blind would lose whom it trusts.
        #expect(FixFacts.facts(for: try Self.fix(.roleTrustPolicy, at: Self.role, replacement: nil),
                               resourceService: "iam", resourceID: "DeployRole").isEmpty)
    }

    @Test func aBucketFixKeepsTheStatementsOfTheBucketPolicyItExtends() throws {
        let bucket = "arn:aws:s3:::deploy-artifacts"
        let existing = #"{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::deploy-artifacts/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"WhyDeniedPutObject","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ci-deployer"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::deploy-artifacts/build/app.zip"}]}"#
        let facts = FixFacts.facts(for: try Self.fix(.resourcePolicy, at: bucket, replacement: existing),
                                   resourceService: "s3api", resourceID: "deploy-artifacts")
        #expect(facts["fix.kind"] == .string("bucket_policy"))
        #expect(facts["fix.policy_document"] == (try JSONValue.parse(existing)))
        // A bucket with no policy gets the new statement alone.
        let fresh = FixFacts.facts(for: try Self.fix(.resourcePolicy, at: bucket, replacement: nil),
                                   resourceService: "s3api", resourceID: "deploy-artifacts")
        #expect(fresh["fix.policy_document"] == (try JSONValue.parse(Self.statement)))
    }

    @Test func theChangeIsPairedWithItsGetRoleBackupAndUndoneWithIt() throws {
        let update = ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole", "--policy-document", Self.merged]
        let otherRole = Self.getRole.replacingOccurrences(of: "\"RoleName\":\"DeployRole\"", with: "\"RoleName\":\"Other\"")
        let candidates = [
            ChangeBackup.Candidate(argv: ["aws", "iam", "get-role", "--role-name", "Other"], output: try JSONValue.parse(otherRole)),
            ChangeBackup.Candidate(argv: ["aws", "iam", "get-role", "--role-name", "DeployRole"], output: try JSONValue.parse(Self.getRole)),
        ]
        #expect(ChangeBackup.index(for: update, among: candidates) == 1)
        #expect(ChangeBackup.policy(in: try JSONValue.parse(Self.getRole)) == (try JSONValue.parse(Self.old)))

        let facts: [String: JSONValue] = ["fix.kind": .string("trust_policy"), "fix.role": .string("DeployRole")]
        let change = RunbookChange.applied(commandID: "update_trust_policy", step: "implement", argv: update, output: "", facts: facts,
                                           backup: try JSONValue.parse(Self.getRole), backupPath: "backups/implement.backup_trust_policy.json").change
        #expect(change.target == "trust policy of role DeployRole")
        #expect(change.rollbackArgv == [["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole",
                                         "--policy-document", try JSONValue.parse(Self.old).serialized()]])
        #expect(change.backupPaths == ["backups/implement.backup_trust_policy.json"])
        // The CLI may print the document URL-encoded; the undo is the same document.
        let encoded = #"{"Role":{"RoleName":"DeployRole","AssumeRolePolicyDocument":"\#(Self.old.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"}}"#
        let fromEncoded = RunbookChange.applied(commandID: "update_trust_policy", step: "implement", argv: update, output: "", facts: facts,
                                                backup: try JSONValue.parse(encoded), backupPath: nil).change
        #expect(fromEncoded.rollbackArgv == change.rollbackArgv)
    }

    @Test func theTrustPolicySizeLimitIsCheckedBeforeTheChange() throws {
        let one = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/a-rather-long-role-name-for-the-size-check"},"Action":"sts:AssumeRole"}"#
        let big = #"{"Version":"2012-10-17","Statement":["# + Array(repeating: one, count: 20).joined(separator: ",") + "]}"
        let argv = ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole", "--policy-document", big]
        let findings = RunbookChange.limitFindings(argv: argv, preconditions: ["trust_policy_size_within_limit"])
        let finding = try #require(findings.first)
        #expect(finding.quota == .trustPolicySize)
        #expect(finding.maximum == 2_048)
        #expect(finding.blocksChange)
        let fits = RunbookChange.limitFindings(argv: ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole",
                                                      "--policy-document", Self.merged], preconditions: ["trust_policy_size_within_limit"])
        #expect(fits.first?.blocksChange == false)
    }

    @Test func theDeniedRequestIsAllowedWithTheNewTrustPolicyInPlace() throws {
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: Self.caller), action: "sts:AssumeRole",
                                           resource: RequestResource(arn: Self.role, account: "123456789012"))
        var policies = PolicySet()
        policies.identityPolicies = [AttachedPolicy(name: "AssumeDeployRole", document: try PolicyDocument.parse(json: try JSONValue.parse(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/DeployRole"}]}"#)),
            attachment: PolicyAttachment(holder: .user, holderName: "ci-deployer", isManaged: false))]
        policies.roleTrustPolicy = AttachedPolicy(name: "trust policy of DeployRole", document: try PolicyDocument.parse(json: try JSONValue.parse(Self.old)))
        #expect(PolicyEvaluator().evaluate(request, against: policies).decision == .implicitDeny)
        let written = try #require(RunbookChange.applied(commandID: "update_trust_policy", step: "implement", argv: [], output: "",
                                                         facts: ["fix.kind": .string("trust_policy"), "fix.role": .string("DeployRole")],
                                                         backup: nil, backupPath: nil).writes)
        let target = try #require(RunbookChange.target(of: written))
        let document = try JSONValue.parse(Self.merged)
        #expect(target == .trustPolicy(role: "DeployRole", current: nil))
        let after = try ChangeVerification.evaluate(request, policies: policies, replacing: target, with: document)
        #expect(after.decision == .allowed)
        #expect(try ChangeVerification.policies(policies, replacing: target, with: document).roleTrustPolicy?.name == "trust policy of DeployRole")
    }

    @Test func thePlannerBacksUpTheTrustPolicyAndRollsBackFromTheBackup() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let planner = PolicyChangePlanner(folder: folder)
        #expect(throws: PolicyChangePlanningError.self) {
            try planner.plan(target: .trustPolicy(role: "DeployRole", current: nil), newDocument: try JSONValue.parse(Self.merged), verification: nil)
        }
        let plan = try planner.plan(target: .trustPolicy(role: "DeployRole", current: try JSONValue.parse(Self.old)),
                                    newDocument: try JSONValue.parse(Self.merged), verification: nil)
        #expect(plan.canApply)
        #expect(plan.target.displayName == "trust policy of role DeployRole")
        let backup = try #require(plan.files.first { $0.kind == .backup })
        #expect(backup.document == (try JSONValue.parse(Self.old)))
        #expect(Array(plan.commands[0].argv.prefix(6)) == ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole", "--policy-document"])
        #expect(plan.rollback[0].argv.last == "file://" + folder.resolve(backup.relativePath).path)
    }
}
