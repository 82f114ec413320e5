import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

// IAM User Guide, "IAM JSON policy element reference" (reference_policies_elements.html) and
// "Grammar of the IAM JSON policy language" (reference_policies_grammar.html).
@Suite struct PolicyParserTests {
    @Test func readsEveryElement() throws {
        let doc = try document(#"""
        {"Version":"2012-10-17","Id":"P1","Statement":[
          {"Sid":"One","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"],"Service":"s3.amazonaws.com"},
           "Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*",
           "Condition":{"StringEquals":{"aws:PrincipalTag/team":["a","b"]},"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}},
          {"Effect":"Deny","NotPrincipal":{"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"NotAction":"iam:*","NotResource":["arn:aws:s3:::x"]}
        ]}
        """#)
        #expect(doc.version == .v2012_10_17)
        #expect(doc.id == "P1")
        #expect(doc.statements.count == 2)
        let first = doc.statements[0]
        #expect(first.sid == "One")
        #expect(first.effect == .allow)
        #expect(first.action == .action(["s3:GetObject", "s3:PutObject"]))
        #expect(first.resource == .resource(["arn:aws:s3:::b/*"]))
        #expect(first.principal?.entries.count == 3)
        #expect(first.conditions.count == 3)
        #expect(first.conditions[1].values == ["10"])
        #expect(first.conditions[2].values == ["true"])
        #expect(first.conditions[0].path == "Statement[0].Condition.StringEquals.aws:PrincipalTag/team")
        let second = doc.statements[1]
        #expect(second.label == "statement #2")
        #expect(second.action == .notAction(["iam:*"]))
        #expect(second.resource == .notResource(["arn:aws:s3:::x"]))
        if case .notPrincipal(let entries) = second.principal {
            #expect(entries.map(\.type) == [.federated, .canonicalUser])
        } else {
            Issue.record("expected NotPrincipal")
        }
    }

    @Test func singleStatementObjectAndWildcardPrincipal() throws {
        let doc = try document(#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#)
        #expect(doc.version == nil)
        #expect(doc.statements[0].principal == .principal([PrincipalEntry(type: .wildcard, value: "*")]))
        #expect(doc.statements[0].path == "Statement")
    }

    @Test func rejectsLowercaseEffectWithItsPath() {
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#
        #expect(throws: PolicyParseError(path: "Statement[1].Effect", message: #"must be "Allow" or "Deny", found "allow""#)) {
            try PolicyDocument.parse(text)
        }
    }

    @Test(arguments: [
        (#"{"Version":"2012-10-17"}"#, "Statement", "missing"),
        (#"{"Version":"2013-01-01","Statement":[]}"#, "Version", #"must be "2012-10-17" or "2008-10-17", found "2013-01-01""#),
        (#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "Statement[0]", "must have Action or NotAction"),
        (#"{"Statement":[{"Effect":"Allow","Action":"a:b","NotAction":"c:d"}]}"#, "Statement[0]", "has both Action and NotAction; use one"),
        (#"{"Statement":[{"Effect":"Allow","Action":["a:b",3]}]}"#, "Statement[0].Action[1]", "must be a string, found a number"),
        (#"{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"StringEqualz":{"k":"v"}}}]}"#, "Statement[0].Condition.StringEqualz", "unknown condition operator"),
        (#"{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"StringEquals":{"k":{"x":1}}}}]}"#, "Statement[0].Condition.StringEquals.k", "must be a string, number or boolean, found an object"),
        (#"{"Statement":[{"Effect":"Allow","Action":"a:b","Principal":{"Role":"x"}}]}"#, "Statement[0].Principal.Role", "unknown principal type (expected AWS, Service, Federated or CanonicalUser)"),
        (#"{"Statement":[{"Effect":"Allow","Actions":"a:b"}]}"#, "Statement[0].Actions", "unknown statement element"),
        (#"{"Statement":"x"}"#, "Statement", "must be an object or a list of objects, found a string"),
        (#"[1]"#, "(document)", "must be a JSON object, found a list"),
    ])
    func rejectsInvalidDocuments(text: String, path: String, message: String) {
        #expect(throws: PolicyParseError(path: path, message: message)) {
            try PolicyDocument.parse(text)
        }
    }

    @Test func reportsJSONSyntaxErrorsWithPosition() {
        do {
            _ = try PolicyDocument.parse(#"{"Statement": [}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "(document)")
            #expect(error.message.hasPrefix("not JSON: line 1"))
        }
    }

    // get-policy-version / get-role-policy return the document URL-encoded (IAM API reference,
    // GetPolicyVersion: "The policy document returned in this structure is URL-encoded").
    @Test func decodesURLEncodedDocuments() throws {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%7D%5D%7D"
        let doc = try PolicyDocument.parse(encoded)
        #expect(doc.statements[0].resource == .resource(["arn:aws:s3:::b/*"]))
        // The CLI may also hand over the JSON object, or the encoded text as a JSON string.
        let asString = try PolicyDocument.parse(json: .string(encoded))
        #expect(asString.statements == doc.statements)
        let asObject = try PolicyDocument.parse(json: try JSONValue.parse(encoded.removingPercentEncoding!))
        #expect(asObject.statements == doc.statements)
    }

    @Test func warnsAboutBareStringPrincipalAndDuplicateSids() throws {
        let doc = try document(#"{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:*"},{"Sid":"A","Effect":"Deny","Action":"s3:*"}]}"#)
        #expect(doc.statements[0].principal == .principal([PrincipalEntry(type: .aws, value: "arn:aws:iam::111122223333:root")]))
        #expect(doc.warnings.map(\.path) == ["Statement[0].Principal", "Statement[1].Sid"])
    }

    @Test func errorNestsUnderAnOuterPath() {
        let error = PolicyParseError(path: "Statement[1].Effect", message: "m")
        #expect(error.nested(under: "policies.identity[0].document").description == "policies.identity[0].document.Statement[1].Effect: m")
    }
}
