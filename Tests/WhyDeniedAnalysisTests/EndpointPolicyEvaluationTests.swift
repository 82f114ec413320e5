import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

// Issue 14 §2: the policy of the VPC endpoint a request came through is evaluated, and one that
// could not be read (or that the snapshot lacks) is an unread policy. It can only restrict, as
// a boundary: a denied request stays denied, an allowed one is Undecided naming the endpoint.
@Suite struct EndpointPolicyEvaluationTests {
    let endpoint = "vpce-0a1b2c3d4e5f"
    var throughEndpoint: [String: ContextValue] { ["aws:SourceVpce": ContextValue(.string, endpoint)] }
    var unreadEndpoint: UnreadPolicy {
        UnreadPolicy(type: .vpcEndpointPolicy, name: SnapshotEndpointPolicy.name(of: endpoint),
                     failedRead: "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids \(endpoint)",
                     reason: "AccessDenied: not authorized to perform: ec2:DescribeVpcEndpoints")
    }

    @Test func anUnreadEndpointPolicyMakesAnAllowedRequestUndecided() throws {
        var set = try identityOnly(allowAllS3)
        #expect(evaluate(makeRequest(context: throughEndpoint), set).decision == .allowed)
        set.unreadPolicies = [unreadEndpoint]
        let result = evaluate(makeRequest(context: throughEndpoint), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .vpcEndpointPolicy)
        #expect(result.deciding.summary.contains("VPC endpoint policy \"policy of VPC endpoint \(endpoint)\" could not be read"))
        #expect(result.deciding.summary.contains("describe-vpc-endpoints --vpc-endpoint-ids \(endpoint) failed: AccessDenied"))
        #expect(result.unreadPolicies == [unreadEndpoint])
    }

    @Test func anUnreadEndpointPolicyLeavesADenyAsItIs() {
        var set = PolicySet()
        set.unreadPolicies = [unreadEndpoint]
        let result = evaluate(makeRequest(context: throughEndpoint), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.notes.contains { $0.contains(endpoint) && $0.contains("denied whatever") })
    }

    // A request that did not come through the endpoint does not depend on its policy.
    @Test func anUnreadEndpointPolicyDoesNotTakePartWithoutTheEndpoint() throws {
        var set = try identityOnly(allowAllS3)
        set.unreadPolicies = [unreadEndpoint]
        let result = evaluate(makeRequest(absent: ["aws:SourceVpce"]), set)
        #expect(result.decision == .allowed)
        #expect(result.notes.contains { $0.contains(endpoint) && $0.contains("does not take part") })
    }

    /// A snapshot whose caller may write anywhere, with or without the endpoint's policy.
    func snapshot(endpointPolicy: JSONValue?, unread: Bool = false) -> SnapshotPolicySets {
        let identity = SnapshotPolicy(name: "WriteExports", attachedTo: roleApp, file: "p/w.json",
                                      document: try! JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#))
        return SnapshotPolicySets(AccountSnapshot(
            accountId: accountA, principals: [SnapshotPrincipal(arn: roleApp, policies: [identity])],
            vpcEndpointPolicies: endpointPolicy.map {
                [SnapshotEndpointPolicy(vpcEndpointId: endpoint, policy: SnapshotPolicy(name: SnapshotEndpointPolicy.name(of: endpoint),
                                                                                       attachedTo: endpoint, file: "e.json", document: $0))]
            } ?? [],
            unreadVpcEndpointPolicies: unread ? [SnapshotUnreadEndpointPolicy(vpcEndpointId: endpoint, failedRead: "aws ec2 describe-vpc-endpoints",
                                                                              reason: "no connection")] : []))
    }

    var putThroughEndpoint: AuthorizationRequest {
        makeRequest(sessionApp, action: "s3:PutObject", resource: "arn:aws:s3:::external-share-bucket/x.csv",
                    context: throughEndpoint, roleArn: roleApp)
    }

    @Test func theEndpointsDenyIsNamedWithItsStatement() throws {
        let policy = try JSONValue.parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"AllowEverythingElse","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
             {"Sid":"DenyWritesOutsideCorpBuckets","Effect":"Deny","Principal":"*","Action":"s3:PutObject","NotResource":"arn:aws:s3:::corp-*/*"}]}
            """)
        let selection = try snapshot(endpointPolicy: policy).policySet(for: putThroughEndpoint)
        let result = evaluate(putThroughEndpoint, selection.policies)
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.statement?.statement.label.contains("DenyWritesOutsideCorpBuckets") == true)
        #expect(result.deciding.summary.contains("VPC endpoint policy \"policy of VPC endpoint \(endpoint)\""))
    }

    @Test func anEndpointTheSnapshotLacksIsUnreadNotAbsent() throws {
        let selection = try snapshot(endpointPolicy: nil).policySet(for: putThroughEndpoint)
        #expect(selection.policies.unreadPolicies.map(\.type) == [.vpcEndpointPolicy])
        let result = evaluate(putThroughEndpoint, selection.policies)
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("policy of VPC endpoint \(endpoint)"))
        #expect(result.deciding.summary.contains("the snapshot does not hold its policy"))
    }

    @Test func aFailedEndpointReadInTheSnapshotIsUnread() throws {
        let selection = try snapshot(endpointPolicy: nil, unread: true).policySet(for: putThroughEndpoint)
        let result = evaluate(putThroughEndpoint, selection.policies)
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("aws ec2 describe-vpc-endpoints failed: no connection"))
    }

    @Test func unreadEndpointPoliciesRoundTripThroughTheSnapshotFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpce-snapshot-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = snapshot(endpointPolicy: nil, unread: true).snapshot
        try written.write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.unreadVpcEndpointPolicies == written.unreadVpcEndpointPolicies)
    }
}
