import Testing
@testable import WhyDeniedAnalysis

private let fullAccess = #"{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}"#
private let rcpFullAccess = #"{"Version":"2012-10-17","Statement":[{"Sid":"RCPFullAWSAccess","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#

private func level(_ name: String, _ docs: [String]) throws -> OrganizationLevel {
    OrganizationLevel(name: name, policies: try docs.enumerated().map { index, json in
        AttachedPolicy(name: "\(name)-p\(index)", document: try document(json))
    })
}

// SCPs: AWS Organizations User Guide, "SCP evaluation" (orgs_manage_policies_scps_evaluation.html)
// and "Service control policies" (orgs_manage_policies_scps.html).
@Suite struct EvaluatorSCPTests {
    func policies(ouPolicy: String) throws -> PolicySet {
        var set = try identityOnly(allowAllS3)
        set.serviceControlPolicies = [try level("root (r-ab12)", [fullAccess]), try level("ou-prod", [ouPolicy]),
                                      try level("account 111122223333", [fullAccess])]
        return set
    }

    // Edge cases 11 and 16: each level needs its own Allow; a missing Allow is an implicit deny
    // blamed on the level, not on a Deny statement.
    @Test func everyLevelMustAllow() throws {
        let set = try policies(ouPolicy: #"{"Statement":[{"Sid":"OnlyEC2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#)
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .serviceControlPolicy)
        #expect(result.deciding.statement == nil)
        #expect(result.deciding.summary.contains("no SCP at ou-prod allows s3:GetObject"))
        #expect(result.blockedBy.map(\.organizationLevel) == ["ou-prod"])
    }

    @Test func emptyLevelDeniesAll() throws {
        var set = try identityOnly(allowAllS3)
        set.serviceControlPolicies = [try level("root", [fullAccess]), OrganizationLevel(name: "ou-empty", policies: [])]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.blockedBy.first?.reason.contains("no SCP is attached at ou-empty") == true)
    }

    @Test func denyInSCPIsExplicit() throws {
        let set = try policies(ouPolicy: #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoS3Reads","Effect":"Deny","Action":"s3:Get*","Resource":"*"}]}"#)
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.policy?.organizationLevel == "ou-prod")
        #expect(result.deciding.statement?.statement.sid == "NoS3Reads")
    }

    @Test func serviceLinkedRolesAndManagementAccountAreExempt() throws {
        var set = try policies(ouPolicy: #"{"Statement":[{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        let slr = makeRequest("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForSupport/s",
                              roleArn: "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport")
        let slrResult = evaluate(slr, set)
        #expect(slrResult.decision == .allowed)
        #expect(slrResult.notes.contains("SCPs not applied: service-linked roles are exempt"))
        set.managementAccount = accountA
        #expect(evaluate(makeRequest(), set).decision == .allowed)
    }
}

// RCPs: AWS Organizations User Guide, "Resource control policies" (orgs_manage_policies_rcps.html)
// and "RCP evaluation" (orgs_manage_policies_rcps_evaluation.html).
@Suite struct EvaluatorRCPTests {
    let perimeter = #"{"Version":"2012-10-17","Statement":[{"Sid":"EnforceOrgIdentities","Effect":"Deny","Principal":"*","Action":["s3:*","sqs:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}]}"#

    func policies() throws -> PolicySet {
        var set = PolicySet()
        set.identityPolicies = [attached("cross", try statementPolicy(#"{"Sid":"Any","Effect":"Allow","Action":"*","Resource":"*"}"#))]
        set.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
            #"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
        set.resourceControlPolicies = [try level("root", [rcpFullAccess, perimeter])]
        return set
    }

    @Test func perimeterDeniesCallersOutsideTheOrganization() throws {
        let request = makeRequest("arn:aws:iam::444455556666:user/partner",
                                  context: ["aws:PrincipalOrgID": ContextValue(.string, "o-other")],
                                  absent: ["aws:PrincipalIsAWSService"])
        let result = evaluate(request, try policies())
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.policyType == .resourceControlPolicy)
        #expect(result.deciding.statement?.statement.sid == "EnforceOrgIdentities")
        let inside = makeRequest("arn:aws:iam::444455556666:user/partner",
                                 context: ["aws:PrincipalOrgID": ContextValue(.string, "o-abc")], absent: ["aws:PrincipalIsAWSService"])
        #expect(evaluate(inside, try policies()).decision == .allowed)
    }

    // Edge case 12: only RCP-supported services, not kms:RetireGrant.
    @Test func scopeOfRCPs() throws {
        var set = try policies()
        set.resourceControlPolicies = [OrganizationLevel(name: "root", policies: [])]
        let ec2 = makeRequest(action: "ec2:DescribeInstances", resource: nil)
        set.identityPolicies = [attached("all", try statementPolicy(#"{"Sid":"Any","Effect":"Allow","Action":"*","Resource":"*"}"#))]
        let result = evaluate(ec2, set)
        #expect(result.decision == .allowed)
        #expect(result.notes.contains("RCPs not applied: ec2 is not a service RCPs restrict"))
        let retire = makeRequest(action: "kms:RetireGrant", resource: "arn:aws:kms:eu-west-1:111122223333:key/k")
        var kmsSet = set
        kmsSet.keyPolicy = resourceSide("key policy", try statementPolicy(
            #"{"Sid":"EnableIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#))
        #expect(evaluate(retire, kmsSet).decision == .allowed)
        let s3 = evaluate(makeRequest(), set)
        #expect(s3.decision == .implicitDeny)
        #expect(s3.deciding.policyType == .resourceControlPolicy)
    }
}

// Permissions boundaries and resource policies in one account: IAM User Guide, "Permissions
// boundaries for IAM entities" (access_policies_boundaries.html), section "Resource-based
// policies", and "Policy evaluation for requests within a single account".
@Suite struct EvaluatorSameAccountTests {
    let boundaryEC2Only = #"{"Sid":"EC2Only","Effect":"Allow","Action":"ec2:*","Resource":"*"}"#

    func policies(bucketPrincipal: String, holder: PolicyAttachment.Holder = .role) throws -> PolicySet {
        var set = PolicySet()
        set.permissionsBoundary = AttachedPolicy(name: "EC2Boundary", document: try statementPolicy(boundaryEC2Only))
        set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(
            #"{"Sid":"Grant","Effect":"Allow","Principal":{"AWS":"\#(bucketPrincipal)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
        return set
    }

    // Edge case 8: naming the role ARN is still limited by the boundary …
    @Test func roleArnGrantIsLimitedByBoundary() throws {
        let result = evaluate(makeRequest(sessionApp), try policies(bucketPrincipal: roleApp))
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .permissionsBoundary)
    }

    // … naming the session ARN or the IAM user ARN is not.
    @Test func sessionArnGrantIsNotLimitedByBoundary() throws {
        let result = evaluate(makeRequest(sessionApp), try policies(bucketPrincipal: sessionApp))
        #expect(result.decision == .allowed)
        #expect(result.deciding.policyType == .resourceBased)
        #expect(result.deciding.statement?.principalMatch == .direct)
    }

    @Test func userArnGrantIsNotLimitedByBoundary() throws {
        let result = evaluate(makeRequest(userAna), try policies(bucketPrincipal: userAna))
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "Grant")
    }

    // Same account: an Allow on either side is enough ("Evaluating identity-based policies with
    // resource-based policies", reference_policies_evaluation-logic.html).
    @Test func unionOfIdentityAndResourcePolicy() throws {
        var set = PolicySet()
        set.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
            #"{"Sid":"Ana","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ana"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
        #expect(evaluate(makeRequest(), set).deciding.statement?.statement.sid == "Ana")
        let identity = try identityOnly(allowAllS3)
        #expect(evaluate(makeRequest(), identity).deciding.statement?.statement.sid == "AllowS3")
        // Naming the account only delegates to IAM policies.
        var delegate = PolicySet()
        delegate.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
            #"{"Sid":"Account","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#))
        let delegated = evaluate(makeRequest(), delegate)
        #expect(delegated.decision == .implicitDeny)
        #expect(delegated.deciding.policyType == .identityBased)
    }

    // Edge case 10: NotPrincipal + Deny always denies a caller with a boundary
    // (access_policies_boundaries.html, "Important" note).
    @Test func notPrincipalDenyWithBoundary() throws {
        var set = try identityOnly(allowAllS3)
        set.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
            #"{"Sid":"OnlyAna","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/ana"},"Action":"s3:*","Resource":"*"}"#))
        #expect(evaluate(makeRequest(), set).decision == .allowed)
        set.permissionsBoundary = AttachedPolicy(name: "S3Boundary", document: try statementPolicy(allowAllS3))
        let bounded = evaluate(makeRequest(), set)
        #expect(bounded.decision == .explicitDeny)
        #expect(bounded.deciding.statement?.statement.sid == "OnlyAna")
        #expect(bounded.deciding.statement?.principal?.note?.contains("permissions boundary") == true)
    }

    @Test func boundaryDenyIsExplicit() throws {
        var set = try identityOnly(allowAllS3)
        set.permissionsBoundary = AttachedPolicy(name: "B", document: try document(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoReports","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::reports/*"}]}"#))
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.policyType == .permissionsBoundary)
        #expect(result.deciding.statement?.statement.sid == "NoReports")
    }

    @Test func groupPoliciesCountAsIdentityPolicies() throws {
        var set = PolicySet()
        set.identityPolicies = [attached("DevReads", try statementPolicy(#"{"Sid":"GroupRead","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#),
                                         on: .group, holderName: "developers", managed: true)]
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .allowed)
        #expect(result.deciding.policy?.attachment == PolicyAttachment(holder: .group, holderName: "developers", isManaged: true))
        #expect(result.deciding.policy?.description == #"identity-based policy "DevReads" (managed policy attached to group developers)"#)
    }
}

// Session policies: IAM User Guide, "Session policies" (access_policies.html#policies_session).
@Suite struct EvaluatorSessionPolicyTests {
    func policies(bucketPrincipal: String?) throws -> PolicySet {
        var set = PolicySet()
        set.identityPolicies = [attached("RolePolicy", try statementPolicy(allowAllS3), on: .role, holderName: "App")]
        set.sessionPolicies = [AttachedPolicy(name: "session", document: try statementPolicy(#"{"Sid":"OnlyEC2","Effect":"Allow","Action":"ec2:*","Resource":"*"}"#))]
        if let bucketPrincipal {
            set.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
                #"{"Sid":"Grant","Effect":"Allow","Principal":{"AWS":"\#(bucketPrincipal)"},"Action":"s3:GetObject","Resource":"*"}"#))
        }
        return set
    }

    @Test func sessionPolicyLimitsIdentityPermissions() throws {
        let result = evaluate(makeRequest(sessionApp), try policies(bucketPrincipal: nil))
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .sessionPolicy)
    }

    @Test func sessionPolicyLimitsGrantToRoleArn() throws {
        #expect(evaluate(makeRequest(sessionApp), try policies(bucketPrincipal: roleApp)).deciding.policyType == .sessionPolicy)
    }

    // Edge case 17: the IAM User Guide says a resource-based policy naming the session ARN is
    // not limited by the session policy ("Session policies": "…a resource-based policy can
    // specify the ARN of the session … the permissions from the resource-based policy are
    // added to the session"). iam-simulate's test sessionPolicies.json#7 asserts the opposite;
    // we follow the guide.
    @Test func grantToSessionArnIsNotLimitedBySessionPolicy() throws {
        let result = evaluate(makeRequest(sessionApp), try policies(bucketPrincipal: sessionApp))
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "Grant")
    }

    @Test func federatedUserWithoutSessionPolicyHasNoPermissions() throws {
        var set = try identityOnly(allowAllS3)
        set.identityPolicies[0].attachment = PolicyAttachment(holder: .user, holderName: "ana", isManaged: false)
        let result = evaluate(makeRequest("arn:aws:sts::111122223333:federated-user/ana-web", roleArn: userAna), set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .sessionPolicy)
        set.sessionPolicies = [AttachedPolicy(name: "session", document: try statementPolicy(allowAllS3))]
        #expect(evaluate(makeRequest("arn:aws:sts::111122223333:federated-user/ana-web", roleArn: userAna), set).decision == .allowed)
    }
}

// Cross-account: IAM User Guide, "Cross-account policy evaluation logic"
// (reference_policies_evaluation-logic-cross-account.html).
@Suite struct EvaluatorCrossAccountTests {
    let partner = "arn:aws:iam::444455556666:user/partner"

    func policies(identity: Bool, bucketPrincipal: String?) throws -> PolicySet {
        var set = PolicySet()
        if identity { set.identityPolicies = [attached("PartnerReads", try statementPolicy(allowAllS3), holderName: "partner")] }
        if let bucketPrincipal {
            set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(
                #"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"\#(bucketPrincipal)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
        }
        return set
    }

    @Test func bothSidesAllow() throws {
        let result = evaluate(makeRequest(partner), try policies(identity: true, bucketPrincipal: "arn:aws:iam::444455556666:root"))
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "AllowS3")
        #expect(result.deciding.supportingStatements.map(\.statement.sid) == ["Partner"])
    }

    @Test func resourcePolicyAloneIsNotEnough() throws {
        let result = evaluate(makeRequest(partner), try policies(identity: false, bucketPrincipal: partner))
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .identityBased)
        #expect(result.deciding.summary.contains("cross-account access needs both sides"))
    }

    @Test func identityPolicyAloneIsNotEnough() throws {
        let result = evaluate(makeRequest(partner), try policies(identity: true, bucketPrincipal: nil))
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .resourceBased)
        let other = evaluate(makeRequest(partner), try policies(identity: true, bucketPrincipal: "arn:aws:iam::999988887777:root"))
        #expect(other.decision == .implicitDeny)
        #expect(other.deciding.policyType == .resourceBased)
    }
}

// Role trust policies and KMS key policies must allow themselves: IAM User Guide, "How IAM roles
// differ from resource-based policies" (id_roles_compare-resource-policies.html) and AWS KMS
// Developer Guide, "Default key policy" (key-policy-default.html).
@Suite struct EvaluatorTrustAndKeyPolicyTests {
    let assume = makeRequest(userAna, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Admin")

    // Edge case 9.
    @Test func identityAllowIsUselessWithoutTrust() throws {
        var set = try identityOnly(#"{"Sid":"MayAssume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#)
        set.roleTrustPolicy = resourceSide("trust policy of Admin", try statementPolicy(
            #"{"Sid":"EC2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#))
        let result = evaluate(assume, set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .roleTrustPolicy)
        set.roleTrustPolicy = resourceSide("trust policy of Admin", try statementPolicy(
            #"{"Sid":"Account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#))
        let allowed = evaluate(assume, set)
        #expect(allowed.decision == .allowed)
        #expect(allowed.deciding.statement?.statement.sid == "MayAssume")
    }

    @Test func trustNamingTheUserGrantsDirectly() throws {
        var set = PolicySet()
        set.roleTrustPolicy = resourceSide("trust policy of Admin", try statementPolicy(
            #"{"Sid":"Ana","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ana"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#))
        let noMFA = makeRequest(userAna, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Admin",
                                absent: ["aws:MultiFactorAuthPresent"])
        #expect(evaluate(noMFA, set).decision == .implicitDeny)
        let mfa = makeRequest(userAna, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Admin",
                              context: ["aws:MultiFactorAuthPresent": ContextValue(.bool, "true")])
        #expect(evaluate(mfa, set).deciding.statement?.statement.sid == "Ana")
    }

    @Test func missingTrustPolicyIsSaid() throws {
        let set = try identityOnly(#"{"Sid":"MayAssume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#)
        let result = evaluate(assume, set)
        #expect(result.decision == .implicitDeny)
        #expect(result.notes.contains { $0.contains("needs the role trust policy") })
    }

    // Cross-account role assumption: the trust policy names the caller's account and the
    // caller's identity policy allows sts:AssumeRole (IAM User Guide, "Cross account resource
    // access in IAM", id_roles_common-scenarios_aws-accounts.html).
    @Test func crossAccountAssumeRoleNeedsBothSides() throws {
        let partner = makeRequest("arn:aws:iam::444455556666:user/partner", action: "sts:AssumeRole",
                                  resource: "arn:aws:iam::111122223333:role/Admin")
        var set = PolicySet()
        set.roleTrustPolicy = resourceSide("trust policy of Admin", try statementPolicy(
            #"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}"#))
        let noIdentity = evaluate(partner, set)
        #expect(noIdentity.decision == .implicitDeny)
        #expect(noIdentity.deciding.policyType == .identityBased)
        set.identityPolicies = [attached("MayAssume", try statementPolicy(#"{"Sid":"Assume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Admin"}"#), holderName: "partner")]
        let allowed = evaluate(partner, set)
        #expect(allowed.decision == .allowed)
        #expect(allowed.deciding.statement?.statement.sid == "Assume")
        #expect(allowed.deciding.supportingStatements.map(\.statement.sid) == ["Partner"])
    }

    // kms:ListKeys has no key: the key policy does not take part.
    @Test func keyPolicyOnlyForRequestsOnAKey() throws {
        var set = try identityOnly(#"{"Sid":"List","Effect":"Allow","Action":"kms:ListKeys","Resource":"*"}"#)
        set.keyPolicy = resourceSide("key policy", try statementPolicy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:*","Resource":"*"}"#))
        let result = evaluate(makeRequest(action: "kms:ListKeys", resource: nil), set)
        #expect(result.decision == .allowed)
        #expect(result.notes.contains { $0.contains("KMS key policy not applied") })
    }

    let decrypt = makeRequest(roleApp.replacingOccurrences(of: "role/App", with: "user/ana"), action: "kms:Decrypt",
                              resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd")

    @Test func keyPolicyNamingRootEnablesIAMPolicies() throws {
        var set = PolicySet()
        set.keyPolicy = resourceSide("key policy of 1234abcd", try statementPolicy(
            #"{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#))
        let withoutIAM = evaluate(decrypt, set)
        #expect(withoutIAM.decision == .implicitDeny)
        #expect(withoutIAM.deciding.policyType == .identityBased)
        set.identityPolicies = [attached("KeyUse", try statementPolicy(#"{"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#))]
        let allowed = evaluate(decrypt, set)
        #expect(allowed.decision == .allowed)
        #expect(allowed.deciding.statement?.statement.sid == "Decrypt")
    }

    @Test func keyPolicyMustAllowEvenWithIAMAllow() throws {
        var set = try identityOnly(#"{"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#)
        set.keyPolicy = resourceSide("key policy of 1234abcd", try statementPolicy(
            #"{"Sid":"OnlyAdmin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:*","Resource":"*"}"#))
        let result = evaluate(decrypt, set)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == .kmsKeyPolicy)
    }
}

// VPC endpoint policies: Amazon VPC PrivateLink guide, "Control access to VPC endpoints using
// endpoint policies" (vpc-endpoints-access.html).
@Suite struct EvaluatorVPCEndpointTests {
    func policies() throws -> PolicySet {
        var set = try identityOnly(allowAllS3)
        set.vpcEndpointPolicy = AttachedPolicy(name: "vpce-1a2b3c4d policy", document: try statementPolicy(
            #"{"Sid":"OnlyReports","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#))
        return set
    }

    @Test func endpointPolicyMustAllowWhenTheRequestCameThroughIt() throws {
        let viaEndpoint = ["aws:SourceVpce": ContextValue(.string, "vpce-1a2b3c4d")]
        #expect(evaluate(makeRequest(context: viaEndpoint), try policies()).decision == .allowed)
        let other = evaluate(makeRequest(resource: "arn:aws:s3:::payroll/x", context: viaEndpoint), try policies())
        #expect(other.decision == .implicitDeny)
        #expect(other.deciding.policyType == .vpcEndpointPolicy)
    }

    @Test func endpointPolicyIgnoredWithoutEndpoint() throws {
        let result = evaluate(makeRequest(resource: "arn:aws:s3:::payroll/x", absent: ["aws:SourceVpce"]), try policies())
        #expect(result.decision == .allowed)
        #expect(result.notes.contains { $0.contains("VPC endpoint policy not applied") })
    }
}
