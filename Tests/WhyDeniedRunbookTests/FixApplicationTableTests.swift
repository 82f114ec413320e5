import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// The fix applications: one per `fix.kind`, the implement step's commands rendered from them,
/// and each change's undo from the fix's facts.
@Suite struct FixApplicationTableTests {
    /// The kinds `FactCatalog` documents for `fix.kind` (the session sets no other).
    static var catalogKinds: Set<String> {
        Set((FactCatalog.facts["fix.kind"] ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    @Test func everyFixKindHasExactlyOneApplication() {
        let kinds = FixApplications.all.map(\.kind)
        #expect(Set(kinds).count == kinds.count, "a kind with two applications: \(kinds)")
        #expect(!Self.catalogKinds.isEmpty)
        for kind in Self.catalogKinds {
            #expect(FixApplications.application(forKind: kind) != nil, "fix.kind \(kind) has no FixApplication")
        }
        for kind in kinds { #expect(Self.catalogKinds.contains(kind), "\(kind) is not documented in FactCatalog's fix.kind") }
    }

    /// The change dialog's title comes from the application (the permission set's was missing
    /// when the dialog kept its own switch): every kind names its target from the facts it sets.
    @Test func everyKindNamesWhatItWritesBeforeItRuns() {
        let facts: [String: JSONValue] = ([
            "principal.name": "app", "fix.policy_name": "WhyDeniedFix", "fix.bucket": "reports", "fix.role": "Deployer",
            "fix.policy_arn": "arn:aws:iam::111122223333:policy/Read", "fix.permission_set": "DataAnalyst",
            "fix.permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-1", "fix.instance_arn": "arn:aws:sso:::instance/ssoins-1",
        ] as [String: String]).mapValues(JSONValue.string)
        for application in FixApplications.all {
            let target = application.proposedTarget(FixContext(facts: facts.merging(["fix.kind": .string(application.kind)]) { $1 }))
            #expect(!target.contains("?"), "\(application.kind): \(target)")
            #expect(["app", "reports", "Deployer", "policy/Read", "DataAnalyst"].contains { target.contains($0) }, "\(application.kind): \(target)")
        }
        #expect(PermissionSetPolicyApplication().proposedTarget(FixContext(facts: facts)) == "inline policy of permission set DataAnalyst")
    }

    /// Every change records a target and an undo; a read records none. Commands several kinds
    /// share are rendered once, so they must be the same command in each.
    @Test func everyChangeHasARecordAndSharedCommandsAgree() {
        var seen: [String: FixCommand] = [:]
        for application in FixApplications.all {
            #expect(application.commands.contains { $0.mutates }, "\(application.kind) changes nothing")
            for command in application.commands {
                let record = application.applied(command.id, FixContext(facts: [:]))
                #expect((record != nil) == command.mutates, "\(application.kind).\(command.id)")
                #expect(command.phase == .change || !command.mutates, "\(command.id) changes outside the change phase")
                if let earlier = seen[command.id] { #expect(earlier == command, "\(command.id) differs between kinds") }
                seen[command.id] = command
            }
            // The first change of a kind that replaces a policy waits for its backup.
            if let firstChange = application.commands.firstIndex(where: \.mutates),
               let backup = application.commands.firstIndex(where: \.backup) {
                #expect(backup < firstChange)
            }
        }
    }

    /// Done means (issue 15 §4): the implement step's YAML names no fix kind; its commands are the table's.
    @Test func theImplementStepNamesNoFixKindAndTakesTheTablesCommands() throws {
        let text = try String(contentsOfFile: RunbookPaths.accessDenied, encoding: .utf8)
        let step = try #require(text.range(of: "  - id: implement\n"))
        #expect(!text[step.lowerBound...].contains("fix.kind"))
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let implement = try #require(runbook.steps.first { $0.id == "implement" })
        let ids = FixCommand.Phase.allCases.flatMap { phase in
            FixApplications.all.flatMap { $0.commands.filter { $0.phase == phase }.map(\.id) }
        }
        var unique: [String] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        #expect(implement.commands.map(\.id) == unique)
        #expect(implement.commands.filter(\.mutates).count == 11)
    }

    /// Each kind's commands, as the plan shows them once the fix is known: argv, backups first,
    /// changes with their checks, and only that kind's.
    @Test(arguments: [
        ("user_inline_policy", ["backup_user_policy", "put_user_policy", "verify_identity_fix"]),
        ("role_inline_policy", ["backup_role_policy", "put_role_policy", "verify_identity_fix"]),
        ("new_managed_policy_user", ["create_policy", "attach_user_policy", "verify_identity_fix"]),
        ("new_managed_policy_role", ["create_policy", "attach_role_policy", "verify_identity_fix"]),
        ("new_policy_version", ["backup_policy_version", "policy_versions", "backup_version_to_delete", "delete_policy_version",
                                "create_policy_version", "verify_identity_fix"]),
        ("bucket_policy", ["backup_bucket_policy", "put_bucket_policy", "verify_bucket_policy"]),
        ("trust_policy", ["backup_trust_policy", "update_trust_policy", "verify_trust_policy"]),
        ("permission_set_inline_policy", ["backup_permission_set_policy", "put_permission_set_policy", "provision_permission_set",
                                          "permission_set_provisioned", "verify_permission_set_policy"]),
    ])
    func eachKindPlansOnlyItsOwnCommands(kind: String, ids: [String]) throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let facts: [String: JSONValue] = [
            "fix.kind": .string(kind), "fix.policy_document": .object(JSONObject([("Version", .string("2012-10-17"))])),
            "principal.name": .string("ana"), "principal.arn": .string("arn:aws:iam::111122223333:user/ana"),
            "fix.policy_name": .string("WhyDeniedFix"), "fix.bucket": .string("reports"), "fix.role": .string("DeployRole"),
            "fix.policy_arn": .string("arn:aws:iam::111122223333:policy/B"), "fix.current_version": .string("v1"),
            "fix.instance_arn": .string("arn:aws:sso:::instance/ssoins-1"), "fix.permission_set_arn": .string("arn:aws:sso:::permissionSet/ps-1"),
            "denial.action": .string("s3:GetObject"), "denial.resource_arn": .string("arn:aws:s3:::reports/q3.csv"),
        ]
        let plan = RunbookPlan(runbook: runbook, parameters: ["principal": "ana", "region": "us-east-1", "time_frame": "2023-06-15T14:00:00Z,2023-06-15T16:00:00Z"],
                               facts: facts)
        let implement = plan.commands.filter { $0.stepID == "implement" }
        #expect(implement.map { String($0.id.dropFirst("implement.".count)) } == ids)
        let application = try #require(FixApplications.application(forKind: kind))
        for planned in implement {
            let command = try #require(application.commands.first { "implement.\($0.id)" == planned.id })
            #expect(planned.mutates == command.mutates)
            #expect(!planned.argv.joined().contains("{{facts."), "\(planned.id): \(planned.argv)")
        }
    }

    @Test func theRenderedArgvOfAChangeUsesTheFixFacts() throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let plan = RunbookPlan(runbook: runbook, parameters: ["principal": "ana", "region": "us-east-1", "time_frame": "2023-06-15T14:00:00Z,2023-06-15T16:00:00Z"],
                               facts: ["fix.kind": .string("bucket_policy"), "fix.bucket": .string("reports"),
                                       "fix.policy_document": .object(JSONObject([("Version", .string("2012-10-17"))]))])
        let put = try #require(plan.commands.first { $0.id == "implement.put_bucket_policy" })
        #expect(put.argv == ["aws", "s3api", "put-bucket-policy", "--bucket", "reports", "--policy", #"{"Version":"2012-10-17"}"#])
        #expect(put.handling == ["checked first: bucket_policy_size_within_limit"])
    }
}

/// Each application's record of a change: the target and the undo, from the facts, captures,
/// output and backup, never the argv.
@Suite struct FixApplicationUndoTests {
    static let document = #"{"Version":"2012-10-17","Statement":[]}"#

    func applied(_ kind: String, _ command: String, facts: [String: String], captures: [String: String] = [:],
                 output: JSONValue? = nil, backup: JSONValue? = nil) throws -> FixChange {
        let application = try #require(FixApplications.application(forKind: kind))
        return try #require(application.applied(command, FixContext(facts: facts.mapValues(JSONValue.string),
                                                                     captures: captures.mapValues(JSONValue.string),
                                                                     output: output, backup: backup)))
    }

    @Test func aNewManagedPolicyIsDetachedAndDeleted() throws {
        let facts = ["principal.name": "ana", "fix.policy_name": "WhyDeniedFix-ana"]
        let arn = "arn:aws:iam::111122223333:policy/WhyDeniedFix-ana"
        let created = try applied("new_managed_policy_user", "create_policy", facts: facts,
                                  output: .object(JSONObject([("Policy", .object(JSONObject([("Arn", .string(arn))])))])))
        #expect(created == FixChange(target: "managed policy \(arn)", rollback: [["aws", "iam", "delete-policy", "--policy-arn", arn]]))
        let failedOutput = try applied("new_managed_policy_role", "create_policy", facts: facts)
        #expect(failedOutput == FixChange(target: "managed policy WhyDeniedFix-ana", rollback: []))
        let attached = try applied("new_managed_policy_user", "attach_user_policy", facts: facts, captures: ["created_policy_arn": arn])
        #expect(attached == FixChange(target: "user ana", rollback: [["aws", "iam", "detach-user-policy", "--user-name", "ana", "--policy-arn", arn]]))
        #expect(FixApplications.application(forKind: "new_managed_policy_user")?.applied("attach_role_policy", FixContext(facts: [:])) == nil)
    }

    @Test func anInlinePolicyIsPutBackOrDeletedAndWritesTheInlinePolicy() throws {
        let facts = ["principal.name": "app", "fix.policy_name": "fix"]
        let backup = JSONValue.object(JSONObject([("PolicyDocument", .string(Self.document))]))
        let replaced = try applied("role_inline_policy", "put_role_policy", facts: facts, backup: backup)
        #expect(replaced.rollback == [["aws", "iam", "put-role-policy", "--role-name", "app", "--policy-name", "fix",
                                       "--policy-document", Self.document]])
        #expect(replaced.writes == .inlinePolicy(owner: .role, ownerName: "app", policyName: "fix"))
        let added = try applied("user_inline_policy", "put_user_policy", facts: ["principal.name": "ana", "fix.policy_name": "fix"])
        #expect(added.target == "inline policy fix of user ana")
        #expect(added.rollback == [["aws", "iam", "delete-user-policy", "--user-name", "ana", "--policy-name", "fix"]])
    }

    @Test func aPolicyVersionChangeRestoresTheDefaultAndRecreatesADeletedVersion() throws {
        let arn = "arn:aws:iam::111122223333:policy/B"
        let facts = ["fix.policy_arn": arn]
        let backup = JSONValue.object(JSONObject([("PolicyVersion", .object(JSONObject([
            ("VersionId", .string("v2")), ("Document", .string(Self.document))])))]))
        let deleted = try applied("new_policy_version", "delete_policy_version", facts: facts, captures: ["version_to_delete": "v2"], backup: backup)
        #expect(deleted == FixChange(target: "version v2 of managed policy \(arn) (deleted)",
                                     rollback: [["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Self.document]]))
        let output = JSONValue.object(JSONObject([("PolicyVersion", .object(JSONObject([("VersionId", .string("v6"))])))]))
        let created = try applied("new_policy_version", "create_policy_version", facts: facts, output: output, backup: backup)
        #expect(created.rollback == [["aws", "iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", "v2"],
                                     ["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v6"]])
        #expect(created.writes == .managedPolicy(arn: arn))
    }

    @Test func bucketTrustAndPermissionSetChangesUndoFromTheirBackups() throws {
        let bucket = try applied("bucket_policy", "put_bucket_policy", facts: ["fix.bucket": "reports"],
                                 backup: .object(JSONObject([("Policy", .string(Self.document))])))
        #expect(bucket == FixChange(target: "bucket policy of reports",
                                    rollback: [["aws", "s3api", "put-bucket-policy", "--bucket", "reports", "--policy", Self.document]],
                                    writes: .bucketPolicy(bucket: "reports")))
        let trust = try applied("trust_policy", "update_trust_policy", facts: ["fix.role": "DeployRole"],
                                backup: .object(JSONObject([("Role", .object(JSONObject([("AssumeRolePolicyDocument", .string(Self.document))])))])))
        #expect(trust.rollback == [["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole", "--policy-document", Self.document]])
        #expect(trust.writes == .trustPolicy(role: "DeployRole"))
        let set = ["fix.instance_arn": "arn:aws:sso:::instance/ssoins-1", "fix.permission_set_arn": "arn:aws:sso:::permissionSet/ps-1"]
        let provisioned = try applied("permission_set_inline_policy", "provision_permission_set", facts: set)
        #expect(provisioned == FixChange(target: "accounts of permission set arn:aws:sso:::permissionSet/ps-1", rollback: []))
        let put = try applied("permission_set_inline_policy", "put_permission_set_policy", facts: set)
        #expect(put.rollback.first?.prefix(3) == ["aws", "sso-admin", "delete-inline-policy-from-permission-set"])
        #expect(put.rollback.last?.prefix(3) == ["aws", "sso-admin", "provision-permission-set"])
        #expect(put.writes == .callerRoleInlinePolicy(policyName: "AwsSSOInlinePolicy"))
    }
}
