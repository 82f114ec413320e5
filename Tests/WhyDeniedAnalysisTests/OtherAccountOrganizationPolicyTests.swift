import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON

/// A snapshot holds one account's organization path. The RCPs that restrict a resource in
/// another account, and the SCPs that restrict a caller from another account, are on that
/// account's path, which was not read: an Allow past them is Undecided, naming them, never
/// "allowed" (AWS Organizations User Guide, "RCP evaluation": the resource owner's RCPs apply to
/// every request to its resources, whoever asks). A deny stays decided: they can only restrict.
@Suite struct OtherAccountOrganizationPolicyTests {
    static let home = "111122223333"
    static let partner = "444455556666"
    static let role = "arn:aws:iam::111122223333:role/DataAnalystRole"

    static func snapshot(identityAllows: Bool, bucketPolicyAllows: Bool) throws -> AccountSnapshot {
        let identity = try JSONValue.parse(identityAllows
            ? #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
            : #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        let bucket = try JSONValue.parse(bucketPolicyAllows
            ? #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-exports/*"}]}"#
            : #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-exports/*"}]}"#)
        return AccountSnapshot(
            accountId: home,
            principals: [SnapshotPrincipal(arn: role, policies: [SnapshotPolicy(name: "Read", attachedTo: role, file: "policies/read.json", document: identity)])],
            resourcePolicies: [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::partner-exports", kind: .s3BucketPolicy,
                                                      policy: SnapshotPolicy(name: "bucket policy of partner-exports", attachedTo: "arn:aws:s3:::partner-exports",
                                                                             file: "resource-policies/partner-exports.json", document: bucket))])
    }

    static let request = AuthorizationRequest(principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/s"),
                                              action: "s3:GetObject",
                                              resource: RequestResource(arn: "arn:aws:s3:::partner-exports/q3.csv", account: partner))

    @Test func anAllowIntoAnotherAccountIsUndecidedOnItsRCPs() throws {
        let selection = try SnapshotPolicySets(try Self.snapshot(identityAllows: true, bucketPolicyAllows: true)).policySet(for: Self.request)
        let result = PolicyEvaluator().evaluate(Self.request, against: selection.policies)
        #expect(result.decision == .undecided, "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("RCPs on the path of account \(Self.partner)"), "\(result.deciding.summary)")
    }

    @Test func aDenyIntoAnotherAccountStaysDecided() throws {
        let selection = try SnapshotPolicySets(try Self.snapshot(identityAllows: true, bucketPolicyAllows: false)).policySet(for: Self.request)
        let result = PolicyEvaluator().evaluate(Self.request, against: selection.policies)
        #expect(result.decision == .implicitDeny, "\(result.deciding.summary)")
        // The reason is the bucket policy, not the unread RCPs' silent stand-in (an allow-list).
        #expect(result.deciding.summary.contains("its resource-based policy does not allow the caller"), "\(result.deciding.summary)")
        #expect(!result.deciding.summary.contains("no RCP"), "\(result.deciding.summary)")
    }

    // The RCPs of the snapshot's own account do not restrict the partner's bucket.
    @Test func theHomeAccountsRCPsAreNotAppliedToAnotherAccountsResource() throws {
        var snapshot = try Self.snapshot(identityAllows: true, bucketPolicyAllows: true)
        let denyAll = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#)
        snapshot = AccountSnapshot(accountId: snapshot.accountId, principals: snapshot.principals, resourcePolicies: snapshot.resourcePolicies,
                                   resourceControlPolicies: [OrganizationPolicyLevel(level: 0, target: "r-home", policies: [
                                       SnapshotPolicy(name: "DenyS3 (p-1)", attachedTo: "r-home", file: "organization/rcp/p-1.json", document: denyAll)])])
        let selection = try SnapshotPolicySets(snapshot).policySet(for: Self.request)
        let result = PolicyEvaluator().evaluate(Self.request, against: selection.policies)
        #expect(result.decision == .undecided, "\(result.deciding.summary)")
        #expect(!result.deciding.summary.contains("DenyS3"), "\(result.deciding.summary)")
    }

    // A caller from another account: the snapshot (of the resource's account) lacks its SCPs.
    @Test func aCallerFromAnotherAccountIsUndecidedOnItsSCPs() throws {
        let bucket = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::home-data/*"}]}"#)
        let reader = "arn:aws:iam::444455556666:role/Reader"
        let identity = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
        let snapshot = AccountSnapshot(accountId: Self.home,
                                       principals: [SnapshotPrincipal(arn: reader, policies: [SnapshotPolicy(name: "Read", attachedTo: reader, file: "policies/reader.json", document: identity)])],
                                       resourcePolicies: [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::home-data", kind: .s3BucketPolicy,
                                                                                 policy: SnapshotPolicy(name: "bucket policy of home-data", attachedTo: "arn:aws:s3:::home-data",
                                                                                                        file: "resource-policies/home-data.json", document: bucket))])
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: "arn:aws:sts::444455556666:assumed-role/Reader/s"),
                                           action: "s3:GetObject", resource: RequestResource(arn: "arn:aws:s3:::home-data/a.csv", account: Self.home))
        let selection = try SnapshotPolicySets(snapshot).policySet(for: request)
        let result = PolicyEvaluator().evaluate(request, against: selection.policies)
        #expect(result.decision == .undecided, "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("SCPs on the path of account \(Self.partner)"), "\(result.deciding.summary)")
    }
}
