import Testing
@testable import WhyDeniedAnalysis

// Small builders shared by the evaluator tests.

let accountA = "111122223333"
let accountB = "444455556666"
let userAna = "arn:aws:iam::111122223333:user/ana"
let roleApp = "arn:aws:iam::111122223333:role/App"
let sessionApp = "arn:aws:sts::111122223333:assumed-role/App/i-0abc"

func document(_ json: String) throws -> PolicyDocument {
    try PolicyDocument.parse(json)
}

/// A policy with one statement given as the statement's JSON.
func statementPolicy(_ statementJSON: String, version: String = "2012-10-17") throws -> PolicyDocument {
    try PolicyDocument.parse(#"{"Version":"\#(version)","Statement":[\#(statementJSON)]}"#)
}

func attached(_ name: String, _ doc: PolicyDocument, on holder: PolicyAttachment.Holder = .user,
              holderName: String = "ana", managed: Bool = false, owner: String? = nil) -> AttachedPolicy {
    AttachedPolicy(name: name, document: doc,
                   attachment: PolicyAttachment(holder: holder, holderName: holderName, isManaged: managed),
                   ownerAccount: owner)
}

func resourceSide(_ name: String, _ doc: PolicyDocument, owner: String = accountA) -> AttachedPolicy {
    AttachedPolicy(name: name, document: doc, ownerAccount: owner)
}

func makeRequest(_ principal: String = userAna, action: String = "s3:GetObject",
                 resource: String? = "arn:aws:s3:::reports/q3.csv", resourceAccount: String? = accountA,
                 context: [String: ContextValue] = [:], absent: [String] = [], complete: Bool = false,
                 roleArn: String? = nil) -> AuthorizationRequest {
    var ctx = RequestContext(isComplete: complete)
    for (key, value) in context { ctx[key] = value }
    for key in absent { ctx.markAbsent(key) }
    return AuthorizationRequest(principal: RequestPrincipal(arn: principal, roleArn: roleArn), action: action,
                                resource: resource.map { RequestResource(arn: $0, account: resourceAccount) },
                                context: ctx)
}

func evaluate(_ request: AuthorizationRequest, _ policies: PolicySet) -> EvaluationResult {
    PolicyEvaluator().evaluate(request, against: policies)
}

let allowAllS3 = #"{"Sid":"AllowS3","Effect":"Allow","Action":"s3:*","Resource":"*"}"#

func identityOnly(_ statementJSON: String) throws -> PolicySet {
    var set = PolicySet()
    set.identityPolicies = [attached("identity", try statementPolicy(statementJSON))]
    return set
}
