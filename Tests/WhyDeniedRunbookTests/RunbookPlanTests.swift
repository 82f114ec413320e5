import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

@Suite("Plan of the access-denied runbook")
struct RunbookPlanTests {
    let parameters = ["principal": "DataAnalystRole", "region": "us-east-1", "time_frame": "2023-06-15T14:00:00Z,2023-06-15T16:00:00Z"]
    let commonFacts: [String: String] = [
        "time.start": "2023-06-15T14:00:00Z", "time.end": "2023-06-15T16:00:00Z",
        "time.start_ms": "1686837600000", "time.end_ms": "1686844800000",
        "resource.service": "s3api", "resource.policy_kind": "bucket", "resource.id": "example-bucket",
    ]

    func plan(_ facts: [String: String], extra: [String: JSONValue] = [:]) throws -> RunbookPlan {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let all = commonFacts.merging(facts) { _, new in new }.mapValues(JSONValue.string).merging(extra) { _, new in new }
        return RunbookPlan(runbook: runbook, parameters: parameters, facts: all)
    }

    @Test func roleRunsRoleCommandsOnly() throws {
        let plan = try plan(["principal.kind": "role", "principal.name": "DataAnalystRole",
                             "principal.arn": "arn:aws:iam::111122223333:role/DataAnalystRole",
                             "principal.event_username": "analyst-session"])
        #expect(plan.commands.map(\.argv) == [
            ["aws", "sts", "get-caller-identity"],
            // Shown as an assumption: the plan does not know whether the message carries an encoded blob.
            ["aws", "sts", "decode-authorization-message", "--encoded-message={{facts.denial.encoded_message}}"],
            ["aws", "cloudtrail", "describe-trails", "--region", "us-east-1"],
            ["aws", "cloudtrail", "get-trail-status", "--name", "{{trail_arn}}", "--region", "us-east-1"],
            ["aws", "cloudtrail", "get-event-selectors", "--trail-name", "{{trail_arn}}", "--region", "us-east-1"],
            ["aws", "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=analyst-session",
             "--start-time", "2023-06-15T14:00:00Z", "--end-time", "2023-06-15T16:00:00Z", "--region", "us-east-1", "--max-items", "1000"],
            ["aws", "logs", "filter-log-events", "--log-group-name", "{{log_group}}", "--start-time", "1686837600000",
             "--end-time", "1686844800000", "--filter-pattern",
             #"{ ($.errorCode = "*AccessDenied*") || ($.errorCode = "*UnauthorizedOperation*") }"#, "--region", "us-east-1",
             "--max-items", "1000"],
            ["aws", "athena", "start-query-execution", "--query-string", "{{facts.athena.create_table}}",
             "--work-group", "{{facts.athena.work_group}}", "--result-configuration",
             "OutputLocation={{facts.athena.output_location}}", "--region", "us-east-1"],
            ["aws", "athena", "get-query-execution", "--query-execution-id", "{{captures.athena_table_execution_id}}",
             "--region", "us-east-1"],
            ["aws", "athena", "start-query-execution", "--query-string", "{{facts.athena.denied_events_query}}",
             "--work-group", "{{facts.athena.work_group}}", "--result-configuration",
             "OutputLocation={{facts.athena.output_location}}", "--region", "us-east-1"],
            ["aws", "athena", "get-query-execution", "--query-execution-id", "{{captures.athena_query_execution_id}}",
             "--region", "us-east-1"],
            ["aws", "athena", "get-query-results", "--query-execution-id", "{{captures.athena_query_execution_id}}",
             "--max-items", "500", "--region", "us-east-1"],
            ["aws", "cloudtrail", "list-event-data-stores", "--region", "us-east-1"],
            ["aws", "cloudtrail", "start-query", "--query-statement",
             "{{facts.lake.query_select}} FROM {{captures.lake_event_data_store}} {{facts.lake.query_conditions}}",
             "--region", "us-east-1"],
            ["aws", "cloudtrail", "describe-query", "--query-id", "{{captures.lake_query_id}}", "--region", "us-east-1"],
            ["aws", "cloudtrail", "get-query-results", "--query-id", "{{captures.lake_query_id}}", "--region", "us-east-1"],
            ["aws", "s3api", "list-objects-v2", "--bucket", "{{folder.bucket}}", "--prefix", "{{folder.prefix}}",
             "--region", "us-east-1", "--max-items", "1000"],
            ["aws", "s3api", "get-object", "--bucket", "{{log_file.bucket}}", "--key", "{{log_file.key}}",
             "{{log_file.download_path}}", "--region", "us-east-1"],
            ["aws", "iam", "get-role", "--role-name", "DataAnalystRole"],
            ["aws", "iam", "list-attached-role-policies", "--role-name", "DataAnalystRole"],
            ["aws", "iam", "list-role-policies", "--role-name", "DataAnalystRole"],
            ["aws", "iam", "get-role-policy", "--role-name", "DataAnalystRole", "--policy-name", "{{policy_name}}"],
            // Shown as assumptions: whether the role is an Identity Center one is known once its name is read.
            ["aws", "sso-admin", "list-instances"],
            ["aws", "sso-admin", "list-permission-sets", "--instance-arn", "{{captures.sso_instance_arn}}"],
            ["aws", "sso-admin", "describe-permission-set", "--instance-arn", "{{captures.sso_instance_arn}}", "--permission-set-arn", "{{permission_set_arn}}"],
            ["aws", "sso-admin", "get-inline-policy-for-permission-set", "--instance-arn", "{{captures.sso_instance_arn}}", "--permission-set-arn", "{{permission_set}}"],
            ["aws", "sso-admin", "list-managed-policies-in-permission-set", "--instance-arn", "{{captures.sso_instance_arn}}", "--permission-set-arn", "{{permission_set}}"],
            ["aws", "sso-admin", "list-customer-managed-policy-references-in-permission-set", "--instance-arn", "{{captures.sso_instance_arn}}",
             "--permission-set-arn", "{{permission_set}}"],
            ["aws", "iam", "get-policy", "--policy-arn", "{{policy_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{version.item}}", "--version-id", "{{version.value}}"],
            ["aws", "iam", "get-policy", "--policy-arn", "{{boundary_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{version.item}}", "--version-id", "{{version.value}}"],
            // SCPs on the account's path (issue 14): run with the organization profile when given
            ["aws", "organizations", "describe-organization"],
            ["aws", "organizations", "list-parents", "--child-id", "{{facts.principal.account_id}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_1}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_2}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_3}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_4}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_5}}"],
            ["aws", "organizations", "describe-organizational-unit", "--organizational-unit-id", "{{ou_id}}"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{facts.principal.account_id}}", "--filter", "SERVICE_CONTROL_POLICY"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{target_id}}", "--filter", "SERVICE_CONTROL_POLICY"],
            ["aws", "organizations", "describe-policy", "--policy-id", "{{policy_id}}"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{facts.principal.account_id}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{target_id}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "describe-policy", "--policy-id", "{{policy_id}}"],
            ["aws", "s3api", "get-bucket-policy", "--bucket", "example-bucket", "--region", "us-east-1"],
            ["aws", "s3api", "get-public-access-block", "--bucket", "example-bucket", "--region", "us-east-1"],
            ["aws", "s3api", "get-bucket-ownership-controls", "--bucket", "example-bucket", "--region", "us-east-1"],
            ["aws", "s3api", "get-bucket-acl", "--bucket", "example-bucket", "--region", "us-east-1"],
            // The object's ACL, shown under its condition: which object is not known here.
            ["aws", "s3api", "get-object-acl", "--bucket", "example-bucket", "--key", "{{facts.resource.object_key}}", "--region", "us-east-1"],
            ["aws", "s3api", "get-bucket-tagging", "--bucket", "example-bucket", "--region", "us-east-1"],
            // The owner account's Block Public Access, each variant under its condition: read as the
            // resource profile's account, as the caller's, or (no caller account known) as the reading account.
            ["aws", "s3control", "get-public-access-block", "--account-id", "{{captures.resource_account}}", "--region", "us-east-1"],
            ["aws", "s3control", "get-public-access-block", "--account-id", "{{facts.principal.account_id}}", "--region", "us-east-1"],
            ["aws", "sts", "get-caller-identity"],
            ["aws", "s3control", "get-public-access-block", "--account-id", "{{captures.bucket_reader_account}}", "--region", "us-east-1"],
            // check_resource_account_rcps (issue 14): under its condition (whether the bucket is another
            // account's is known once its reads answer), the RCPs on that account's path.
            ["aws", "organizations", "describe-organization"],
            ["aws", "organizations", "list-parents", "--child-id", "{{facts.resource.other_account}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.resource_organization_ou_1}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.resource_organization_ou_2}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.resource_organization_ou_3}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.resource_organization_ou_4}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.resource_organization_ou_5}}"],
            ["aws", "organizations", "describe-organizational-unit", "--organizational-unit-id", "{{ou_id}}"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{facts.resource.other_account}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{target_id}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "describe-policy", "--policy-id", "{{policy_id}}"],
            // check_vpc_endpoint_policy: shown under its condition (the endpoint is not known yet).
            ["aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", "{{facts.denial.vpc_endpoint_id}}", "--region", "us-east-1"],
            // check_session_policy (issue 14): a role session, so the call that issued it is looked up, by event name
        ] + ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"].map { event in
            ["aws", "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=\(event)",
             "--start-time", "{{facts.time.session_start}}", "--end-time", "{{facts.time.session_end}}", "--region", "us-east-1", "--max-items", "1000"]
        } + [
            ["aws", "iam", "get-policy", "--policy-arn", "{{policy_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{version.item}}", "--version-id", "{{version.value}}"],
            // implement: fix.kind unknown, so every variant shows with its condition (checked below)
        ] + implementCommands(principal: "DataAnalystRole", principalARN: "arn:aws:iam::111122223333:role/DataAnalystRole"))
        #expect(!plan.commands.contains { $0.argv.contains("list-groups-for-user") || $0.argv.contains("--group-name") })
        let lookup = plan.commands.first { $0.id == "look_up_events.log_group_events" }
        #expect(lookup?.forEach == "log_group in captures.trail_log_groups (at most 3)")
        #expect(lookup?.assumption == "captures.trail_log_groups present")
        #expect(plan.steps.first { $0.id == "implement" }?.assumption == "facts.fix.policy_document present")
        let athena = plan.commands.first { $0.id == "look_up_events.athena_create_table" }
        #expect(athena?.assumption == "facts.athena.create_table present")
        #expect(athena?.mutates == true)
    }

    @Test func userRunsUserAndGroupCommands() throws {
        let plan = try plan(["principal.kind": "user", "principal.name": "ana", "principal.event_username": "ana",
                             "principal.arn": "arn:aws:iam::111122223333:user/ana",
                             "fix.kind": "new_managed_policy_user", "fix.policy_name": "WhyDeniedFix-ana",
                             "denial.action": "s3:GetObject", "denial.resource_arn": "arn:aws:s3:::example-bucket/report.csv"],
                            extra: ["fix.policy_document": .object(JSONObject([("Version", .string("2012-10-17"))]))])
        let iam = plan.commands.filter { $0.stepID == "check_iam" }.map(\.argv)
        #expect(iam == [
            ["aws", "iam", "get-user", "--user-name", "ana"],
            ["aws", "iam", "list-attached-user-policies", "--user-name", "ana"],
            ["aws", "iam", "list-user-policies", "--user-name", "ana"],
            ["aws", "iam", "get-user-policy", "--user-name", "ana", "--policy-name", "{{policy_name}}"],
            ["aws", "iam", "list-groups-for-user", "--user-name", "ana"],
            ["aws", "iam", "list-attached-group-policies", "--group-name", "{{group_name}}"],
            ["aws", "iam", "list-group-policies", "--group-name", "{{group_name}}"],
            ["aws", "iam", "get-group-policy", "--group-name", "{{group_policy.item}}", "--policy-name", "{{group_policy.value}}"],
            ["aws", "iam", "get-policy", "--policy-arn", "{{policy_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{version.item}}", "--version-id", "{{version.value}}"],
            ["aws", "iam", "get-policy", "--policy-arn", "{{boundary_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{version.item}}", "--version-id", "{{version.value}}"],
            // SCPs on the account's path (issue 14): run with the organization profile when given
            ["aws", "organizations", "describe-organization"],
            ["aws", "organizations", "list-parents", "--child-id", "{{facts.principal.account_id}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_1}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_2}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_3}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_4}}"],
            ["aws", "organizations", "list-parents", "--child-id", "{{captures.organization_ou_5}}"],
            ["aws", "organizations", "describe-organizational-unit", "--organizational-unit-id", "{{ou_id}}"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{facts.principal.account_id}}", "--filter", "SERVICE_CONTROL_POLICY"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{target_id}}", "--filter", "SERVICE_CONTROL_POLICY"],
            ["aws", "organizations", "describe-policy", "--policy-id", "{{policy_id}}"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{facts.principal.account_id}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "list-policies-for-target", "--target-id", "{{target_id}}", "--filter", "RESOURCE_CONTROL_POLICY"],
            ["aws", "organizations", "describe-policy", "--policy-id", "{{policy_id}}"],
        ])
        let implement = plan.commands.filter { $0.stepID == "implement" }
        #expect(implement.map(\.argv) == [
            ["aws", "iam", "create-policy", "--policy-name", "WhyDeniedFix-ana", "--policy-document", #"{"Version":"2012-10-17"}"#],
            ["aws", "iam", "attach-user-policy", "--user-name", "ana", "--policy-arn", "{{captures.created_policy_arn}}"],
            ["aws", "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::111122223333:user/ana",
             "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::example-bucket/report.csv"],
        ])
        #expect(implement.map(\.mutates) == [true, true, false])
        #expect(implement[1].assumption == "facts.fix.kind = new_managed_policy_user and captures.created_policy_arn present")
        #expect(implement[1].pending == ["captures.created_policy_arn"])
    }

    @Test func eachCommandSaysHowItIsHandled() throws {
        let planned = try plan(["principal.kind": "role", "principal.name": "OrderProcessorRole",
                             "principal.arn": "arn:aws:iam::111122223333:role/OrderProcessorRole",
                             "fix.kind": "new_policy_version", "fix.policy_arn": "arn:aws:iam::111122223333:policy/B",
                             "fix.current_version": "v1", "denial.action": "sqs:SendMessage",
                             "denial.resource_arn": "arn:aws:sqs:us-east-1:111122223333:orders"])
        func handling(_ id: String) -> [String]? { planned.commands.first { $0.id == id }?.handling }
        #expect(handling("implement.backup_policy_version") == ["backup: its output is kept before the change"])
        #expect(handling("implement.create_policy_version") == ["checked first: policy_size_within_limit, policy_versions_below_limit"])
        #expect(handling("implement.verify_identity_fix") == ["optional: a failure is noted and the step goes on"])
        #expect(handling("look_up_events.lookup_events")?.contains("at most 2 requests/s") == true)
        #expect(handling("look_up_events.athena_query_done")?.first?.hasPrefix("re-run until QueryExecution.Status.State is SUCCEEDED/FAILED/CANCELLED") == true)
        #expect(handling("verify_dependencies.caller_identity") == [])
    }

    @Test func resourceStepIsLeftOutWhenNoResourceIsKnownAndShownAsAssumptionWhenUnknown() throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let unknown = RunbookPlan(runbook: runbook, parameters: parameters, facts: ["principal.kind": .string("role")])
        let step = try #require(unknown.steps.first { $0.id == "check_resource_policies" })
        #expect(step.applies && step.assumption == "facts.resource.service present")
        // One read (or a short chain) per row of ResourcePolicyService.all, then the key's grants and tags,
        // a bucket's three S3 settings, an object's ACL and the bucket's tags, and its owner account's Block Public Access
        // (three variants and the reading account's look-up; resource_account waits for a
        // resource_profile the plan is not given).
        #expect(step.commands.count == ResourcePolicyService.all.reduce(0) { $0 + $1.lookups.count + 1 } + 2 + 5 + 4)
        let lambda = RunbookPlan(runbook: runbook, parameters: parameters,
                                 facts: ["resource.service": .string("lambda"), "resource.policy_kind": .string("function"),
                                         "resource.id": .string("fn")])
        #expect(lambda.commands.filter { $0.stepID == "check_resource_policies" }.map(\.argv) == [
            ["aws", "lambda", "get-policy", "--function-name", "fn", "--region", "us-east-1"],
        ])
    }

    /// The implement step when fix.kind is unknown: every variant, each behind its condition.
    /// Every kind's backups, then the changes, then the reads that check them (FixApplications.all's order).
    func implementCommands(principal: String, principalARN: String) -> [[String]] {
        [
            ["aws", "iam", "get-user-policy", "--user-name", principal, "--policy-name", "{{facts.fix.policy_name}}"],
            ["aws", "iam", "get-role-policy", "--role-name", principal, "--policy-name", "{{facts.fix.policy_name}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}", "--version-id", "{{facts.fix.current_version}}"],
            ["aws", "iam", "list-policy-versions", "--policy-arn", "{{facts.fix.policy_arn}}"],
            ["aws", "iam", "get-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}", "--version-id", "{{captures.version_to_delete}}"],
            ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.fix.bucket}}"],
            ["aws", "iam", "get-role", "--role-name", "{{facts.fix.role}}"],
            ["aws", "sso-admin", "get-inline-policy-for-permission-set", "--instance-arn", "{{facts.fix.instance_arn}}", "--permission-set-arn", "{{facts.fix.permission_set_arn}}"],
            ["aws", "iam", "create-policy", "--policy-name", "{{facts.fix.policy_name}}", "--policy-document", "{{facts.fix.policy_document}}"],
            ["aws", "iam", "attach-user-policy", "--user-name", principal, "--policy-arn", "{{captures.created_policy_arn}}"],
            ["aws", "iam", "attach-role-policy", "--role-name", principal, "--policy-arn", "{{captures.created_policy_arn}}"],
            ["aws", "iam", "put-user-policy", "--user-name", principal, "--policy-name", "{{facts.fix.policy_name}}",
             "--policy-document", "{{facts.fix.policy_document}}"],
            ["aws", "iam", "put-role-policy", "--role-name", principal, "--policy-name", "{{facts.fix.policy_name}}",
             "--policy-document", "{{facts.fix.policy_document}}"],
            ["aws", "iam", "delete-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}", "--version-id", "{{captures.version_to_delete}}"],
            ["aws", "iam", "create-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}",
             "--policy-document", "{{facts.fix.policy_document}}", "--set-as-default"],
            ["aws", "s3api", "put-bucket-policy", "--bucket", "{{facts.fix.bucket}}", "--policy", "{{facts.fix.policy_document}}"],
            ["aws", "iam", "update-assume-role-policy", "--role-name", "{{facts.fix.role}}", "--policy-document", "{{facts.fix.policy_document}}"],
            // An Identity Center role's fix: the permission set's inline policy, then provisioning.
            ["aws", "sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", "{{facts.fix.instance_arn}}", "--permission-set-arn", "{{facts.fix.permission_set_arn}}", "--inline-policy", "{{facts.fix.policy_document}}"],
            ["aws", "sso-admin", "provision-permission-set", "--instance-arn", "{{facts.fix.instance_arn}}", "--permission-set-arn", "{{facts.fix.permission_set_arn}}", "--target-type", "ALL_PROVISIONED_ACCOUNTS"],
            ["aws", "sso-admin", "describe-permission-set-provisioning-status", "--instance-arn", "{{facts.fix.instance_arn}}",
             "--provision-permission-set-request-id", "{{captures.provisioning_request_id}}"],
            ["aws", "iam", "simulate-principal-policy", "--policy-source-arn", principalARN,
             "--action-names", "{{facts.denial.action}}", "--resource-arns", "{{facts.denial.resource_arn}}"],
            ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.fix.bucket}}"],
            ["aws", "iam", "get-role", "--role-name", "{{facts.fix.role}}"],
            ["aws", "sso-admin", "get-inline-policy-for-permission-set", "--instance-arn", "{{facts.fix.instance_arn}}", "--permission-set-arn", "{{facts.fix.permission_set_arn}}"],
        ]
    }
}

/// The `whydenied runbook` subcommand, run as the built binary.
@Suite("whydenied runbook command")
struct RunbookCommandTests {
    var binary: String { RunbookPaths.repositoryRoot.appendingPathComponent(".build/debug/whydenied").path }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = RunbookPaths.repositoryRoot
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test func validateAcceptsTheRealRunbookAndRejectsABrokenCopy() throws {
        let good = try run(["runbook", "validate", "Runbooks/access-denied.yaml"])
        #expect(good.status == 0)
        #expect(good.output.contains("OK (13 steps"))
        let text = try String(contentsOfFile: RunbookPaths.accessDenied, encoding: .utf8)
        // The implement step's changes come from Swift (FixApplications); Athena's table is the file's own.
        let broken = text.replacingOccurrences(of: "        mutates: true\n        argv: [aws, athena, start-query-execution, --query-string, \"{{facts.athena.create_table}}\",",
                                               with: "        argv: [aws, athena, start-query-execution, --query-string, \"{{facts.athena.create_table}}\",")
            .replacingOccurrences(of: "--role-name, \"{{facts.principal.name}}\"]\n        capture:\n          - {name: role_boundary_arns",
                                  with: "--role-name, \"{{params.role}}\"]\n        capture:\n          - {name: role_boundary_arns")
        #expect(broken != text)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml").path
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bad = try run(["runbook", "validate", path])
        #expect(bad.status == 1)
        let name = (path as NSString).lastPathComponent
        let createLine = broken.components(separatedBy: "\n").firstIndex { $0.contains("argv: [aws, athena, start-query-execution, --query-string, \"{{facts.athena.create_table}}\"") }.map { $0 + 1 }
        let roleLine = broken.components(separatedBy: "\n").firstIndex { $0.contains("{{params.role}}") }.map { $0 + 1 }
        #expect(bad.error.contains("\(name):\(roleLine ?? 0): {{params.role}} names no parameter"))
        #expect(bad.error.contains("\(name):\(createLine ?? 0): command \"athena_create_table\" changes the account (athena:StartQueryExecution is Write in the action catalog) and must say mutates: true"))
    }

    /// Issue 12: `runbook validate` accepted an unmarked `aws s3 mb`, and `run` then executed it.
    /// Both now refuse the file, with file:line and the reason, before any command runs.
    @Test func validateAndRunRefuseAnUnmarkedBucketCreation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let runbook = minimalRunbook.replacingOccurrences(of: "[aws, sts, get-caller-identity,", with: "[aws, s3, mb, \"s3://{{params.principal}}\",")
        let path = folder.appendingPathComponent("mb.yaml").path
        try runbook.write(toFile: path, atomically: true, encoding: .utf8)
        // A stand-in `aws` that notes every call, to show that nothing ran.
        let marker = folder.appendingPathComponent("calls.txt").path
        let fakeAWS = folder.appendingPathComponent("aws").path
        try "#!/bin/sh\necho \"$@\" >> '\(marker)'\n".write(toFile: fakeAWS, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeAWS)

        let expected = "mb.yaml:14: command \"caller\" changes the account (aws s3 mb creates a bucket) and must say mutates: true"
        let validated = try run(["runbook", "validate", path])
        #expect(validated.status == 1)
        #expect(validated.error.contains(expected))
        let ran = try run(["run", "--non-interactive", "--yes-read-only", "--runbook", path, "--aws", fakeAWS,
                           "--param", "principal=eve", "--param", "region=us-east-1"])
        #expect(ran.status == 1)
        #expect(ran.error.contains(expected))
        #expect(!FileManager.default.fileExists(atPath: marker), "aws was called: \((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "")")
    }

    @Test func planPrintsResolvedCommands() throws {
        let result = try run(["runbook", "plan", "--param", "principal=arn:aws:iam::111122223333:user/ana",
                              "--param", "region=eu-west-1", "--param", "time_frame=1 hour ago"])
        #expect(result.status == 0)
        #expect(result.output.contains("       aws iam list-groups-for-user --user-name ana\n"))
        #expect(result.output.contains("AttributeKey=Username,AttributeValue=ana"))
        let missing = try run(["runbook", "plan", "--param", "principal=ana"])
        #expect(missing.status != 0)
        #expect(missing.error.contains("missing required parameter(s): --param time_frame=... --param region=..."))
    }

    /// A resource ARN given as a parameter picks its row of the resource-policy table: the plan
    /// shows that row's read, and no other service's.
    @Test func planShowsTheResourcesPolicyRead() throws {
        let result = try run(["runbook", "plan", "--param", "principal=arn:aws:iam::111122223333:role/OrderIngestRole",
                              "--param", "region=us-east-1", "--param", "time_frame=1 hour ago",
                              "--param", "resource=arn:aws:events:us-east-1:111122223333:event-bus/orders-bus"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("aws events describe-event-bus --name orders-bus --region us-east-1\n"), "\(result.output)")
        #expect(!result.output.contains("get-bucket-policy --bucket orders-bus"))
    }
}
