import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// Issue 14 §2: a federated user's session policy comes from the GetFederationToken call that made
/// it, looked up in CloudTrail's event history by the federated user's name (or the access key the
/// denied call was signed with) and evaluated. moto has no `lookup-events`: the event is the real
/// one in Fixtures/cloudtrail-real-session-issuers.json (`get_federation_token`, Stratus Red Team's
/// detonation log `aws.persistence.sts-federation-token.json`, kept in
/// /work/shared/data/cloudtrail-real/stratus-red-team/), in the CLI's output shape.
@Suite struct FederationTokenSessionPolicyTests {
    static let account = "742491224508"
    static let federated = "arn:aws:sts::\(account):federated-user/stratus_red_team"
    static let caller = "arn:aws:iam::\(account):user/stratus-red-team-user-federation-user"

    static var facts: [String: JSONValue] {
        SessionFacts.fromParameters(["principal": federated], message: nil, now: Date()).facts
    }

    /// The real event, its `policy` replaced by `policy` (nil: none passed).
    static func event(policy: String?) throws -> JSONValue {
        let real = try #require(SessionPolicyReadTests.fixture["get_federation_token"])
        guard case .object(var object) = real, case .object(var parameters)? = real["requestParameters"] else { return real }
        parameters["policy"] = policy.map(JSONValue.string)
        object["requestParameters"] = .object(parameters)
        return .object(object)
    }

    @Test func theCallIsFoundByTheFederatedUsersName() throws {
        let real = try #require(SessionPolicyReadTests.fixture["get_federation_token"])
        let parsed = try SessionPolicyReadTests.parse([real], facts: Self.facts)
        let issuer = try #require(parsed.named["session_issuer_federation_token"])
        #expect(issuer["event_name"]?.stringValue == "GetFederationToken")
        #expect(issuer["matched_on"]?.stringValue == "federated user name stratus_red_team")
        #expect(issuer["issued_by"]?.stringValue == Self.caller)
        #expect(issuer["policy"]?["Statement"]?[0]?["Action"]?.stringValue == "*")
    }

    static func decide(_ captures: [String: JSONValue], action: String = "s3:GetObject") throws -> EvaluationResult {
        var facts = Self.facts
        facts["resource.policy_kind"] = .string("bucket")
        facts["resource.id"] = .string("reports")
        facts["resource.arn"] = .string("arn:aws:s3:::reports/q1.csv")
        let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: facts))
        let request = AuthorizationRequest(principal: RequestPrincipal(arn: federated), action: action,
                                           resource: RequestResource(arn: "arn:aws:s3:::reports/q1.csv", account: account))
        return PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(snapshot).policySet(for: request).policies)
    }

    // The session policy the call passed allows only s3:ListBucket: it decides GetObject alone,
    // though the calling IAM user's policies are not read.
    @Test func theSessionPolicyItPassedDecidesWhatItDoesNotAllow() throws {
        let listOnly = #"{"Version":"2012-10-17","Statement":[{"Sid":"ListOnly","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#
        let captures = try SessionPolicyReadTests.parse([try Self.event(policy: listOnly)], facts: Self.facts).named
        let read = SessionPolicyReads.read(captures: captures, facts: Self.facts, failedReads: [:])
        #expect(read.policies.map(\.name) == ["session policy of GetFederationToken 6e882b9d-2af8-4c67-b91f-aeac6a0e5e70"])
        #expect(read.unread.map(\.type) == [.identityBased])
        #expect(read.unread.first?.name == "policies of the IAM user that federated stratus_red_team (\(Self.caller))")
        let denied = try Self.decide(captures)
        #expect(denied.decision == .implicitDeny, "\(denied.deciding.summary)")
        #expect(denied.blockedBy.contains { $0.policyType == .sessionPolicy }, "\(denied.blockedBy)")
        // What it allows is still bounded by the unread IAM user's policies: Undecided.
        #expect(try Self.decide(captures, action: "s3:ListBucket").decision == .undecided)
    }

    // GetFederationToken without a policy: the federated user has no permissions of its own.
    @Test func aCallWithoutASessionPolicyLeavesNoPermissions() throws {
        let captures = try SessionPolicyReadTests.parse([try Self.event(policy: nil)], facts: Self.facts).named
        let denied = try Self.decide(captures)
        #expect(denied.decision == .implicitDeny, "\(denied.deciding.summary)")
        #expect(denied.blockedBy.contains { $0.policyType == .sessionPolicy }, "\(denied.blockedBy)")
    }

    // Not found: both stay unread, saying the look-up found nothing.
    @Test func notFoundLeavesBothUnreadAndSaysSo() throws {
        let read = SessionPolicyReads.read(captures: [:], facts: Self.facts, failedReads: [:])
        #expect(read.unread.map(\.type) == [.identityBased, .sessionPolicy])
        #expect(read.unread.allSatisfy { $0.reason.contains("no GetFederationToken event issuing it was found") }, "\(read.unread)")
        #expect(try Self.decide([:]).decision == .undecided)
    }

    // The runbook looks the call up for a federated user, and only the GetFederationToken look-up.
    @Test func theRunbookLooksUpGetFederationTokenForAFederatedUser() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_session_policy"))
        let facts = Self.facts
        let lookup: (ConditionSubject) -> SubjectValue = { subject in
            if case .fact(let name) = subject, let value = facts[name] { return .known(value) }
            return .absent
        }
        #expect(step.when?.evaluate(lookup) == true)
        let proposed = step.commands.filter { $0.parser == "session_issuer" && $0.when?.evaluate(lookup) != false }
        #expect(proposed.map(\.id) == ["session_issuer_federation_token"])
    }
}
