import Testing
@testable import WhyDeniedAnalysis

// Action, Resource and variable matching through the whole evaluator, so each test also checks
// the deciding statement.
@Suite struct EvaluatorMatchingTests {
    // IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive.
    @Test func actionsAreCaseInsensitiveWithWildcards() throws {
        let set = try identityOnly(#"{"Sid":"Reads","Effect":"Allow","Action":["S3:get*","s3:List?ucket"],"Resource":"*"}"#)
        let get = evaluate(makeRequest(action: "s3:GetObject"), set)
        #expect(get.decision == .allowed)
        #expect(get.deciding.statement?.action.matchedPattern == "S3:get*")
        #expect(evaluate(makeRequest(action: "s3:ListBucket"), set).decision == .allowed)
        #expect(evaluate(makeRequest(action: "s3:PutObject"), set).decision == .implicitDeny)
    }

    // Policy variables are not substituted in Action ("IAM policy elements: Variables and tags":
    // "You can use policy variables in the Resource element and in string comparisons in the
    // Condition element").
    @Test func variablesAreNotSubstitutedInAction() throws {
        let set = try identityOnly(#"{"Sid":"Var","Effect":"Allow","Action":"s3:${aws:username}","Resource":"*"}"#)
        #expect(evaluate(makeRequest(action: "s3:ana"), set).decision == .implicitDeny)
    }

    // "IAM JSON policy elements: NotAction": Allow with NotAction grants everything else.
    @Test func notActionAllowsEverythingElse() throws {
        let set = try identityOnly(#"{"Sid":"AllButIAM","Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#)
        #expect(evaluate(makeRequest(action: "s3:GetObject"), set).decision == .allowed)
        let iam = evaluate(makeRequest(action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/x"), set)
        #expect(iam.decision == .implicitDeny)
        #expect(iam.statements.first?.action.matchedPattern == "iam:*")
    }

    // "IAM JSON policy elements: Resource": ARNs are case-sensitive; wildcards within segments.
    @Test func resourcesAreCaseSensitive() throws {
        let set = try identityOnly(#"{"Sid":"Upper","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::Reports/*"}"#)
        #expect(evaluate(makeRequest(), set).decision == .implicitDeny)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::Reports/q3.csv"), set).decision == .allowed)
    }

    @Test func wildcardInResourcePartSpansSlashesButNotLeadingColons() throws {
        let set = try identityOnly(#"{"Sid":"Logs","Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:111122223333:log-group:app-*"}"#)
        let deep = makeRequest(action: "logs:PutLogEvents",
                               resource: "arn:aws:logs:eu-west-1:111122223333:log-group:app-web:log-stream:i-1/x")
        #expect(evaluate(deep, set).decision == .allowed)
        let otherAccount = try identityOnly(#"{"Sid":"Bad","Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:111122223333"}"#)
        #expect(evaluate(deep, otherAccount).decision == .implicitDeny)
        #expect(ArnMatching.matches(WildcardPattern(glob: "arn:aws:s3:*"), "arn:aws:s3:::b/k"))
        #expect(!ArnMatching.matches(WildcardPattern(glob: "arn:aws:s3"), "arn:aws:s3:::b/k"))
    }

    // "IAM JSON policy elements: NotResource".
    @Test func notResourceDeniesEverythingElse() throws {
        var set = try identityOnly(allowAllS3)
        set.identityPolicies.append(attached("guard", try statementPolicy(
            #"{"Sid":"OnlyReports","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]}"#)))
        #expect(evaluate(makeRequest(), set).decision == .allowed)
        let other = evaluate(makeRequest(resource: "arn:aws:s3:::payroll/x"), set)
        #expect(other.decision == .explicitDeny)
        #expect(other.deciding.statement?.statement.sid == "OnlyReports")
    }

    // Edge case 6: regular-expression characters in ARNs are literal.
    @Test func regexCharactersInArnsAreLiteral() throws {
        let set = try identityOnly(#"{"Sid":"Odd","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b(c)[d]/*"}"#)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::a+b(c)[d]/k"), set).decision == .allowed)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::aab(c)[d]/k"), set).decision == .implicitDeny)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::a+b(c)d/k"), set).decision == .implicitDeny)
    }

    // "IAM policy elements: Variables and tags": ${aws:username} in Resource.
    @Test func usernameVariableInResource() throws {
        let set = try identityOnly(#"{"Sid":"Home","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#)
        let own = evaluate(makeRequest(resource: "arn:aws:s3:::home/ana/notes.txt"), set)
        #expect(own.decision == .allowed)
        #expect(own.deciding.statement?.resource?.matchedPattern == "arn:aws:s3:::home/${aws:username}/*")
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::home/bob/notes.txt"), set).decision == .implicitDeny)
        // A role session has no aws:username: the statement cannot match (edge case 4).
        var roleSet = set
        roleSet.identityPolicies[0].attachment = PolicyAttachment(holder: .role, holderName: "App", isManaged: false)
        let role = evaluate(makeRequest(sessionApp, resource: "arn:aws:s3:::home/ana/notes.txt"), roleSet)
        #expect(role.decision == .implicitDeny)
        #expect(role.statements.first?.resource?.note?.contains("aws:username is not in the request") == true)
    }

    // Edge case 4: an unresolvable variable makes a Deny not match either.
    @Test func unresolvableVariableMakesDenyNotMatch() throws {
        var set = try identityOnly(allowAllS3)
        set.identityPolicies.append(attached("guard", try statementPolicy(
            #"{"Sid":"NotYourHome","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}"#)))
        // For a role session there is no username: NotResource with an unresolvable pattern.
        // The pattern matches nothing, so NotResource covers everything: the Deny applies.
        let role = evaluate(makeRequest(sessionApp, resource: "arn:aws:s3:::home/ana/x"), set)
        #expect(role.decision == .explicitDeny)
        #expect(role.deciding.statement?.statement.sid == "NotYourHome")
        let denyOnResource = try identityOnly(allowAllS3)
        var set2 = denyOnResource
        set2.identityPolicies.append(attached("guard", try statementPolicy(
            #"{"Sid":"DenyHome","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#)))
        #expect(evaluate(makeRequest(sessionApp, resource: "arn:aws:s3:::home/ana/x"), set2).decision == .allowed)
    }

    // Edge case 4: variables only under Version 2012-10-17; otherwise literal text.
    @Test func variablesAreLiteralUnderVersion2008() throws {
        let set = try identityOnly(#"{"Sid":"Old","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#)
        var old = set
        old.identityPolicies[0].document = try statementPolicy(
            #"{"Sid":"Old","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#, version: "2008-10-17")
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::home/ana/x"), old).decision == .implicitDeny)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::home/${aws:username}/x"), old).decision == .allowed)
    }

    @Test func variableWithDefaultAndUnknownTag() throws {
        let set = try identityOnly(#"{"Sid":"Team","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::team-${aws:PrincipalTag/team, 'none'}/*"}"#)
        let unknown = evaluate(makeRequest(resource: "arn:aws:s3:::team-red/x"), set)
        #expect(unknown.decision == .undecided)
        #expect(unknown.missingContextKeys == ["aws:PrincipalTag/team"])
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::team-none/x", absent: ["aws:PrincipalTag/team"]), set).decision == .allowed)
        #expect(evaluate(makeRequest(resource: "arn:aws:s3:::team-red/x",
                                     context: ["aws:PrincipalTag/team": ContextValue(.string, "red")]), set).decision == .allowed)
    }

    // Edge case 7: actions without a resource type are only matched by "*".
    @Test func wildcardOnlyActions() throws {
        let specific = try identityOnly(#"{"Sid":"Specific","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"}"#)
        let request = makeRequest(action: "s3:ListAllMyBuckets", resource: nil)
        let denied = evaluate(request, specific)
        #expect(denied.decision == .implicitDeny)
        #expect(denied.statements.first?.resource?.note?.contains("no resource type") == true)
        let star = try identityOnly(#"{"Sid":"Star","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#)
        #expect(evaluate(request, star).deciding.statement?.statement.sid == "Star")
        var denySpecific = star
        denySpecific.identityPolicies.append(attached("guard", try statementPolicy(
            #"{"Sid":"DenyOne","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret"}"#)))
        #expect(evaluate(request, denySpecific).decision == .allowed)
    }

    // Edge case 13: whitespace or an empty action name matches nothing — so in NotAction it
    // matches everything.
    @Test func malformedActionTextMatchesNothing() throws {
        let allow = try identityOnly(#"{"Sid":"Spaced","Effect":"Allow","Action":["s3: GetObject","s3:"],"Resource":"*"}"#)
        let result = evaluate(makeRequest(), allow)
        #expect(result.decision == .implicitDeny)
        #expect(result.statements.first?.action.note?.contains("malformed") == true)
        var deny = try identityOnly(allowAllS3)
        deny.identityPolicies.append(attached("guard", try statementPolicy(
            #"{"Sid":"DenyAllBut","Effect":"Deny","NotAction":"s3: GetObject","Resource":"*"}"#)))
        let denied = evaluate(makeRequest(), deny)
        #expect(denied.decision == .explicitDeny)
        #expect(denied.deciding.statement?.statement.sid == "DenyAllBut")
    }
}
