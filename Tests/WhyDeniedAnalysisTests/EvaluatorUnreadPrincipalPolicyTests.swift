import Testing
@testable import WhyDeniedAnalysis

// Issue 12 item 4, principal side: a permissions boundary or identity policy whose read failed is
// not "no policy". A boundary can only restrict (and may hold a Deny), so an Allow past it is
// Undecided; an identity policy can add an Allow or a Deny, so both directions are.
@Suite struct EvaluatorUnreadPrincipalPolicyTests {
    let unreadBoundary = UnreadPolicy(type: .permissionsBoundary, name: "DevBoundary",
                                      failedRead: "aws iam get-policy-version --policy-arn arn:aws:iam::111122223333:policy/DevBoundary --version-id v1",
                                      reason: "AccessDenied on whydenied's own read")
    let unreadManaged = UnreadPolicy(type: .identityBased, name: "managed policies attached to user ana",
                                     failedRead: "aws iam list-attached-user-policies --user-name ana",
                                     reason: "no connection: Could not connect to the endpoint URL")

    @Test func anUnreadBoundaryMakesAnAllowedRequestUndecided() throws {
        var set = try identityOnly(allowAllS3)
        #expect(evaluate(makeRequest(), set).decision == .allowed)
        set.unreadPolicies = [unreadBoundary]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .permissionsBoundary)
        #expect(result.deciding.policy?.name == "DevBoundary")
        #expect(result.deciding.summary.contains("permissions boundary \"DevBoundary\" could not be read"))
        #expect(result.deciding.summary.contains("get-policy-version --policy-arn arn:aws:iam::111122223333:policy/DevBoundary --version-id v1 failed: AccessDenied"))
        #expect(result.unreadPolicies == [unreadBoundary])
        #expect(result.gates.contains { $0.policyType == .permissionsBoundary && $0.outcome == .unknown })
    }

    // The boundary only restricts: without an Allow elsewhere the request stays denied.
    @Test func anUnreadBoundaryLeavesADenyAsItIs() throws {
        var set = PolicySet()
        set.unreadPolicies = [unreadBoundary]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.notes.contains { $0.contains("DevBoundary") && $0.contains("denied whatever") })
    }

    @Test func anUnreadIdentityPolicyMakesAnImplicitDenyUndecided() {
        var set = PolicySet()
        #expect(evaluate(makeRequest(), set).decision == .implicitDeny)
        set.unreadPolicies = [unreadManaged]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .identityBased)
        #expect(result.deciding.policy?.name == "managed policies attached to user ana")
        #expect(result.deciding.summary.contains("list-attached-user-policies --user-name ana failed: no connection"))
        #expect(result.deciding.summary.contains("if it grants the caller: allowed"))
        #expect(result.unreadPolicies == [unreadManaged])
    }

    // It could hold a Deny too: an identity Allow that was read is not enough.
    @Test func anUnreadIdentityPolicyMakesAnAllowUndecided() throws {
        var set = try identityOnly(allowAllS3)
        set.unreadPolicies = [unreadManaged]
        #expect(evaluate(makeRequest(), set).decision == .undecided)
    }

    @Test func aDenyThatWasReadInAnSCPOrTheResourcePolicyStillDecides() throws {
        var scp = PolicySet()
        scp.serviceControlPolicies = [OrganizationLevel(name: "root", policies: [
            AttachedPolicy(name: "DenyS3", document: try statementPolicy(#"{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}"#)),
            AttachedPolicy(name: "FullAWSAccess", document: try statementPolicy(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)),
        ])]
        scp.unreadPolicies = [unreadManaged, unreadBoundary]
        let denied = evaluate(makeRequest(), scp)
        #expect(denied.decision == .explicitDeny)
        #expect(denied.deciding.statement?.statement.sid == "NoS3")
        #expect(denied.notes.contains { $0.contains("managed policies attached to user ana") && $0.contains("a Deny that was read decides") })

        var bucket = PolicySet()
        bucket.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(
            #"{"Sid":"NoAna","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/ana"},"Action":"s3:*","Resource":"*"}"#))
        bucket.unreadPolicies = [unreadManaged]
        #expect(evaluate(makeRequest(), bucket).decision == .explicitDeny)
    }

    // An SCP that allows nothing denies whatever the identity policy says.
    @Test func aGuardrailThatDeniesStillDecides() {
        var set = PolicySet()
        set.serviceControlPolicies = [OrganizationLevel(name: "ou-empty", policies: [])]
        set.unreadPolicies = [unreadManaged]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .serviceControlPolicy)
    }

    // Both an unread bucket policy and an unread identity policy are named.
    @Test func everyUnreadPolicyTheVerdictDependsOnIsNamed() {
        let unreadBucket = UnreadPolicy(type: .resourceBased, name: "bucket policy of reports",
                                        failedRead: "aws s3api get-bucket-policy --bucket reports", reason: "no connection")
        var set = PolicySet()
        set.unreadPolicies = [unreadBucket, unreadManaged]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(Set(result.unreadPolicies) == [unreadBucket, unreadManaged])
        #expect(result.deciding.summary.contains("bucket policy of reports"))
        #expect(result.deciding.summary.contains("managed policies attached to user ana"))
    }

    // AWS services and anonymous callers have no identity policies or boundary.
    @Test func aServiceCallerIsNotTouched() throws {
        var set = PolicySet()
        set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(
            #"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"}"#))
        set.unreadPolicies = [unreadManaged]
        #expect(evaluate(makeRequest("cloudtrail.amazonaws.com"), set).decision == .allowed)
    }
}
