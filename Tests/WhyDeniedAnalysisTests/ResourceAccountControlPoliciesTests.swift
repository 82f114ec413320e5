import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON

/// A snapshot keeps the RCP path of another account that owns a resource read
/// (`resourceAccountControlPolicies`): a request on that account's resource is evaluated against
/// it instead of the unread stand-in, a refused walk stays unread with its reason, and all of it
/// survives `write` and `load`.
@Suite struct ResourceAccountControlPoliciesTests {
    static let partner = OtherAccountOrganizationPolicyTests.partner

    static func snapshot(_ path: ResourceAccountControlPolicies) throws -> AccountSnapshot {
        let base = try OtherAccountOrganizationPolicyTests.snapshot(identityAllows: true, bucketPolicyAllows: true)
        return AccountSnapshot(accountId: base.accountId, principals: base.principals, resourcePolicies: base.resourcePolicies,
                               resourceAccountControlPolicies: [path])
    }

    /// Written and loaded back, then evaluated.
    static func evaluate(_ snapshot: AccountSnapshot) throws -> EvaluationResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resource-account-rcps-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try snapshot.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.resourceAccountControlPolicies.map(\.accountId) == [partner])
        let request = OtherAccountOrganizationPolicyTests.request
        return PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(loaded).policySet(for: request).policies)
    }

    static func level(_ level: Int, _ target: String, _ id: String, _ statement: String) throws -> OrganizationPolicyLevel {
        let document = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[\#(statement)]}"#)
        return OrganizationPolicyLevel(level: level, target: target, policies: [
            SnapshotPolicy(name: "\(id == "p-full" ? "RCPFullAWSAccess" : "DenyExports") (\(id))", arn: id, attachedTo: target,
                           file: "organization/rcp/\(id).json", document: document)])
    }

    static let full = #"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#

    @Test func theResourceAccountsRCPsDecide() throws {
        let deny = #"{"Sid":"NoExports","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#
        let path = ResourceAccountControlPolicies(accountId: Self.partner, levels: [
            try Self.level(0, "r-ab12", "p-full", Self.full),
            try Self.level(1, "OU Partners (ou-ab12-partners)", "p-deny", deny),
            try Self.level(2, "account \(Self.partner)", "p-full", Self.full),
        ])
        let result = try Self.evaluate(try Self.snapshot(path))
        #expect(result.decision == .explicitDeny, "\(result.deciding.summary)")
        #expect(result.deciding.policy?.name == "DenyExports (p-deny)")
        #expect(result.deciding.summary.contains("OU Partners (ou-ab12-partners)"), "\(result.deciding.summary)")
    }

    @Test func aRefusedWalkStaysUnreadWithItsReason() throws {
        let refused = UnreadPolicy(type: .resourceControlPolicy, name: UnreadPolicy.organizationPathName(.resourceControlPolicy, of: Self.partner),
                                   failedRead: "aws organizations list-parents --child-id \(Self.partner)",
                                   reason: "account \(Self.partner) is not in the organization the organization reads are made in (ChildNotFoundException)",
                                   account: Self.partner)
        let result = try Self.evaluate(try Self.snapshot(ResourceAccountControlPolicies(accountId: Self.partner, unread: refused)))
        #expect(result.decision == .undecided, "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("RCPs on the path of account \(Self.partner)"), "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("ChildNotFoundException"), "\(result.deciding.summary)")
    }

    // Walked, and no level has an RCP: RCPs are not enabled there, none apply.
    @Test func aWalkedPathWithoutRCPsRestrictsNothing() throws {
        let result = try Self.evaluate(try Self.snapshot(ResourceAccountControlPolicies(accountId: Self.partner)))
        #expect(result.decision == .allowed, "\(result.deciding.summary)")
    }
}
