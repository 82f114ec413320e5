import Testing
@testable import WhyDeniedAnalysis

// Four rules AWS documents and the evaluator once got wrong (issue 12, item 5); the conformance
// set (Fixtures/conformance) holds the same cases as `evaluate` inputs.

// STS API Reference, GetCallerIdentity: "No permissions are required … you can still perform
// this operation" even under an explicit deny.
@Suite struct EvaluatorPermissionFreeActionTests {
    @Test func getCallerIdentityIsAllowedWhateverThePoliciesSay() throws {
        var set = try identityOnly(#"{"Sid":"NoSTS","Effect":"Deny","Action":"sts:*","Resource":"*"}"#)
        set.serviceControlPolicies = [OrganizationLevel(name: "ou-empty", policies: [])]
        let result = evaluate(makeRequest(action: "sts:GetCallerIdentity", resource: nil), set)
        #expect(result.decision == .allowed)
        #expect(result.deciding.platformRule?.contains("needs no permission") == true)
        #expect(result.notes.contains { $0.contains("NoSTS") }, "the Deny that does not count is named: \(result.notes)")
    }
}

// IAM User Guide, "Permissions boundaries for IAM entities" (Resource-based policies) and
// "Session policies": a grant to the role's ARN passes through the boundary and the session
// policy, also when the caller is given by its role ARN.
@Suite struct EvaluatorRoleArnGrantTests {
    func bucketGrantingApp() throws -> AttachedPolicy {
        resourceSide("bucket policy of reports", try statementPolicy(
            #"{"Sid":"GrantApp","Effect":"Allow","Principal":{"AWS":"\#(roleApp)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
    }

    @Test func limitedByTheBoundaryWhenTheCallerIsTheRole() throws {
        var set = PolicySet()
        set.resourcePolicy = try bucketGrantingApp()
        set.permissionsBoundary = AttachedPolicy(name: "EC2Only", document: try statementPolicy(#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#))
        let result = evaluate(makeRequest(roleApp), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .permissionsBoundary)
    }

    @Test func limitedByTheSessionPolicyWhenTheCallerIsTheRole() throws {
        var set = PolicySet()
        set.resourcePolicy = try bucketGrantingApp()
        set.sessionPolicies = [AttachedPolicy(name: "session", document: try statementPolicy(#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#))]
        let result = evaluate(makeRequest(roleApp), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .sessionPolicy)
    }

    @Test func theRoleArnMatchIsNotADirectOne() {
        let caller = RequestPrincipal(arn: roleApp)
        #expect(PrincipalMatching.matchAWS(roleApp, caller) == .roleArn)
        #expect(PrincipalMatching.matchAWS("arn:aws:iam::111122223333:role/team/App", caller) == .roleArn)
    }
}

// AWS KMS Developer Guide, "Key policies in AWS KMS": without the key policy's permission, IAM
// policies that allow have no effect.
@Suite struct EvaluatorKeyPolicyRequiredTests {
    let decrypt = makeRequest(userAna, action: "kms:Decrypt", resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd")
    let identityAllow = #"{"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#

    @Test func identityAllowWithoutTheKeyPolicyIsUndecided() throws {
        let result = evaluate(decrypt, try identityOnly(identityAllow))
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .kmsKeyPolicy)
        #expect(result.unreadPolicies.map(\.type) == [.kmsKeyPolicy])
    }

    @Test func anUnreadKeyPolicyNamesTheFailedRead() throws {
        var set = try identityOnly(identityAllow)
        set.unreadPolicies = [UnreadPolicy(type: .kmsKeyPolicy, name: "key policy of 1234abcd",
                                           failedRead: "aws kms get-key-policy --key-id 1234abcd --policy-name default",
                                           reason: "AccessDenied on whydenied's own read")]
        let result = evaluate(decrypt, set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policy?.name == "key policy of 1234abcd")
        #expect(result.deciding.summary.contains("aws kms get-key-policy --key-id 1234abcd --policy-name default failed: AccessDenied on whydenied's own read"))
    }

    // An IAM Deny needs no key policy: it decides whatever the key policy says.
    @Test func anIdentityDenyStillDecides() throws {
        let result = evaluate(decrypt, try identityOnly(#"{"Sid":"NoKMS","Effect":"Deny","Action":"kms:*","Resource":"*"}"#))
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.statement?.statement.sid == "NoKMS")
        #expect(result.notes.contains { $0.contains("key policy") })
    }
}

// Issue 12 item 4: a policy that could not be read is not "allowed".
@Suite struct EvaluatorUnreadPolicyTests {
    let unreadBucket = UnreadPolicy(type: .resourceBased, name: "bucket policy of reports",
                                    failedRead: "aws s3api get-bucket-policy --bucket reports",
                                    reason: "no connection: Could not connect to the endpoint URL")

    @Test func anUnreadBucketPolicyMakesAnIdentityAllowUndecided() throws {
        var set = try identityOnly(allowAllS3)
        set.unreadPolicies = [unreadBucket]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policyType == .resourceBased)
        #expect(result.deciding.policy?.name == "bucket policy of reports")
        #expect(result.deciding.summary.contains("could not be read"))
        #expect(result.deciding.summary.contains("aws s3api get-bucket-policy --bucket reports failed: no connection"))
        #expect(result.deciding.summary.contains("if it denies: explicit deny"))
        #expect(result.unreadPolicies == [unreadBucket])
    }

    @Test func aKnownDenyOrAGuardrailStillDecides() throws {
        var deny = try identityOnly(#"{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}"#)
        deny.unreadPolicies = [unreadBucket]
        #expect(evaluate(makeRequest(), deny).decision == .explicitDeny)

        var scp = try identityOnly(allowAllS3)
        scp.serviceControlPolicies = [OrganizationLevel(name: "ou-empty", policies: [])]
        scp.unreadPolicies = [unreadBucket]
        let result = evaluate(makeRequest(), scp)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .serviceControlPolicy)
        #expect(result.notes.contains { $0.contains("bucket policy of reports") && $0.contains("might also deny") })
    }

    // Without any Allow the request is denied whatever the bucket policy says … unless the bucket
    // policy grants the caller itself: then it is undecided too.
    @Test func noIdentityAllowIsStillUndecidedSinceTheBucketPolicyMightGrant() {
        var set = PolicySet()
        set.unreadPolicies = [unreadBucket]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("if it grants the caller: allowed"))
    }

    @Test func anUnreadBucketPolicyDoesNotTouchAnotherService() throws {
        var set = try identityOnly(#"{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}"#)
        set.unreadPolicies = [unreadBucket]
        #expect(evaluate(makeRequest(action: "ec2:DescribeInstances", resource: nil), set).decision == .allowed)
    }
}
