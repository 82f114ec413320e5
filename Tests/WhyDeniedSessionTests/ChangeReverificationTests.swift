import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// The offline re-check after a change names what it still depends on: an unread policy (here
/// the RCPs of the bucket owner's account, another account's organization path) as well as
/// missing context keys. It said "undecided, it depends on ." when only a policy was unknown.
@Suite struct ChangeReverificationTests {
    @Test func anUndecidedRecheckNamesTheUnreadPolicy() throws {
        let role = "arn:aws:iam::111122223333:role/app"
        let listOnly = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        let bucket = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-exports/*"}]}"#)
        let snapshot = AccountSnapshot(
            accountId: "111122223333",
            principals: [SnapshotPrincipal(arn: role, policies: [SnapshotPolicy(name: "WhyDeniedFix", attachedTo: role, file: "policies/fix.json", document: listOnly)])],
            resourcePolicies: [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::partner-exports", kind: .s3BucketPolicy,
                                                      policy: SnapshotPolicy(name: "bucket policy of partner-exports", attachedTo: "arn:aws:s3:::partner-exports",
                                                                             file: "resource-policies/partner-exports.json", document: bucket))])
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/app/s", roleArn: role),
                                           action: "s3:GetObject",
                                           resource: RequestResource(arn: "arn:aws:s3:::partner-exports/q3.csv", account: "444455556666"))
        let policies = try SnapshotPolicySets(snapshot).policySet(for: request).policies
        let result = PolicyEvaluator().evaluate(request, against: policies)
        #expect(result.decision == .implicitDeny, "\(result.deciding.summary)")
        let analysis = EventAnalysis(eventID: nil, assessment: "", decision: result.decision,
                                     deciding: AnalysedRequest(request: request, policies: policies, result: result))
        let fixed = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":"*"}]}"#)

        let text = try #require(RunbookChange.verification(of: .inlinePolicy(owner: .role, ownerName: "app", policyName: "WhyDeniedFix"),
                                                           document: fixed, analysis: analysis))
        #expect(text.contains("undecided"), "\(text)")
        #expect(text.contains("RCPs on the path of account 444455556666"), "\(text)")
        #expect(!text.contains("depends on ."), "\(text)")
    }
}
