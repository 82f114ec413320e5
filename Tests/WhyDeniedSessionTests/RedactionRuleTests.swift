import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRedaction

/// The rules behind "named like a token or secret", JSON inside strings, environment maps,
/// name/value pairs and argv options: each with what it must hide and what it must keep.
@Suite struct RedactionRuleTests {
    let redactor = Redactor()
    let hidden = Redactor.placeholder

    @Test(arguments: ["token", "sessionToken", "webIdentityToken", "authorizationToken", "x-amz-security-token",
                      "accessToken", "RefreshToken", "id_token", "tokenCode", "SecretString", "SecretBinary",
                      "clientSecret", "MasterUserSecret", "password", "NewPassword", "passwordData",
                      "privateKey", "PrivateKeyPem", "KeyMaterial", "Plaintext", "Credentials", "RoleCredentials",
                      "Authorization", "X-Api-Key", "SAMLAssertion", "Cookie", "passphrase"])
    func secretNames(name: String) {
        #expect(Redactor.isSecretKeyName(name), "\(name) should be hidden")
    }

    @Test(arguments: ["NextToken", "nextForwardToken", "PaginationToken", "ContinuationToken", "ClientToken",
                      "ClientRequestToken", "uploadSequenceToken", "StartingToken", "SecretId", "SecretArn", "SecretName",
                      "Name", "PasswordLastUsed", "PasswordResetRequired", "MinimumPasswordLength", "MaxPasswordAge",
                      "PasswordReusePrevention", "AuthorizationType", "TokenType", "secretsmanager", "secrets", "VersionStages",
                      "accessKeyId", "eventSource"])
    func keptNames(name: String) {
        #expect(!Redactor.isSecretKeyName(name), "\(name) should stay")
    }

    @Test func policiesComeOutAsTheyWentIn() throws {
        // Condition keys name request properties; `secretsmanager:*` keys and tag keys hold no secret.
        let policy = try JSONValue.parse(#"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
         "Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf",
         "Condition":{"StringEquals":{"secretsmanager:Description":"db","secretsmanager:ResourceTag/password":"yes",
          "aws:PrincipalTag/token":"blue","secretsmanager:VersionStage":"AWSCURRENT"}}}]}
        """#)
        #expect(redactor.redact(policy) == policy)
    }

    @Test func tokensAreHiddenWhateverTheirValueLooksLike() throws {
        let value = try JSONValue.parse(#"""
        {"requestParameters":{"webIdentityToken":"plainvalue1","token":"short","NextToken":"page-2","clientToken":"idem-1",
         "tokenCode":"123456","MinimumPasswordLength":14,"passwordResetRequired":true}}
        """#)
        let redacted = redactor.redact(value)["requestParameters"]
        #expect(redacted?["webIdentityToken"] == .string(hidden))
        #expect(redacted?["token"] == .string(hidden))
        #expect(redacted?["tokenCode"] == .string(hidden))
        #expect(redacted?["NextToken"]?.stringValue == "page-2")
        #expect(redacted?["clientToken"]?.stringValue == "idem-1")
        #expect(redacted?["MinimumPasswordLength"]?.intValue == 14)
        #expect(redacted?["passwordResetRequired"]?.boolValue == true)
    }

    @Test func jsonInsideAStringIsReadAndWrittenBack() throws {
        // `aws logs filter-log-events` of a trail delivered to CloudWatch Logs: each record is a string.
        let record = #"{"eventName":"PutSecretValue","requestParameters":{"secretId":"prod/db","secretString":"hunter2 with spaces"}}"#
        let output = JSONValue.object(JSONObject([("events", .array([.object(JSONObject([("message", .string(record))]))]))]))
        let text = output.serialized(pretty: true)
        let redacted = redactor.redactOutput(text)
        #expect(!redacted.contains("hunter2"))
        let message = try #require(try JSONValue.parse(redacted)["events"]?[0]?["message"]?.stringValue)
        let inner = try JSONValue.parse(message)
        #expect(inner["requestParameters"]?["secretString"] == .string(hidden))
        #expect(inner["requestParameters"]?["secretId"]?.stringValue == "prod/db")
        // A string that only looks like JSON, or JSON without secrets, is left byte for byte.
        let policy = #"{"Version": "2012-10-17", "Statement": []}"#
        #expect(redactor.redact(JSONValue.string(policy)) == .string(policy))
        #expect(redactor.redact(JSONValue.string("[not json")) == .string("[not json"))
    }

    @Test func environmentVariableValuesGoNamesStay() throws {
        let value = try JSONValue.parse(#"""
        {"lambda":{"Environment":{"Variables":{"DB_HOST":"db.internal","API":"https://u:pw@x"}}},
         "ecs":{"containerDefinitions":[{"name":"web","environment":[{"name":"MODE","value":"prod-value"}]}]}}
        """#)
        let redacted = redactor.redact(value)
        #expect(redacted["lambda"]?["Environment"]?["Variables"]?["DB_HOST"] == .string(hidden))
        #expect(redacted["lambda"]?["Environment"]?["Variables"]?["API"] == .string(hidden))
        let entry = redacted["ecs"]?["containerDefinitions"]?[0]?["environment"]?[0]
        #expect(entry?["name"]?.stringValue == "MODE")
        #expect(entry?["value"] == .string(hidden))
        #expect(redacted["ecs"]?["containerDefinitions"]?[0]?["name"]?.stringValue == "web")
    }

    @Test func nameValuePairsFollowTheName() throws {
        let value = try JSONValue.parse(#"""
        {"Parameters":[{"ParameterKey":"DbPassword","ParameterValue":"pw-1"},{"ParameterKey":"Env","ParameterValue":"prod"}],
         "captured":{"name":"session_token","value":"tok-1"},"tag":{"Key":"team","Value":"blue"}}
        """#)
        let redacted = redactor.redact(value)
        #expect(redacted["Parameters"]?[0]?["ParameterValue"] == .string(hidden))
        #expect(redacted["Parameters"]?[1]?["ParameterValue"]?.stringValue == "prod")
        #expect(redacted["captured"]?["value"] == .string(hidden))
        #expect(redacted["tag"]?["Value"]?.stringValue == "blue")
    }

    @Test func argvOptionsNamedLikeSecretsLoseTheirValue() {
        let argv = ["aws", "secretsmanager", "put-secret-value", "--secret-id", "prod/db", "--secret-string", "pw with spaces",
                    "--token-code=123456", "--environment", "Variables={K=v}", "--cli-input-json", #"{"Password":"x1"}"#]
        let redacted = redactor.redact(argv: argv)
        #expect(redacted == ["aws", "secretsmanager", "put-secret-value", "--secret-id", "prod/db", "--secret-string", hidden,
                             "--token-code=" + hidden, "--environment", hidden, "--cli-input-json", #"{"Password":"[REDACTED]"}"#])
        // The same rule inside JSON (journal `argv` arrays).
        let value = redactor.redact(JSONValue.array(argv.map(JSONValue.string)))
        #expect(value.arrayValue?.map { $0.stringValue ?? "" } == redacted)
    }

    @Test func freeTextNamesAnySecretField() {
        let text = """
        SecretString: "a secret with spaces"
        {\\"passwordData\\":\\"escaped-secret\\",\\"instanceId\\":\\"i-1\\"}
        clientSecret=abc123
        denied secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf
        """
        let redacted = redactor.redact(text)
        #expect(!redacted.contains("a secret with spaces"))
        #expect(!redacted.contains("escaped-secret"))
        #expect(!redacted.contains("abc123"))
        #expect(redacted.contains("i-1"))
        #expect(redacted.contains("denied secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"))
    }

    @Test func accessKeyIDsKeepFirstAndLastFour() throws {
        let value = try JSONValue.parse(#"{"credentials":{"accessKeyId":"ASIAQWERTYUIOPASDF12"},"userIdentity":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE"}}"#)
        let redacted = redactor.redact(value)
        #expect(redacted["userIdentity"]?["accessKeyId"]?.stringValue == "AKIA************MPLE")
        #expect(redacted["credentials"] == .string(hidden))
    }
}
