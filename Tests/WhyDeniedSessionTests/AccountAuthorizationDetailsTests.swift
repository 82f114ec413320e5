import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// `aws iam get-account-authorization-details`, read as a batch reads it: the documented output
/// shape (Fixtures/account-authorization-details/cli-output.json, see Fixtures/README.md) parsed,
/// documents as the CLI prints them and as the raw API's URL-encoded strings, and turned into the
/// captures the runbook's per-principal reads make, so the snapshot is built the same way.
@Suite struct AccountAuthorizationDetailsTests {
    static let account = "111122223333"
    static let analystPolicy = "arn:aws:iam::111122223333:policy/AnalystS3ReadOnly"
    static let boundary = "arn:aws:iam::111122223333:policy/AnalystBoundary"
    static let readOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess"

    static func fixture() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/account-authorization-details/cli-output.json")
        return try JSONValue.parse(String(contentsOf: url, encoding: .utf8))
    }

    /// The raw API's form: every policy document a URL-encoded JSON string.
    static func urlEncodingDocuments(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(urlEncodingDocuments))
        case .object(let object):
            return .object(JSONObject(object.entries.map { entry in
                if ["PolicyDocument", "Document", "AssumeRolePolicyDocument"].contains(entry.key), case .object = entry.value {
                    return (entry.key, .string(entry.value.serialized().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
                }
                return (entry.key, urlEncodingDocuments(entry.value))
            }))
        default: return value
        }
    }

    @Test func theDocumentedShapeIsRead() throws {
        let details = try AccountAuthorizationDetails(parsing: Self.fixture())
        let alice = try #require(details.users["alice"])
        #expect(alice.arn == "arn:aws:iam::111122223333:user/alice")
        #expect(alice.uniqueId == "AIDA1111111111EXAMPLE")
        #expect(alice.inlinePolicies.map(\.name) == ["OwnReports"])
        #expect(alice.groupNames == ["Analysts"])
        #expect(alice.permissionsBoundaryArn == Self.boundary)
        #expect(alice.tags?[0]?["Value"]?.stringValue == "analytics")
        #expect(details.users["bob"]?.path == "/contractors/")
        #expect(details.users["bob"]?.attachedPolicyArns == [Self.readOnlyAccess])
        #expect(details.groups["Analysts"]?.attachedPolicyArns == [Self.analystPolicy])
        #expect(details.groups["Analysts"]?.inlinePolicies.first?.document["Statement"]?[0]?["Effect"]?.stringValue == "Deny")
        let role = try #require(details.roles["DataAnalystRole"])
        #expect(role.uniqueId == "AROA4444444444EXAMPLE")
        #expect(role.inlinePolicies.map(\.name) == ["DenyRawZone"])
        #expect(role.attachedPolicyArns == [Self.analystPolicy])
        #expect(role.permissionsBoundaryArn == Self.boundary)
        // The default version's document (v2), not the first or the newest by chance.
        let policy = try #require(details.policies[Self.analystPolicy])
        #expect(policy.defaultVersionId == "v2")
        #expect(policy.defaultDocument?["Statement"]?[0]?["Sid"]?.stringValue == "ReadReports")
        #expect(details.policies[Self.readOnlyAccess] == nil)
        #expect(details.undecodable.isEmpty)
    }

    @Test func urlEncodedDocumentsReadAsTheCLIsObjects() throws {
        let printed = try AccountAuthorizationDetails(parsing: Self.fixture())
        let raw = Self.urlEncodingDocuments(try Self.fixture())
        #expect(raw["UserDetailList"]?[0]?["UserPolicyList"]?[0]?["PolicyDocument"]?.stringValue?.hasPrefix("%7B") == true)
        #expect(try AccountAuthorizationDetails(parsing: raw) == printed)
    }

    @Test func anUnreadableInlineDocumentLeavesItsHolderOut() throws {
        var text = try Self.fixture().serialized()
        text = text.replacingOccurrences(of: #""PolicyName":"DenyRawZone","PolicyDocument":{"#,
                                         with: #""PolicyName":"DenyRawZone","PolicyDocument":"not json","Ignored":{"#)
        let details = try AccountAuthorizationDetails(parsing: JSONValue.parse(text))
        #expect(details.roles["DataAnalystRole"] == nil)
        #expect(details.undecodable == ["role/DataAnalystRole"])
        #expect(details.users["alice"] != nil)
    }

    @Test func anotherOutputIsNotAnAnswer() {
        #expect(throws: OutputParsers.ParseError.self) {
            try AccountAuthorizationDetails(parsing: JSONValue.parse(#"{"Users": []}"#))
        }
    }

    /// get-policy's `Policy`, as the batch reads it for each managed policy (its tags: who owns it).
    static func policyRead(_ arn: String, version: String, document: JSONValue, tags: [(String, String)] = []) -> IdentityReadCaptures.ManagedPolicyRead {
        let policy = JSONValue.object(JSONObject([
            ("Arn", .string(arn)), ("Path", .string("/")), ("DefaultVersionId", .string(version)), ("AttachmentCount", .number(2)),
            ("Tags", .array(tags.map { .object(JSONObject([("Key", .string($0.0)), ("Value", .string($0.1))])) })),
        ]))
        return IdentityReadCaptures.ManagedPolicyRead(policy: policy, versionId: version, document: document)
    }

    static func reads(of details: AccountAuthorizationDetails) -> [String: IdentityReadCaptures.ManagedPolicyRead] {
        var reads: [String: IdentityReadCaptures.ManagedPolicyRead] = [:]
        for (arn, policy) in details.policies {
            reads[arn] = policyRead(arn, version: policy.defaultVersionId!, document: policy.defaultDocument!,
                                    tags: arn == analystPolicy ? [("ManagedBy", "terraform")] : [])
        }
        return reads
    }

    @Test func aUsersCapturesMakeTheSnapshotItsOwnReadsWould() throws {
        let details = try AccountAuthorizationDetails(parsing: Self.fixture())
        let captures = try #require(IdentityReadCaptures.captures(forUser: "alice", in: details, managedPolicies: Self.reads(of: details)))
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111122223333:user/alice"),
                                          "principal.account_id": .string(Self.account), "principal.kind": .string("user"),
                                          "principal.name": .string("alice")]
        let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: facts))
        let alice = try #require(snapshot.principals.first)
        // Its inline policy, then its group's managed policy (read through the group, as list-attached-group-policies does).
        #expect(alice.policies.map(\.name) == ["OwnReports", "AnalystS3ReadOnly"])
        #expect(alice.policies.last?.arn == Self.analystPolicy)
        #expect(alice.groups == ["arn:aws:iam::111122223333:group/Analysts"])
        #expect(snapshot.groups.first?.policies.map(\.name) == ["NoDeletes"])
        #expect(alice.permissionsBoundary?.arn == Self.boundary)
        #expect(alice.uniqueId == "AIDA1111111111EXAMPLE")
        #expect(alice.tags == ["team": "analytics"])
        #expect(alice.unreadPolicies.isEmpty)
        // Who owns the user and the policy: the policy's tags come from get-policy, not the answer.
        let policyOwner = try #require(snapshot.ownerFacts.first { $0.arn == Self.analystPolicy })
        #expect(policyOwner.tags == [FixTargetFacts.Tag(key: "ManagedBy", value: "terraform")])
        #expect(snapshot.ownerFacts.contains { $0.arn == "arn:aws:iam::111122223333:user/alice" && $0.path == "/" })
    }

    @Test func aRolesCapturesHoldItsInlineManagedAndBoundaryPolicies() throws {
        let details = try AccountAuthorizationDetails(parsing: Self.fixture())
        let captures = try #require(IdentityReadCaptures.captures(forRole: "DataAnalystRole", in: details, managedPolicies: Self.reads(of: details)))
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:sts::111122223333:assumed-role/DataAnalystRole/ana"),
                                          "principal.account_id": .string(Self.account), "principal.kind": .string("assumed_role"),
                                          "principal.name": .string("DataAnalystRole")]
        let role = try #require(CapturedAccount.snapshot(captures: captures, facts: facts)?.principals.first)
        #expect(role.policies.map(\.name) == ["DenyRawZone", "AnalystS3ReadOnly"])
        #expect(role.policies.last?.document["Statement"]?[0]?["Sid"]?.stringValue == "ReadReports")
        #expect(role.permissionsBoundary?.name == "AnalystBoundary")
        #expect(role.tags == ["owner": "data-platform"])
    }

    @Test func aPrincipalWithAPolicyNotReadHasNoCaptures() throws {
        let details = try AccountAuthorizationDetails(parsing: Self.fixture())
        // bob's AWS managed policy is not in the answer, and was not read: he is read per principal.
        #expect(IdentityReadCaptures.captures(forUser: "bob", in: details, managedPolicies: Self.reads(of: details)) == nil)
        var reads = Self.reads(of: details)
        reads[Self.readOnlyAccess] = Self.policyRead(Self.readOnlyAccess, version: "v9", document: .object(JSONObject()))
        #expect(IdentityReadCaptures.captures(forUser: "bob", in: details, managedPolicies: reads) != nil)
        // Nor anyone not in the answer.
        #expect(IdentityReadCaptures.captures(forRole: "NoSuchRole", in: details, managedPolicies: reads) == nil)
        // A user whose group is missing from the answer.
        var withoutGroup = details
        withoutGroup.groups = [:]
        #expect(IdentityReadCaptures.captures(forUser: "alice", in: withoutGroup, managedPolicies: reads) == nil)
    }

    @Test func theReadIsReadOnlyByTheClassifier() {
        let classification = CommandClassifier.bundled.classify(AccountAuthorizationDetails.argv)
        #expect(!classification.mutates, "\(classification.reason)")
    }

    /// The identity reads a batch's answer stands for are every `aws iam` read of check_iam: a new
    /// one added there must be answered here too (or it would be silently skipped).
    @Test func theAnsweredReadsAreEveryIAMReadOfCheckIAM() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_iam"))
        let iamReads = step.commands.filter { $0.argv.prefix(2).map(\.description) == ["aws", "iam"] }.map(\.id)
        #expect(iamReads == PolicyReadRunbook.identityReadIDs)
        let kept = try #require(PolicyReadRunbook.withoutIdentityReads(try PolicyReadRunbook.slice(runbook)).step("check_iam"))
        #expect(!kept.commands.isEmpty)
        #expect(kept.commands.allSatisfy { !PolicyReadRunbook.identityReadIDs.contains($0.id) })
    }
}
