import Foundation
import Testing
import WhyDeniedRunbook
import WhyDeniedJSON
import WhyDeniedTestSupport
@testable import WhyDeniedAnalysis

/// Every fix rendered as Terraform and CloudFormation, checked by the tools a platform team
/// would use: the Terraform parsed by python-hcl2 and its `aws_iam_policy_document` turned back
/// into a policy that must equal the JSON fix; the CloudFormation template linted by cfn-lint.
@Suite(.enabled(if: FixAsCodeTools.available, "python-hcl2 or cfn-lint missing (Scripts/setup.sh installs them)"))
struct FixAsCodeTests {
    static let account = "111122223333"
    static let statement = JSONValue.object(JSONObject([
        ("Sid", .string("AllowGetReports")), ("Effect", .string("Allow")), ("Action", .string("s3:GetObject")),
        ("Resource", .array([.string("arn:aws:s3:::analytics/reports/${aws:username}/*")])),
        ("Condition", .object(JSONObject([("StringEquals", .object(JSONObject([("aws:userid", .string("AROAEXAMPLE:alice"))])))]))),
    ]))
    static let resourceStatement = JSONValue.object(JSONObject([
        ("Sid", .string("AllowCaller")), ("Effect", .string("Allow")),
        ("Principal", .object(JSONObject([("AWS", .string("arn:aws:iam::\(account):role/DataAnalystRole"))]))),
        ("Action", .array([.string("s3:GetObject")])), ("Resource", .string("arn:aws:s3:::analytics/reports/q3.csv")),
    ]))

    static let trustStatement = JSONValue.object(JSONObject([
        ("Sid", .string("TrustCiDeployer")), ("Effect", .string("Allow")),
        ("Principal", .object(JSONObject([("AWS", .string("arn:aws:iam::\(account):user/ci-deployer"))]))),
        ("Action", .string("sts:AssumeRole")),
    ]))
    static let queueStatement = JSONValue.object(JSONObject([
        ("Sid", .string("AllowOrderWorker")), ("Effect", .string("Allow")),
        ("Principal", .object(JSONObject([("AWS", .string("arn:aws:iam::\(account):role/OrderProcessorRole"))]))),
        ("Action", .string("sqs:SendMessage")), ("Resource", .string("arn:aws:sqs:us-east-1:\(account):orders")),
    ]))

    /// A statement of the resource's own service (cfn-lint checks a policy's actions against the
    /// resource type that holds it).
    static func statement(_ action: String, on resource: String) -> JSONValue {
        .object(JSONObject([
            ("Sid", .string("WhyDeniedGrant")), ("Effect", .string("Allow")),
            ("Principal", .object(JSONObject([("AWS", .string("arn:aws:iam::\(account):role/OrderProcessorRole"))]))),
            ("Action", .string(action)), ("Resource", .string(resource)),
        ]))
    }

    static func fix(_ target: PolicyToAdd.Target, _ arn: String, _ statement: JSONValue, name: String = "whydenied-s3-GetObject") -> PolicyToAdd {
        PolicyToAdd(target: target, attachmentTargetArn: arn, policyName: name,
                    policy: .object(JSONObject([("Version", .string("2012-10-17")), ("Statement", .array([statement]))])),
                    reasons: [])
    }

    static let identityCenterRole = "arn:aws:iam::\(account):role/AWSReservedSSO_DataAnalyst_0123456789abcdef"

    static let cases: [(String, PolicyToAdd)] = [
        ("aws_ssoadmin_permission_set_inline_policy", fix(.roleInlinePolicy, identityCenterRole, statement)),
        ("aws_iam_role_policy", fix(.roleInlinePolicy, "arn:aws:iam::\(account):role/DataAnalystRole", statement)),
        ("aws_iam_user_policy", fix(.userInlinePolicy, "arn:aws:iam::\(account):user/ci-deployer", statement)),
        ("aws_iam_policy", fix(.permissionsBoundary, "arn:aws:iam::\(account):policy/OrderProcessorBoundary", statement)),
        ("aws_s3_bucket_policy", fix(.resourcePolicy, "arn:aws:s3:::analytics/reports/q3.csv", resourceStatement)),
        ("aws_sqs_queue_policy", fix(.resourcePolicy, "arn:aws:sqs:us-east-1:\(account):orders", queueStatement)),
        ("aws_sns_topic_policy", fix(.resourcePolicy, "arn:aws:sns:us-east-1:\(account):order-events",
                                     statement("sns:Publish", on: "arn:aws:sns:us-east-1:\(account):order-events"))),
        ("aws_secretsmanager_secret_policy", fix(.resourcePolicy, "arn:aws:secretsmanager:us-east-1:\(account):secret:prod/db-AbCdEf",
                                                 statement("secretsmanager:GetSecretValue", on: "*"))),
        ("aws_ecr_repository_policy", fix(.resourcePolicy, "arn:aws:ecr:us-east-1:\(account):repository/orders-api",
                                          statement("ecr:BatchGetImage", on: "arn:aws:ecr:us-east-1:\(account):repository/orders-api"))),
        ("aws_kms_key_policy", fix(.kmsKeyPolicy, "arn:aws:kms:us-east-1:\(account):key/1234abcd-12ab-34cd-56ef-1234567890ab", resourceStatement)),
        ("aws_iam_role", fix(.roleTrustPolicy, "arn:aws:iam::\(account):role/DeployRole", trustStatement)),
        ("aws_organizations_policy", fix(.serviceControlPolicy, "ou-abcd-12345678", statement, name: "DenyOutsideRegions")),
        ("aws_vpc_endpoint_policy", fix(.vpcEndpointPolicy, "vpce-0123456789abcdef0", resourceStatement)),
    ]

    @Test(arguments: cases.map(\.0))
    func terraformCarriesExactlyTheFixDocument(resource: String) async throws {
        let fix = try #require(Self.cases.first { $0.0 == resource }?.1)
        let code = try #require(FixAsCode.render(fix, owner: Self.owner(fix)))
        let parsed = try await FixAsCodeTools.terraformDocuments(code.terraform)
        let documents = try #require(parsed["documents"]?.objectValue)
        #expect(documents.count == 1)
        let document = try #require(documents.entries.first?.value)
        #expect(FixAsCodeTools.normalized(document) == FixAsCodeTools.normalized(fix.policy), "\(code.terraform)")
        let references = parsed["references"]?.arrayValue ?? []
        #expect(references.contains { $0["resource"]?.stringValue == resource && $0["document"]?.stringValue == documents.keys.first },
                "\(code.terraform)")
    }

    /// Every case's template linted by one cfn-lint run (each start costs about 2 s of CPU); each
    /// case then reads its own file's findings.
    static let lintedTemplates = Task { () throws -> FixAsCodeTools.LintRun in
        var templates: [String: String] = [:]
        for (resource, fix) in cases {
            if let code = FixAsCode.render(fix, owner: owner(fix)) { templates[resource] = code.cloudFormation }
        }
        return try await FixAsCodeTools.cfnLint(templates)
    }

    @Test(arguments: cases.map(\.0))
    func cloudFormationLintsClean(resource: String) async throws {
        let fix = try #require(Self.cases.first { $0.0 == resource }?.1)
        let code = try #require(FixAsCode.render(fix, owner: Self.owner(fix)))
        let lint = try await Self.lintedTemplates.value
        let findings = try #require(lint.findings[resource], "\(resource) was not linted")
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))\n\(code.cloudFormation)")
        // A failed run that names no file (cfn-lint itself failed) fails every case.
        #expect(lint.exitCode == 0 || lint.findings.values.contains { !$0.isEmpty }, "\(lint.output)")
    }

    static func owner(_ fix: PolicyToAdd) -> FixTargetOwner {
        FixTargetOwner.classify(FixTargetFacts(arn: fix.attachmentTargetArn))
    }

    @Test func policyVariablesAreEscapedForHCL() {
        #expect(PolicyDocumentHCL.quoted("a/${aws:username}/%{x}\"q\\") == "\"a/$${aws:username}/%%{x}\\\"q\\\\\"")
    }

    @Test func aServiceWithoutACodeResourceGetsNoRendering() {
        #expect(FixAsCode.render(Self.fix(.resourcePolicy, "arn:aws:glue:us-east-1:\(Self.account):catalog", Self.resourceStatement)) == nil)
    }
}

/// python-hcl2 and cfn-lint, run as child processes (`TestProcess`) off the cooperative pool.
enum FixAsCodeTools {
    static let script = Bundle.module.url(forResource: "Fixtures/fix-as-code/terraform_policy_document", withExtension: "py")!

    static var available: Bool {
        (try? TestProcess.run("/usr/bin/env", ["python3", "-c", "import hcl2"]).status) == 0
            && (try? TestProcess.run("/usr/bin/env", ["cfn-lint", "--version"]).status) == 0
    }

    static func terraformDocuments(_ text: String) async throws -> JSONValue {
        let file = try temporaryFile("main.tf", text)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try await TestProcess.running("/usr/bin/env", ["python3", script.path, file.path])
        guard result.status == 0 else { throw Failure(text: "hcl2 failed: \(result.output)") }
        return try JSONValue.parse(result.stdout)
    }

    struct LintRun: Sendable {
        var exitCode: Int32
        var output: String
        /// Per template name, cfn-lint's findings on its file (parseable lines), empty when clean.
        var findings: [String: [String]]
    }

    /// Lints the named templates in one cfn-lint run (`--format parseable`: a finding per line,
    /// starting with its file's path).
    static func cfnLint(_ templates: [String: String]) async throws -> LintRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfn-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String: String] = [:]
        for (name, template) in templates {
            let file = folder.appendingPathComponent("\(name).yaml")
            try template.write(to: file, atomically: true, encoding: .utf8)
            files[name] = file.path
        }
        let result = try await TestProcess.running("/usr/bin/env", ["cfn-lint", "--format", "parseable", "--"] + files.values.sorted())
        let lines = result.output.split(separator: "\n").map(String.init)
        let findings = files.mapValues { path in lines.filter { $0.hasPrefix(path + ":") } }
        return LintRun(exitCode: result.status, output: result.output, findings: findings)
    }

    /// String-or-list elements as lists, so `"Action": "x"` equals `["x"]` as AWS reads them
    /// (Action, Resource and their Not forms, principal identifiers, condition values).
    static func normalized(_ value: JSONValue, listLeaves: Bool = false) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.entries.sorted { $0.key < $1.key }.map { entry in
                switch entry.key {
                case "Action", "NotAction", "Resource", "NotResource":
                    return (entry.key, normalized(entry.value, listLeaves: true))
                case "Principal", "NotPrincipal":
                    if entry.value.stringValue == "*" { return (entry.key, entry.value) }
                    return (entry.key, normalizedMap(entry.value, depth: 1))
                case "Condition":
                    return (entry.key, normalizedMap(entry.value, depth: 2))
                default:
                    return (entry.key, normalized(entry.value))
                }
            }))
        case .array(let items):
            return .array(items.map { normalized($0) })
        default:
            return listLeaves ? .array([value]) : value
        }
    }

    /// Maps `depth` levels deep whose leaves are string-or-list.
    private static func normalizedMap(_ value: JSONValue, depth: Int) -> JSONValue {
        guard let object = value.objectValue else { return value }
        return .object(JSONObject(object.entries.sorted { $0.key < $1.key }.map { entry in
            if depth > 1 { return (entry.key, normalizedMap(entry.value, depth: depth - 1)) }
            return (entry.key, entry.value.arrayValue.map { .array($0) } ?? .array([entry.value]))
        }))
    }

    struct Failure: Error, CustomStringConvertible { var text: String; var description: String { text } }

    private static func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fix-as-code-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The resource-policy code placements come from the service table, one row per service.
@Suite struct ResourcePolicyCodeTableTests {
    /// A service's code columns are its `ResourcePolicyService` row's (`asCode`): one row per
    /// service, and every row that has them renders.
    @Test func resourcePolicyCodeComesFromTheServiceTable() throws {
        let rows = ResourcePolicyService.all.filter { $0.asCode != nil }
        #expect(rows.map(\.name) == ["bucket", "queue", "topic", "secret", "repository"])
        let queue = try #require(FixAsCode.render(FixAsCodeTests.fix(.resourcePolicy, "arn:aws:sqs:eu-west-1:\(FixAsCodeTests.account):orders", FixAsCodeTests.queueStatement)))
        #expect(queue.terraform.contains("queue_url = \"https://sqs.eu-west-1.amazonaws.com/\(FixAsCodeTests.account)/orders\""))
        #expect(queue.cloudFormation.contains("AWS::SQS::QueuePolicy"))
    }
}
