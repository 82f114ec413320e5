import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

@Suite struct BatchTests {
    static func record(_ overrides: String) throws -> String {
        let text = try String(contentsOf: AnalysisFixtures.seedEvents, encoding: .utf8)
        guard case .object(var record) = try #require(try JSONValue.parse(text)["Records"]?[0]),
              case .object(let changes) = try JSONValue.parse(overrides) else { return "{}" }
        for (key, value) in changes.entries { record[key] = value.isNull ? nil : value }
        return JSONValue.object(record).serialized()
    }

    @Test func seedEndToEndThroughTheEventsReaderAndTheSnapshotOnDisk() throws {
        let input = try CloudTrailReader.read(path: AnalysisFixtures.seedEvents.path)
        let snapshot = SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot))
        let batch = BatchAnalysis.run(input, analyzer: DeniedEventAnalyzer(catalog: .bundled, snapshot: snapshot))
        #expect(batch.results.count == 1)
        let json = batch.results[0].json
        #expect(json["EventId"]?.stringValue == "3e5f8a1c-0b7d-4d5e-9a63-1f2e3d4c5b6a")
        #expect(json["AssessmentResult"]?.stringValue == "Explicit deny in a resource-based policy")
        let deny = try #require(json["ResultDetails"]?["ExplicitDenyPolicies"]?[0])
        #expect(deny["PolicyStatement"]?["Sid"]?.stringValue == "DenyOutsideCorporateNetwork")
        #expect(deny["AttachmentTargetArn"]?.stringValue == "arn:aws:s3:::analytics-data-bucket")
        #expect(deny["PolicyArn"]?.stringValue == "arn:aws:s3:::analytics-data-bucket/S3BucketPolicy")
        #expect(json["DecidingPolicy"]?["type"]?.stringValue == "resourceBased")
        #expect(json["DecidingStatement"]?["statement"]?["sid"]?.stringValue == "DenyOutsideCorporateNetwork")
        let condition = try #require(json["Fix"]?["failedConditions"]?[0])
        #expect(condition["operator"]?.stringValue == "NotIpAddress")
        #expect(condition["requestValues"]?[0]?.stringValue == "198.51.100.23")
        #expect(json["Explanation"]?.stringValue?.contains("198.51.100.23") == true)
        #expect(batch.json["Results"]?.arrayValue?.count == 1)
    }

    /// The batch analyses its events on every core: the results are those of one core, in the
    /// events' order (denied and not denied interleaved), each redacted result the file's entry.
    @Test func everyCoreGivesTheOneCoreResultsInOrder() throws {
        let lines = try (0..<120).map { index in
            index % 7 == 3 ? try Self.record(#"{"eventID": "ok-\#(index)", "errorCode": null, "errorMessage": null}"#)
                : try Self.record(#"{"eventID": "event-\#(index)", "sourceIPAddress": "198.51.100.\#(index % 250)"}"#)
        }
        let input = try CloudTrailReader.read(text: lines.joined(separator: "\n"), source: "test.jsonl")
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot)))
        let batch = BatchAnalysis.run(input, analyzer: analyzer)
        let oneCore = input.events.filter(\.isDenied).map { analyzer.analyse($0) }
        #expect(batch.results.map(\.eventID) == oneCore.map(\.eventID))
        #expect(batch.results.map(\.json) == oneCore.map(\.json))
        #expect(batch.skippedNotDenied == 17)
        #expect(OrderedParallelMap.map(Array(0..<1000), workers: 4) { $0 * 2 } == (0..<1000).map { $0 * 2 })
    }

    @Test func oneBadEventNeverStopsTheRest() throws {
        let lines = [
            try Self.record(#"{"eventID": "good-1"}"#),
            #"{"eventID": "broken", "eventTime": "not a time", "eventName": "GetObject"}"#,
            try Self.record(#"{"eventID": "no-caller", "userIdentity": null}"#),
            try Self.record(#"{"eventID": "fine", "errorCode": null, "errorMessage": null}"#),
            try Self.record(#"{"eventID": "good-2", "eventName": "ListBuckets", "requestParameters": null, "resources": null}"#),
        ]
        let input = try CloudTrailReader.read(text: lines.joined(separator: "\n"), source: "test.jsonl")
        let snapshot = SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot))
        let batch = BatchAnalysis.run(input, analyzer: DeniedEventAnalyzer(catalog: .bundled, snapshot: snapshot))
        let byId = Dictionary(batch.results.compactMap { result in result.eventID.map { ($0, result) } }, uniquingKeysWith: { a, _ in a })
        #expect(byId["good-1"]?.decision == .explicitDeny)
        #expect(byId["no-caller"]?.assessment == "Error")
        #expect(byId["no-caller"]?.errorMessage?.contains("userIdentity") == true)
        #expect(byId["good-2"]?.assessment == "Missing allow in an identity-based policy")
        #expect(byId["fine"] == nil)
        #expect(batch.skippedNotDenied == 1)
        #expect(batch.unreadableRecords == 1)
        let unreadable = batch.results.filter { $0.eventID == nil }
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.errorMessage?.contains("eventTime") == true)
        #expect(unreadable.first?.json["AssessmentResult"]?.stringValue == "Error")
    }

    @Test func callerMissingFromTheSnapshotWithholdsAllButExplicitDenies() throws {
        let event = try CloudTrailEvent(record: JSONValue.parse(try Self.record(#"""
            {"userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/OtherRole/s", "accountId": "111122223333",
             "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/OtherRole"}}}}
            """#)))
        let snapshot = SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot))
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: snapshot)
        // The bucket policy's Deny is certain whatever OtherRole's policies say.
        #expect(analyzer.analyse(event).decision == .explicitDeny)

        let inside = try CloudTrailEvent(record: JSONValue.parse(try Self.record(#"""
            {"sourceIPAddress": "203.0.113.9", "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/OtherRole/s", "accountId": "111122223333"}}
            """#)))
        let withheld = analyzer.analyse(inside)
        #expect(withheld.decision == .undecided)
        #expect(withheld.notes.contains { $0.contains("not in the snapshot") })
    }

    @Test func withoutASnapshotOnlyTheMessageIsRead() throws {
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: nil)
        let identity = try CloudTrailEvent(record: JSONValue.parse(try Self.record(#"""
            {"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv\" because no identity-based policy allows the s3:GetObject action"}
            """#)))
        let analysis = analyzer.analyse(identity)
        #expect(analysis.assessment == "Missing allow in an identity-based policy")
        let add = try #require(analysis.fix?.policiesToAdd.first)
        #expect(add.attachmentTargetArn == "arn:aws:iam::111122223333:role/DataAnalystRole")
        #expect(add.policy["Statement"]?[0]?["Resource"]?.stringValue == "arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv")

        let explicit = try CloudTrailEvent(record: JSONValue.parse(try Self.record(#"{"errorMessage": "User: x is not authorized to perform: s3:GetObject with an explicit deny in a service control policy"}"#)))
        #expect(analyzer.analyse(explicit).assessment == "Explicit deny in a service-control policy")

        let plain = analyzer.analyse(try RequestTests.seedEvent())
        #expect(plain.assessment == "Undecided")
        #expect(plain.errorMessage?.contains("--account-snapshot") == true)
    }

    @Test func permissionlessCallsAreInvalidActions() throws {
        let event = try CloudTrailEvent(record: JSONValue.parse(try Self.record(#"{"eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "resources": null}"#)))
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: nil).analyse(event)
        #expect(analysis.assessment == "Invalid action")
    }

    @Test func assessmentStringsMatchAccessUndenied() {
        #expect(AssessmentResult.missingAllow(blockedBy: [.identityBased, .resourceBased], crossAccount: true)
                == "Missing allows in an identity-based and a resource-based policy in cross-account access")
        #expect(AssessmentResult.missingAllow(blockedBy: [.serviceControlPolicy], crossAccount: false) == "Missing allow in a service-control policy")
        #expect(AssessmentResult.explicitDeny(in: .permissionsBoundary) == "Explicit deny in a permissions boundary policy")
        #expect(AssessmentResult.from(AuthorizationErrorParser.parseIfAuthorizationError("Access Denied")) == nil)
        let boundary = AuthorizationErrorParser.parseIfAuthorizationError(
            "User: arn:aws:iam::111122223333:user/ana is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k "
            + "because no permissions boundary allows the s3:GetObject action")
        #expect(AssessmentResult.from(boundary)?.assessment == "Missing allow in a permissions boundary policy")
    }
}

/// `analyze --json` names the owner of each fix target and carries the fix as code.
@Suite struct FixPlacementBatchTests {
    @Test func anIdentityCenterCallersFixGoesToItsPermissionSet() throws {
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: nil)
        let event = try CloudTrailEvent(record: JSONValue.parse(try BatchTests.record(#"""
            {"userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DataAnalyst_0123456789abcdef/alice@example.com", "accountId": "111122223333"},
             "errorMessage": "User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DataAnalyst_0123456789abcdef/alice@example.com is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv\" because no identity-based policy allows the s3:GetObject action"}
            """#)))
        let json = analyzer.analyse(event).json
        let placement = try #require(json["FixPlacements"]?[0])
        #expect(placement["Owner"]?.stringValue == "identity-center")
        #expect(placement["PermissionSet"]?.stringValue == "DataAnalyst")
        #expect(placement["ChangeSticksInPlace"]?.boolValue == false)
        #expect(placement["Terraform"]?.stringValue?.contains("aws_ssoadmin_permission_set_inline_policy") == true)
        #expect(placement["CloudFormation"]?.stringValue?.contains("AWS::SSO::PermissionSet") == true)
    }

    @Test func aDirectlyManagedRoleIsSaidToBeSo() throws {
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: nil)
        let event = try CloudTrailEvent(record: JSONValue.parse(try BatchTests.record(#"""
            {"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv\" because no identity-based policy allows the s3:GetObject action"}
            """#)))
        let placement = try #require(analyzer.analyse(event).json["FixPlacements"]?[0])
        #expect(placement["Owner"]?.stringValue == "direct")
        #expect(placement["Terraform"]?.stringValue?.contains("resource \"aws_iam_role_policy\"") == true)
    }

    /// A role a CloudFormation stack made, on a path: the error names it without the path, the
    /// snapshot's owner facts (`get-role`'s ARN, `Path` and `Tags`) with it; the owner is the stack.
    @Test func aStackRolesFixNamesTheStackFromTheSnapshotsOwnerFacts() throws {
        let roleArn = "arn:aws:iam::111122223333:role/service/orders-OrderProcessorRole-1A2B3C"
        let role = SnapshotPrincipal(arn: roleArn, policies: [SnapshotPolicy(
            name: "Queue", attachedTo: roleArn, file: "queue.json",
            document: try JSONValue.parse(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}"#))])
        let snapshot = AccountSnapshot(accountId: "111122223333", principals: [role], ownerFacts: [
            FixTargetFacts(arn: roleArn, path: "/service/",
                           tags: [.init(key: "aws:cloudformation:logical-id", value: "OrderProcessorRole"),
                                  .init(key: "aws:cloudformation:stack-name", value: "orders")]),
        ])
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot))
        let event = try CloudTrailEvent(record: JSONValue.parse(try BatchTests.record(#"""
            {"userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/orders-OrderProcessorRole-1A2B3C/worker", "accountId": "111122223333"},
             "errorMessage": "User: arn:aws:sts::111122223333:assumed-role/orders-OrderProcessorRole-1A2B3C/worker is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv\" because no identity-based policy allows the s3:GetObject action"}
            """#)))
        let analysis = analyzer.analyse(event)
        let placement = try #require(analysis.placements.first)
        #expect(placement.owner == .cloudFormation(stack: "orders", logicalId: "OrderProcessorRole"))
        let json = try #require(analysis.json["FixPlacements"]?[0])
        #expect(json["Owner"]?.stringValue == "cloudformation")
        #expect(json["Stack"]?.stringValue == "orders")
        #expect(json["Path"]?.stringValue == "/service/")
        #expect(json["ChangeSticksInPlace"]?.boolValue == false)
    }

    /// A managed policy attached to several principals: the placement says the change reaches them all.
    @Test func aSharedManagedPolicyIsSaidToReachEveryoneItIsAttachedTo() throws {
        let arn = "arn:aws:iam::111122223333:policy/AnalystBoundary"
        let fix = LeastPrivilegeFix(kind: .addAllow, summary: "s", policiesToAdd: [PolicyToAdd(
            target: .permissionsBoundary, attachmentTargetArn: arn, policyName: "AnalystBoundary",
            policy: try JSONValue.parse(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#),
            reasons: [])], denyEdits: [], failedConditions: [], commands: [], possibleExtraActions: [], missingContextKeys: [], warnings: [])
        let shared = FixPlacement.placements(for: fix) { FixTargetFacts(arn: $0, path: "/", attachmentCount: 3) }
        #expect(shared.first?.sharedPolicyNote == "The policy is attached to 3 users, groups or roles: the change applies to every one of them.")
        #expect(shared.first?.json["AttachmentCount"]?.intValue == 3)
        let alone = FixPlacement.placements(for: fix) { FixTargetFacts(arn: $0, attachmentCount: 1) }
        #expect(alone.first?.sharedPolicyNote == nil)
    }
}

/// A result's encoded parts (the deciding policy and statement, each evaluation's gates, the fix)
/// are the values the text round trip through `JSONEncoder` gave, for every event of a batch.
struct EventAnalysisEncodingTests {
    @Test func resultsEncodeAsTheTextRoundTripDid() throws {
        let lines = try (0..<40).map { index in
            try BatchTests.record(#"{"eventID": "event-\#(index)", "sourceIPAddress": "198.51.100.\#(index % 250)"}"#)
        }
        let input = try CloudTrailReader.read(text: lines.joined(separator: "\n"), source: "test.jsonl")
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(try AccountSnapshot.load(from: AnalysisFixtures.seedSnapshot)))
        let results = BatchAnalysis.run(input, analyzer: analyzer).results
        var compared = 0
        for result in results {
            if let fix = result.fix {
                #expect(try JSONValueEncoder().encode(fix) == (try Self.viaText(fix)))
                compared += 1
            }
            if let deciding = result.deciding {
                #expect(try JSONValueEncoder().encode(deciding.result.gates) == (try Self.viaText(deciding.result.gates)))
                if let statement = deciding.result.deciding.statement {
                    #expect(try JSONValueEncoder().encode(statement) == (try Self.viaText(statement)))
                    compared += 1
                }
                if let policy = deciding.result.deciding.policy {
                    #expect(try JSONValueEncoder().encode(policy) == (try Self.viaText(policy)))
                }
            }
        }
        #expect(compared >= 40, "compared \(compared)")
    }

    static func viaText<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONValue.parse(try encoder.encode(value))
    }
}
