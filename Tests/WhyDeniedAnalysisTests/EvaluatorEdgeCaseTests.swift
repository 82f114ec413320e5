import Testing
@testable import WhyDeniedAnalysis

// The edge cases of research/iam-eval.md §5 not already covered elsewhere:
//   5, 6, 7, 13, 4 → EvaluatorMatchingTests; 8, 9, 10, 17 → EvaluatorPolicyTypeTests
//   (same-account, trust/KMS, session suites); 11, 16 → EvaluatorSCPTests; 12 → EvaluatorRCPTests;
//   14 → ConditionOperatorTests.dateOperatorsAcceptISOAndEpochSeconds.
@Suite struct EvaluatorEdgeCaseTests {
    // Edge case 1. IAM User Guide, "Condition operators": "If the key that you specify in a policy
    // condition is not present in the request context, the values do not match" — so a negated
    // operator is true, and a Deny with StringNotEquals aws:PrincipalOrgID fires for callers
    // without the key. Data-perimeter example from "aws:PrincipalOrgID" (reference_policies_condition-keys.html).
    @Test func negatedOperatorOnMissingKeyFires() throws {
        var set = try identityOnly(allowAllS3)
        set.resourcePolicy = resourceSide("bucket policy", try statementPolicy(
            #"{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#))
        let absent = evaluate(makeRequest(absent: ["aws:PrincipalOrgID"]), set)
        #expect(absent.decision == .explicitDeny)
        #expect(absent.deciding.statement?.statement.sid == "OrgOnly")
        #expect(absent.deciding.statement?.conditions.first?.keyState == .absent)
        let unknown = evaluate(makeRequest(), set)
        #expect(unknown.decision == .undecided)
        #expect(unknown.missingContextKeys == ["aws:PrincipalOrgID"])
        let member = evaluate(makeRequest(context: ["aws:PrincipalOrgID": ContextValue(.string, "o-abc")]), set)
        #expect(member.decision == .allowed)
    }

    // Edge case 2. "Single-valued vs. multivalued context keys": ForAllValues with a missing key
    // evaluates to true — an Allow that is broader than it looks.
    @Test func forAllValuesOnMissingKeyAllows() throws {
        let set = try identityOnly(#"{"Sid":"TagOnlyThese","Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}}"#)
        let request = makeRequest(action: "ec2:CreateTags", resource: "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", absent: ["aws:TagKeys"])
        let result = evaluate(request, set)
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "TagOnlyThese")
        let anySet = try identityOnly(#"{"Sid":"AnyTag","Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}}"#)
        #expect(evaluate(request, anySet).decision == .implicitDeny)
    }

    // Edge case 3. IAM User Guide example "AWS: Denies access to AWS based on MFA"
    // (reference_policies_examples_aws_mfa… / BoolIfExists): long-term access keys carry no
    // aws:MultiFactorAuthPresent, so the Deny applies.
    @Test func boolIfExistsDenyHitsAccessKeyCallers() throws {
        var set = try identityOnly(allowAllS3)
        set.identityPolicies.append(attached("RequireMFA", try statementPolicy(
            #"{"Sid":"DenyWithoutMFA","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#)))
        let keys = evaluate(makeRequest(absent: ["aws:MultiFactorAuthPresent"]), set)
        #expect(keys.decision == .explicitDeny)
        #expect(keys.deciding.statement?.statement.sid == "DenyWithoutMFA")
        #expect(keys.deciding.policy?.name == "RequireMFA")
        let mfa = evaluate(makeRequest(context: ["aws:MultiFactorAuthPresent": ContextValue(.bool, "true")]), set)
        #expect(mfa.decision == .allowed)
        let unknown = evaluate(makeRequest(), set)
        #expect(unknown.decision == .undecided)
        #expect(unknown.missingContextKeys == ["aws:MultiFactorAuthPresent"])
    }

    // Edge case 18: a bare-string Principal is evaluated as an AWS principal, with a warning that
    // IAM would not have accepted the policy as written.
    @Test func bareStringPrincipalIsEvaluatedWithAWarning() throws {
        var set = PolicySet()
        set.resourcePolicy = resourceSide("queue policy", try statementPolicy(
            #"{"Sid":"Bare","Effect":"Allow","Principal":"arn:aws:iam::111122223333:user/ana","Action":"sqs:SendMessage","Resource":"*"}"#))
        let result = evaluate(makeRequest(action: "sqs:SendMessage", resource: "arn:aws:sqs:eu-west-1:111122223333:q"), set)
        #expect(result.decision == .allowed)
        #expect(result.deciding.statement?.statement.sid == "Bare")
        #expect(result.notes.contains { $0.contains("not accepted by IAM") })
    }

    // Service and anonymous callers only get what resource policies give them
    // (S3 User Guide, "Granting permissions to AWS services" / public bucket examples).
    @Test func serviceAndAnonymousCallers() throws {
        var set = PolicySet()
        set.resourcePolicy = resourceSide("bucket policy", try document(#"""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"CloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail/AWSLogs/*"},
          {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}
        """#))
        let trail = makeRequest("cloudtrail.amazonaws.com", action: "s3:PutObject", resource: "arn:aws:s3:::trail/AWSLogs/x")
        #expect(evaluate(trail, set).deciding.statement?.statement.sid == "CloudTrailWrite")
        let anonymous = makeRequest("anonymous", resource: "arn:aws:s3:::site/index.html")
        #expect(evaluate(anonymous, set).deciding.statement?.statement.sid == "PublicRead")
        let anonymousWrite = makeRequest("anonymous", action: "s3:PutObject", resource: "arn:aws:s3:::site/index.html")
        #expect(evaluate(anonymousWrite, set).decision == .implicitDeny)
    }

    // Explanation completeness: every statement examined is listed with its reason.
    @Test func traceListsEveryStatementExamined() throws {
        var set = try identityOnly(allowAllS3)
        set.identityPolicies.append(attached("other", try document(
            #"{"Version":"2012-10-17","Statement":[{"Sid":"EC2","Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Sid":"Tagged","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"prod"}}}]}"#)))
        let result = evaluate(makeRequest(context: ["aws:ResourceTag/env": ContextValue(.string, "dev")]), set)
        #expect(result.statements.map(\.statement.label) == [#"Sid "AllowS3""#, #"Sid "EC2""#, #"Sid "Tagged""#])
        #expect(result.statements.map(\.outcome) == [.matched, .notMatched, .notMatched])
        #expect(result.statements[1].reason == "Action does not cover s3:GetObject")
        #expect(result.statements[2].reason == "condition StringEquals aws:ResourceTag/env is not met")
        #expect(result.statements[2].conditions[0].requestValues == ["dev"])
    }
}

// Edge case 15: AWS-owned targets refuse writes whatever the policies allow. IAM User Guide,
// "AWS managed policies" (access_policies_managed-vs-inline.html: "You cannot change the
// permissions defined in AWS managed policies") and AWS KMS guide, "AWS managed keys".
@Suite struct EvaluatorAWSOwnedTargetTests {
    @Test func writesToAWSManagedPoliciesAreRefusedByAWS() throws {
        let admin = try identityOnly(#"{"Sid":"Admin","Effect":"Allow","Action":"*","Resource":"*"}"#)
        let write = makeRequest(action: "iam:CreatePolicyVersion", resource: "arn:aws:iam::aws:policy/ReadOnlyAccess", resourceAccount: nil)
        let result = evaluate(write, admin)
        #expect(result.decision == .implicitDeny)
        #expect(result.deciding.policyType == nil)
        #expect(result.deciding.platformRule?.contains("AWS managed policy") == true)
        let read = makeRequest(action: "iam:GetPolicyVersion", resource: "arn:aws:iam::aws:policy/ReadOnlyAccess", resourceAccount: nil)
        #expect(evaluate(read, admin).decision == .allowed)
        let sso = makeRequest(action: "iam:PutRolePolicy",
                              resource: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1a2b")
        #expect(evaluate(sso, admin).deciding.platformRule?.contains("IAM Identity Center") == true)
        var kms = admin
        kms.keyPolicy = resourceSide("key policy", try statementPolicy(#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}"#))
        let alias = makeRequest(action: "kms:DeleteAlias", resource: "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3")
        #expect(evaluate(alias, kms).deciding.platformRule?.contains("AWS managed key") == true)
    }
}
