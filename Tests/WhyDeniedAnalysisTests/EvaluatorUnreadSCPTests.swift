import Testing
@testable import WhyDeniedAnalysis

// Issue 14 §1: the SCPs on the caller's account path could not be read (organization reads refused,
// the reading account in no organization). Unknown SCPs are an allow-list that may say nothing
// (denies), grant everything (FullAWSAccess) or deny: the verdict is Undecided when they could
// decide it, and decided when they cannot change it.
@Suite struct EvaluatorUnreadSCPTests {
    let unreadSCPs = UnreadPolicy(type: .serviceControlPolicy, name: "SCPs on the path of account 111122223333",
                                  failedRead: "aws organizations list-parents --child-id 111122223333",
                                  reason: "AccessDeniedException: You don't have permissions to access this resource.")

    @Test func unreadSCPsMakeAnAllowedRequestUndecided() throws {
        var set = try identityOnly(allowAllS3)
        #expect(evaluate(makeRequest(), set).decision == .allowed)
        set.unreadPolicies = [unreadSCPs]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .serviceControlPolicy)
        #expect(result.deciding.summary.contains("service control policy \"SCPs on the path of account 111122223333\" could not be read"))
        #expect(result.deciding.summary.contains("list-parents --child-id 111122223333 failed: AccessDeniedException"))
        #expect(result.deciding.summary.contains("if they grant the caller: allowed") || result.deciding.summary.contains("if it grants the caller: allowed"))
        #expect(result.unreadPolicies == [unreadSCPs])
        #expect(result.gates.contains { $0.policyType == .serviceControlPolicy && $0.outcome == .unknown })
    }

    // No identity Allow: denied whatever the SCPs say, so decided (with a note naming them).
    @Test func unreadSCPsLeaveAnImplicitDenyDecided() {
        var set = PolicySet()
        set.unreadPolicies = [unreadSCPs]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .identityBased)
        #expect(result.notes.contains { $0.contains("SCPs on the path of account 111122223333") && $0.contains("denied whatever") })
    }

    @Test func unreadSCPsLeaveAnExplicitDenyDecided() throws {
        var set = try identityOnly(#"{"Sid":"NoReports","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#)
        set.unreadPolicies = [unreadSCPs]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.statement?.statement.sid == "NoReports")
    }

    // SCPs do not restrict the management account's principals: unknown ones change nothing there.
    @Test func unreadSCPsDoNotTouchTheManagementAccount() throws {
        var set = try identityOnly(allowAllS3)
        set.unreadPolicies = [unreadSCPs]
        set.managementAccount = accountA
        #expect(evaluate(makeRequest(), set).decision == .allowed)
    }

    // A deny read in the SCPs names the policy (its id in the name), and the level it is attached to.
    @Test func anSCPDenyIsNamedWithItsIdAndAttachmentTarget() throws {
        var set = try identityOnly(allowAllS3)
        set.serviceControlPolicies = [
            OrganizationLevel(name: "root (r-a9fr)", policies: [
                AttachedPolicy(name: "FullAWSAccess (p-FullAWSAccess)", arn: "p-FullAWSAccess",
                               document: try statementPolicy(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#))]),
            OrganizationLevel(name: "OU Workloads/Prod (ou-a9fr-n456959o)", policies: [
                AttachedPolicy(name: "FullAWSAccess (p-FullAWSAccess)", arn: "p-FullAWSAccess",
                               document: try statementPolicy(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)),
                AttachedPolicy(name: "DenyReports (p-4cg0soi8)", arn: "p-4cg0soi8",
                               document: try statementPolicy(#"{"Sid":"NoReports","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#))]),
        ]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .explicitDeny)
        let deciding = try #require(result.deciding.statement)
        #expect(deciding.statement.sid == "NoReports")
        #expect(deciding.policy.description == "service control policy \"DenyReports (p-4cg0soi8)\" at OU Workloads/Prod (ou-a9fr-n456959o)")
    }
}
