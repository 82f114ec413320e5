import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

// The `whydenied evaluate` input format (docs/evaluate-format.md).
@Suite struct EvaluationInputTests {
    let seed = #"""
    {
      "request": {
        "principal": "arn:aws:sts::111122223333:assumed-role/ReportReader/i-0abc",
        "action": "s3:GetObject",
        "resource": {"arn": "arn:aws:s3:::reports/2026/q3.csv", "account": "111122223333"},
        "context": {"aws:SourceIp": {"type": "IP", "value": "198.51.100.7"}, "aws:SecureTransport": true,
                    "aws:TagKeys": ["a", "b"], "s3:max-keys": 10, "aws:CalledVia": {"type": "String", "values": ["athena.amazonaws.com"]}},
        "absentKeys": ["aws:SourceVpce"]
      },
      "policies": {
        "identity": [
          {"name": "ReadReports", "arn": "arn:aws:iam::111122223333:policy/ReadReports",
           "attachedTo": {"type": "role", "name": "ReportReader", "managed": true},
           "document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22Read%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Areports%2F%2A%22%7D%5D%7D"}
        ],
        "groups": [{"group": "developers", "policies": [{"name": "DevInline", "document": {"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}}]}],
        "serviceControlPolicies": [
          {"level": "root (r-ab12)", "policies": [{"name": "FullAWSAccess", "document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}
        ],
        "resourcePolicy": {"name": "bucket policy of reports", "ownerAccount": "111122223333", "document": {
          "Version": "2012-10-17", "Statement": [{"Sid": "DenyOutsideOffice", "Effect": "Deny", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}}
      }
    }
    """#

    @Test func readsTheSeedExampleAndEvaluatesIt() throws {
        let input = try EvaluationInput.parse(seed)
        #expect(input.request.principal.kind == .assumedRole)
        #expect(input.request.principal.roleArn == "arn:aws:iam::111122223333:role/ReportReader")
        #expect(input.request.context["AWS:SOURCEIP"] == ContextValue(.ip, "198.51.100.7"))
        #expect(input.request.context["aws:SecureTransport"] == ContextValue(.bool, "true"))
        #expect(input.request.context["aws:TagKeys"]?.isMultiValued == true)
        #expect(input.request.context["s3:max-keys"] == ContextValue(.number, "10"))
        #expect(input.request.context["aws:CalledVia"]?.isMultiValued == true)
        #expect(input.request.context.lookup("aws:SourceVpce") == .absent)
        #expect(input.policies.identityPolicies.count == 2)
        #expect(input.policies.identityPolicies[0].attachment == PolicyAttachment(holder: .role, holderName: "ReportReader", isManaged: true))
        #expect(input.policies.identityPolicies[1].attachment == PolicyAttachment(holder: .group, holderName: "developers", isManaged: false))
        #expect(input.policies.serviceControlPolicies.map(\.name) == ["root (r-ab12)"])

        let result = PolicyEvaluator().evaluate(input.request, against: input.policies)
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.statement?.statement.sid == "DenyOutsideOffice")
        let text = result.explanationText
        #expect(text.hasPrefix("Decision: EXPLICIT DENY\n"))
        #expect(text.contains("Condition    [matched] NotIpAddress aws:SourceIp expects [203.0.113.0/24]; request had 198.51.100.7"))
        #expect(text.contains(#"[matched] Allow identity-based policy "ReadReports" (managed policy attached to role ReportReader) › Sid "Read""#))
    }

    @Test func resultRoundTripsThroughJSON() throws {
        let input = try EvaluationInput.parse(seed)
        let result = PolicyEvaluator().evaluate(input.request, against: input.policies)
        let data = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(EvaluationResult.self, from: data)
        #expect(decoded == result)
        let json = try JSONValue.parse(data)
        #expect(json["decision"]?.stringValue == "explicitDeny")
        #expect(json["deciding"]?["statement"]?["conditions"]?[0]?["requestValues"]?[0]?.stringValue == "198.51.100.7")
    }

    @Test(arguments: [
        (#"{"policies": {}}"#, "request: missing"),
        (#"{"request": {"action": "s3:GetObject"}}"#, "request.principal: missing"),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "GetObject"}}"#, #"request.action: must look like service:Action, found "GetObject""#),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject", "context": {"k": {"type": "Colour", "value": "x"}}}}"#,
         #"request.context.k.type: must be one of String, Number, Date, Bool, IP, ARN, Binary, found "Colour""#),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject", "context": {"k": null}}}"#,
         "request.context.k: must not be null; list the key in request.absentKeys instead"),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject"}, "policies": {"scps": []}}"#,
         "policies.scps: unknown field (expected one of: groups, identity, keyPolicy, managementAccount, permissionsBoundary, resourceControlPolicies, resourcePolicy, roleTrustPolicy, serviceControlPolicies, sessionPolicies, vpcEndpointPolicy)"),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject"}, "policies": {"identity": [{"name": "x", "document": {"Statement": [{"Effect": "allow", "Action": "s3:*"}]}}]}}"#,
         #"policies.identity[0].document.Statement[0].Effect: must be "Allow" or "Deny", found "allow""#),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject"}, "policies": {"identity": [{"name": "x", "attachedTo": {"type": "team", "name": "t"}, "document": {"Statement": []}}]}}"#,
         #"policies.identity[0].attachedTo.type: must be "user", "group" or "role", found "team""#),
        (#"{"request": {"principal": "arn:aws:iam::1:user/a", "action": "s3:GetObject"}, "policies": {"serviceControlPolicies": [{"policies": []}]}}"#,
         "policies.serviceControlPolicies[0].level: missing"),
        ("{nope", "(file): not JSON: line 1, column 2: an object key in double quotes was expected"),
    ])
    func reportsProblemsWithTheirPath(text: String, expected: String) {
        do {
            _ = try EvaluationInput.parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func resourceOmittedMeansNoResourceType() throws {
        let input = try EvaluationInput.parse(#"{"request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:ListAllMyBuckets", "contextComplete": true}}"#)
        #expect(input.request.resource == nil)
        #expect(input.request.context.isComplete)
        let result = PolicyEvaluator().evaluate(input.request, against: input.policies)
        #expect(result.decision == .implicitDeny)
        #expect(result.explanationText.contains("Statements examined (0):\n  (none)"))
    }
}
