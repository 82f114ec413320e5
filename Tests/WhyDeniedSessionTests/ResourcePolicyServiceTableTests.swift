import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// The one table of resource-policy services (`ResourcePolicyService.all`): every row is whole
/// (its kind known to the evaluator, its reads read-only by the classifier, its service in the
/// action catalog, its parser registered, its commands in the shipped runbook), and every row's
/// parser reads its command's real output. A row added without a sample here fails the test.
@Suite struct ResourcePolicyServiceTableTests {
    /// A statement every sample policy holds, as the JSON string most services return.
    static let escapedPolicy = #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Sample\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}"#

    /// Per row: an ARN it covers, the names its read takes, and its command's output in the
    /// service's documented response shape (API reference "Response Syntax" / CLI examples).
    static let samples: [String: (arn: String, id: String, parent: String?, output: String)] = [
        "bucket": ("arn:aws:s3:::analytics-data-bucket/reports/q3.csv", "analytics-data-bucket", nil,
                   #"{"Policy": "\#(escapedPolicy)"}"#),
        "access_point": ("arn:aws:s3:us-east-1:111122223333:accesspoint/finance-reports/object/q3.csv", "finance-reports", nil,
                         #"{"Policy": "\#(escapedPolicy)"}"#),
        "key": ("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab", nil,
                #"{"Policy": "\#(escapedPolicy)", "PolicyName": "default"}"#),
        "queue": ("arn:aws:sqs:us-east-1:111122223333:orders", "orders", nil,
                  #"{"Attributes": {"Policy": "\#(escapedPolicy)"}}"#),
        "topic": ("arn:aws:sns:us-east-1:111122223333:alerts", "arn:aws:sns:us-east-1:111122223333:alerts", nil,
                  #"{"Attributes": {"Policy": "\#(escapedPolicy)", "Owner": "111122223333", "TopicArn": "arn:aws:sns:us-east-1:111122223333:alerts"}}"#),
        "function": ("arn:aws:lambda:us-east-1:111122223333:function:resize:prod", "resize", nil,
                     #"{"Policy": "\#(escapedPolicy)", "RevisionId": "4843f2f6-7c59-4fda-b484-afd0bc0e22b8"}"#),
        "secret": ("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", nil,
                   #"{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", "Name": "db", "ResourcePolicy": "\#(escapedPolicy)"}"#),
        "repository": ("arn:aws:ecr:us-east-1:111122223333:repository/team/app", "team/app", nil,
                       #"{"registryId": "111122223333", "repositoryName": "team/app", "policyText": "\#(escapedPolicy)"}"#),
        "role_trust": ("arn:aws:iam::111122223333:role/path/Deployer", "Deployer", nil,
                       #"{"Role": {"RoleName": "Deployer", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Sample", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}}}"#),
        "event_bus": ("arn:aws:events:us-east-1:111122223333:event-bus/orders-bus", "orders-bus", nil,
                      #"{"Name": "orders-bus", "Arn": "arn:aws:events:us-east-1:111122223333:event-bus/orders-bus", "Policy": "\#(escapedPolicy)", "CreationTime": 1700000000.0}"#),
        "file_system": ("arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0123456789abcdef0", "fs-0123456789abcdef0", nil,
                        #"{"FileSystemId": "fs-0123456789abcdef0", "Policy": "\#(escapedPolicy)"}"#),
        "glue_catalog": ("arn:aws:glue:us-east-1:111122223333:table/sales/orders", "111122223333", nil,
                         #"{"PolicyInJson": "\#(escapedPolicy)", "PolicyHash": "aGFzaA==", "CreateTime": 1700000000.0, "UpdateTime": 1700000000.0}"#),
        // get-rest-api returns the policy with its quotes escaped once more: {\"Version\":…}.
        "rest_api": ("arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/orders", "a1b2c3d4e5", nil,
                     #"{"id": "a1b2c3d4e5", "name": "orders-api", "policy": "\#(escapedPolicy.replacingOccurrences(of: #"\""#, with: #"\\\""#))", "endpointConfiguration": {"types": ["REGIONAL"]}}"#),
        "backup_vault": ("arn:aws:backup:us-east-1:111122223333:backup-vault:prod-vault", "prod-vault", nil,
                         #"{"BackupVaultName": "prod-vault", "BackupVaultArn": "arn:aws:backup:us-east-1:111122223333:backup-vault:prod-vault", "Policy": "\#(escapedPolicy)"}"#),
        "codeartifact_repository": ("arn:aws:codeartifact:us-east-1:111122223333:repository/acme/npm-store", "npm-store", "acme",
                                    #"{"policy": {"resourceArn": "arn:aws:codeartifact:us-east-1:111122223333:repository/acme/npm-store", "revision": "MQlyyTQRASRU3HB58gBtSDHXG7Q3hvxxxxxxx=", "document": "\#(escapedPolicy)"}}"#),
        "codeartifact_domain": ("arn:aws:codeartifact:us-east-1:111122223333:domain/acme", "acme", nil,
                                #"{"policy": {"resourceArn": "arn:aws:codeartifact:us-east-1:111122223333:domain/acme", "revision": "MQlyyTQRASRU3HB58gBtSDHXG7Q3hvxxxxxxx=", "document": "\#(escapedPolicy)"}}"#),
        // The policy is a JSON document value: a list of rules, not an IAM policy.
        "collection_access": ("arn:aws:aoss:us-east-1:111122223333:collection/a1b2c3d4e5f6", "a1b2c3d4e5f6", nil,
                              #"{"accessPolicyDetail": {"name": "logs-readers", "type": "data", "policyVersion": "MTY4MDcxMzQ1NDA3NF8x", "policy": [{"Rules": [{"ResourceType": "index", "Resource": ["index/logs/*"], "Permission": ["aoss:ReadDocument"]}], "Principal": ["arn:aws:iam::111122223333:role/Analyst"]}], "createdDate": 1680713454074, "lastModifiedDate": 1680713454074}}"#),
    ]

    @Test func everyRowHasASampleAndEveryKindARow() {
        let names = ResourcePolicyService.all.map(\.name)
        #expect(Set(names).count == names.count, "row names repeat: \(names)")
        #expect(Set(names) == Set(Self.samples.keys), "rows without a sample here, or samples without a row")
        let kinds = ResourcePolicyService.all.map(\.kind)
        #expect(Set(kinds).count == kinds.count, "kinds repeat: \(kinds)")
        for row in ResourcePolicyService.all {
            #expect(ResourcePolicyKind(rawValue: row.kind) != nil, "\(row.name): kind \(row.kind) is not a ResourcePolicyKind")
        }
        for kind in ResourcePolicyKind.allCases where kind != .other {
            #expect(kinds.contains(kind.rawValue), "ResourcePolicyKind.\(kind) has no ResourcePolicyService row")
        }
        let captures = ResourcePolicyService.all.map(\.capture)
        #expect(Set(captures).count == captures.count, "captures repeat: \(captures)")
    }

    @Test(arguments: ResourcePolicyService.all.map(\.name))
    func rowIsComplete(_ name: String) throws {
        let row = try #require(ResourcePolicyService.named(name))
        let catalog = ActionCatalog.bundled
        #expect(OutputParsers.registry[row.parser] != nil, "\(name): no parser \(row.parser)")
        #expect(!row.label.isEmpty && !row.read.argv.isEmpty)
        // The service is known under each of its names: event source, ARN service, CLI service.
        let fromEvent = try #require(AWSService(eventSource: row.eventSource), "\(name): \(row.eventSource)")
        #expect(try catalog.service(fromEvent.iamPrefix) != nil, "\(name): \(row.eventSource) → \(fromEvent.iamPrefix) is not in the action catalog")
        #expect(try catalog.service(row.arnService) != nil, "\(name): ARN service \(row.arnService) is not in the action catalog")
        #expect(try catalog.service(AWSCLICommands.iamPrefix(forCLIService: row.cliService)) != nil,
                "\(name): CLI service \(row.cliService) maps to no catalog service")
        for read in row.lookups + [row.read] {
            #expect(read.argv.prefix(2) == ["aws", row.cliService][...], "\(name).\(read.id): runs \(read.argv.prefix(2))")
            let classification = CommandClassifier.bundled.classify(read.argv)
            #expect(!classification.mutates, "\(name).\(read.id) is not read-only by the classifier: \(classification)")
        }
        #expect(row.read.id == row.parser, "\(name): the policy read's id should be \(row.parser)")
    }

    @Test(arguments: ResourcePolicyService.all.map(\.name))
    func rowCoversItsSampleArn(_ name: String) throws {
        let sample = try #require(Self.samples[name])
        let target = try #require(ResourcePolicyTarget(arn: sample.arn), "\(sample.arn) maps to no row")
        #expect(target.policy.name == name, "\(sample.arn) maps to row \(target.policy.name)")
        #expect(target.id == sample.id)
        #expect(target.parentId == sample.parent)
        #expect(target.facts["resource.policy_kind"]?.stringValue == name)
    }

    @Test(arguments: ResourcePolicyService.all.map(\.name))
    func parserReadsTheRowsRealOutput(_ name: String) throws {
        let row = try #require(ResourcePolicyService.named(name))
        let sample = try #require(Self.samples[name])
        let parsed = try OutputParsers.parse(row.parser, output: try JSONValue.parse(sample.output), item: nil)
        switch row.evaluation {
        case .iamPolicy:
            #expect(parsed.value?["Statement"]?[0]?["Sid"]?.stringValue == "Sample", "\(name): \(String(describing: parsed.value))")
        case .notIAMPolicy:
            #expect(parsed.value?["name"]?.stringValue == "logs-readers")
            #expect(parsed.value?["rules"]?[0]?["Principal"]?[0]?.stringValue == "arn:aws:iam::111122223333:role/Analyst")
        }
    }

    /// Where a missing field means "no policy", it is an answer (`.null`); elsewhere the read's
    /// error code says so (`answered_by`) and output without the field is not a policy.
    @Test(arguments: ResourcePolicyService.all.map(\.name))
    func outputWithoutThePolicyIsNoPolicyOrAnError(_ name: String) throws {
        let row = try #require(ResourcePolicyService.named(name))
        let empty = try JSONValue.parse(#"{"Name": "x"}"#)
        if row.document.absentMeansNoPolicy {
            #expect(try OutputParsers.parse(row.parser, output: empty, item: nil).value == .null)
        } else {
            #expect(throws: OutputParsers.ParseError.self) { try OutputParsers.parse(row.parser, output: empty, item: nil) }
        }
    }

    /// The shipped runbook's resource-policy step is the table's commands, checked by the loader
    /// (placeholders, captures, classifier) like any hand-written command.
    @Test func theRunbookStepRunsTheTablesReads() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_resource_policies"))
        let expected = ResourcePolicyService.all.flatMap { ($0.lookups + [$0.read]).map(\.id) }
        #expect(Array(step.commands.map(\.id).prefix(expected.count)) == expected)
        for row in ResourcePolicyService.all {
            let command = try #require(step.commands.first { $0.id == row.read.id })
            #expect(command.argv.map(\.description) == row.read.argv)
            #expect(command.parser == row.parser)
            #expect(command.captures.map(\.name) == [row.capture])
            #expect(command.answeredBy == row.read.answeredBy)
        }
    }

    /// A data access policy is named as a policy whydenied did not evaluate (Undecided), with
    /// its rules, never taken as "no policy".
    @Test func aDataAccessPolicyIsNamedAsNotEvaluated() throws {
        let row = try #require(ResourcePolicyService.named("collection_access"))
        let sample = try #require(Self.samples["collection_access"])
        let parsed = try #require(try OutputParsers.parse(row.parser, output: try JSONValue.parse(sample.output), item: nil).value)
        let target = try #require(ResourcePolicyTarget(arn: sample.arn))
        let found = CapturedAccount.resourcePolicies(captures: [row.capture: .array([parsed])], facts: target.facts,
                                                     failedReads: [:], partition: "aws")
        #expect(found.read.isEmpty)
        let unread = try #require(found.unread.first)
        #expect(unread.kind == .openSearchServerlessDataAccessPolicy)
        #expect(unread.name == "data access policy logs-readers of a1b2c3d4e5f6")
        #expect(unread.reason.contains("not an IAM policy document"))
        #expect(unread.reason.contains("aoss:ReadDocument"))

        // No data access policy names the collection: not "allowed by IAM", but unknown.
        let none = CapturedAccount.resourcePolicies(captures: ["collection_name": .string("logs"), "access_policy_names": .array([])],
                                                    facts: target.facts, failedReads: [:], partition: "aws")
        #expect(none.read.isEmpty)
        #expect(none.unread.first?.reason.hasPrefix("no data access policy names it") == true, "\(none.unread)")
    }
}

/// OpenSearch Serverless through the whole guided session, with recorded-shape output (moto has
/// no data access policies): the collection's name is looked up from its id, the data access
/// policies naming it are read, and the verdict names them as not evaluated instead of deciding
/// from IAM alone.
@Suite struct OpenSearchServerlessSessionTests {
    static let collection = "arn:aws:aoss:us-east-1:111122223333:collection/a1b2c3d4e5f6"
    static let message = "User: arn:aws:iam::111122223333:user/ci-deployer is not authorized to perform: aoss:APIAccessAll on resource: \(collection)"

    static func answers() -> [String: GuidedFakeAWS.Answer] {
        var answers = CIDeployerCase.answers()
        answers["logs filter-log-events"] = GuidedFakeAWS.ok(#"{"events": [], "searchedLogStreams": []}"#)
        answers["s3api list-objects-v2"] = GuidedFakeAWS.ok(#"{"KeyCount": 0}"#)
        answers["iam get-policy-version"] = GuidedFakeAWS.ok("""
            {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Sid": "SearchLogs", "Effect": "Allow",
              "Action": "aoss:APIAccessAll", "Resource": "\(collection)"}]}, "VersionId": "v1", "IsDefaultVersion": true}}
            """)
        answers["opensearchserverless batch-get-collection"] = GuidedFakeAWS.ok("""
            {"collectionDetails": [{"id": "a1b2c3d4e5f6", "name": "logs", "status": "ACTIVE", "type": "SEARCH",
              "arn": "\(collection)"}], "collectionErrorDetails": []}
            """)
        answers["opensearchserverless list-access-policies"] = GuidedFakeAWS.ok("""
            {"accessPolicySummaries": [{"type": "data", "name": "logs-readers", "policyVersion": "MTY4MDcxMzQ1NDA3NF8x"}]}
            """)
        answers["opensearchserverless get-access-policy"] = GuidedFakeAWS.ok(ResourcePolicyServiceTableTests.samples["collection_access"]!.output)
        return answers
    }

    @Test func dataAccessPoliciesAreReadAndNamedAsNotEvaluated() async throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var parameters = CIDeployerCase.parameters
        parameters["error_message"] = Self.message
        parameters["resource"] = Self.collection
        let fake = GuidedFakeAWS(answers: Self.answers())
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: GuidedSessionTests.now, readOnly: true)
        await session.runHeadless(effects: fake) { _ in }

        let reads = fake.calls.filter { $0.dropFirst().first == "opensearchserverless" }
        #expect(reads.map { Array($0.prefix(3)) } == [
            ["aws", "opensearchserverless", "batch-get-collection"], ["aws", "opensearchserverless", "list-access-policies"],
            ["aws", "opensearchserverless", "get-access-policy"],
        ])
        #expect(reads.dropFirst().first?.contains("collection/logs") == true, "\(reads)")
        let findings = session.findings
        #expect(findings.verdict == .undecided, "\(String(describing: findings.explanation))")
        let why = try #require(findings.explanation)
        #expect(why.contains("data access policy logs-readers of a1b2c3d4e5f6"), "\(why)")
        #expect(why.contains("not an IAM policy document"), "\(why)")
        #expect(session.headlessExitStatus == 3)
    }
}
