import Testing
@testable import WhyDeniedAnalysis

// Principal kinds and derived context keys. ARN formats from the IAM User Guide, "IAM
// identifiers" (reference_identifiers.html); derived keys from "AWS global condition context
// keys" (reference_policies_condition-keys.html).
@Suite struct EvaluationRequestTests {
    @Test(arguments: [
        ("arn:aws:iam::111122223333:user/division_abc/subdivision_xyz/JaneDoe", PrincipalKind.iamUser),
        ("arn:aws:sts::111122223333:assumed-role/App/i-0abc", .assumedRole),
        ("arn:aws:iam::111122223333:role/service-role/App", .role),
        ("arn:aws:sts::111122223333:federated-user/ana-web", .federatedUser),
        ("arn:aws:iam::111122223333:root", .root),
        ("lambda.amazonaws.com", .service),
        ("anonymous", .anonymous),
    ])
    func kindIsReadFromTheArn(arn: String, kind: PrincipalKind) {
        #expect(PrincipalKind(arn: arn) == kind)
    }

    @Test func roleSessionKnowsItsRole() {
        let session = RequestPrincipal(arn: "arn:aws-cn:sts::111122223333:assumed-role/App/i-0abc")
        #expect(session.account == "111122223333")
        #expect(session.roleArn == "arn:aws-cn:iam::111122223333:role/App")
        #expect(session.principalArnForConditions == "arn:aws-cn:iam::111122223333:role/App")
        // A role ARN with a path in a policy still names the session's role.
        #expect(PrincipalMatching.match(PrincipalEntry(type: .aws, value: "arn:aws-cn:iam::111122223333:role/team/App"), session) == .roleArn)
        #expect(PrincipalMatching.match(PrincipalEntry(type: .aws, value: "arn:aws-cn:iam::111122223333:role/Other"), session) == PrincipalMatchKind.none)
    }

    @Test func derivedContextKeys() {
        let evaluator = PolicyEvaluator()
        let user = evaluator.withDerivedContext(makeRequest(userAna))
        #expect(user.context["aws:username"] == ContextValue(.string, "ana"))
        #expect(user.context["aws:PrincipalType"] == ContextValue(.string, "User"))
        #expect(user.context["aws:PrincipalAccount"] == ContextValue(.string, accountA))
        #expect(user.context["aws:ResourceAccount"] == ContextValue(.string, accountA))
        let session = evaluator.withDerivedContext(makeRequest(sessionApp))
        #expect(session.context.lookup("aws:username") == .absent)
        #expect(session.context["aws:PrincipalArn"] == ContextValue(.arn, roleApp))
        // What the request states wins over what is derived.
        let stated = evaluator.withDerivedContext(makeRequest(userAna, context: ["aws:username": ContextValue(.string, "other")]))
        #expect(stated.context["aws:username"] == ContextValue(.string, "other"))
    }

    @Test func threeValuedLogic() {
        let ip = Truth.unknown(["aws:SourceIp"])
        #expect(Truth.all([.yes, ip]) == ip)
        #expect(Truth.all([.no, ip]) == .no)
        #expect(Truth.any([.yes, ip]) == .yes)
        #expect(Truth.any([.no, ip, .unknown(["aws:SourceVpce"])]) == .unknown(["aws:SourceIp", "aws:SourceVpce"]))
        #expect(ip.negated == ip)
        #expect(Truth.all([]) == .yes)
        #expect(Truth.any([]) == .no)
    }
}
