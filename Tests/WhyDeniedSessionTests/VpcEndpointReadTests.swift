import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// Issue 14 §2: the VPC endpoint a request came through is read (`ec2 describe-vpc-endpoints`)
/// and its policy becomes part of the evaluation; a failed read is an unread policy.
@Suite struct VpcEndpointReadTests {
    /// `aws ec2 describe-vpc-endpoints` as the EC2 developer guide's CLI example prints it
    /// (docs.aws.amazon.com/ec2/latest/devguide/example_ec2_DescribeVpcEndpoints_section.html):
    /// a gateway endpoint with a compact policy string and an interface endpoint whose policy
    /// string is pretty-printed.
    let documented = #"""
    {
        "VpcEndpoints": [
            {
                "PolicyDocument": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                "VpcId": "vpc-aabb1122",
                "NetworkInterfaceIds": [],
                "SubnetIds": [],
                "PrivateDnsEnabled": true,
                "State": "available",
                "ServiceName": "com.amazonaws.us-east-1.dynamodb",
                "RouteTableIds": ["rtb-3d560345"],
                "Groups": [],
                "VpcEndpointId": "vpce-032a826a",
                "VpcEndpointType": "Gateway",
                "CreationTimestamp": "2017-09-05T20:41:28Z",
                "DnsEntries": [],
                "OwnerId": "123456789012"
            },
            {
                "PolicyDocument": "{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n      \"Effect\": \"Allow\", \n      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}",
                "VpcId": "vpc-1a2b3c4d",
                "NetworkInterfaceIds": ["eni-2ec2b084", "eni-1b4a65cf"],
                "SubnetIds": ["subnet-d6fcaa8d", "subnet-7b16de0c"],
                "PrivateDnsEnabled": false,
                "State": "available",
                "ServiceName": "com.amazonaws.us-east-1.elasticloadbalancing",
                "RouteTableIds": [],
                "Groups": [{"GroupName": "default", "GroupId": "sg-54e8bf31"}],
                "VpcEndpointId": "vpce-0f89a33420c1931d7",
                "VpcEndpointType": "Interface",
                "CreationTimestamp": "2017-09-05T17:55:27.583Z",
                "OwnerId": "123456789012"
            }
        ]
    }
    """#

    func parse(_ text: String, endpoint: String?) throws -> JSONValue? {
        let facts: [String: JSONValue] = endpoint.map { ["denial.vpc_endpoint_id": .string($0)] } ?? [:]
        return try OutputParsers.parse("vpc_endpoint_policy", input: ParserInput(output: try JSONValue.parse(text), facts: facts)).value
    }

    @Test func theEndpointAskedForIsPickedAndItsPolicyDecoded() throws {
        let parsed = try #require(try parse(documented, endpoint: "vpce-0f89a33420c1931d7"))
        #expect(parsed["id"]?.stringValue == "vpce-0f89a33420c1931d7")
        #expect(parsed["vpc_id"]?.stringValue == "vpc-1a2b3c4d")
        #expect(parsed["service_name"]?.stringValue == "com.amazonaws.us-east-1.elasticloadbalancing")
        #expect(parsed["document"]?["Statement"]?[0]?["Principal"]?.stringValue == "*")
        #expect(parsed["default_policy"] == nil)
        let gateway = try #require(try parse(documented, endpoint: "vpce-032a826a"))
        #expect(gateway["document"]?["Version"]?.stringValue == "2008-10-17")
    }

    @Test func anEndpointWithoutAPolicyHasAWSsFullAccessDefault() throws {
        let parsed = try #require(try parse(#"{"VpcEndpoints":[{"VpcEndpointId":"vpce-1","VpcId":"vpc-1","ServiceName":"com.amazonaws.us-east-1.ssm"}]}"#,
                                            endpoint: "vpce-1"))
        #expect(parsed["default_policy"] == .bool(true))
        #expect(parsed["document"]?["Statement"]?[0]?["Action"]?.stringValue == "*")
    }

    @Test func anAnswerWithoutTheEndpointIsAParseErrorNotNoPolicy() {
        #expect(throws: OutputParsers.ParseError.self) { try parse(#"{"VpcEndpoints":[]}"#, endpoint: "vpce-9") }
        #expect(throws: OutputParsers.ParseError.self) { try parse(#"{"Other":1}"#, endpoint: "vpce-9") }
        #expect(throws: OutputParsers.ParseError.self) {
            try parse(#"{"VpcEndpoints":[{"VpcEndpointId":"vpce-9","PolicyDocument":"not json"}]}"#, endpoint: "vpce-9")
        }
    }

    @Test func theEventsEndpointBecomesAFact() throws {
        let record = try JSONValue.parse(#"""
            {"eventVersion":"1.09","eventTime":"2026-11-23T00:10:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject",
             "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/s","accountId":"111122223333"},
             "errorCode":"AccessDenied","errorMessage":"Access Denied","requestParameters":{"bucketName":"b","key":"k"},
             "vpcEndpointId":"vpce-0a1b2c3d"}
            """#)
        let summary = try DenialSummary.summarize(captures: ["events": .array([record])], facts: [:], action: nil)
        #expect(summary.facts["denial.vpc_endpoint_id"]?.stringValue == "vpce-0a1b2c3d")
        #expect(FactCatalog.isKnown("denial.vpc_endpoint_id"))
    }

    @Test func theCapturedEndpointPolicyAndAFailedReadReachTheSnapshot() {
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111122223333:role/App"),
                                          "principal.account_id": .string("111122223333"),
                                          "denial.vpc_endpoint_id": .string("vpce-0a1b2c3d")]
        let captured: JSONValue = .object(JSONObject([("id", .string("vpce-0a1b2c3d")), ("vpc_id", .string("vpc-1")),
                                                      ("document", VpcEndpointPolicyParser.fullAccess)]))
        let read = CapturedAccount.snapshot(captures: ["vpc_endpoint_policy": captured], facts: facts)
        #expect(read?.vpcEndpointPolicy(id: "vpce-0a1b2c3d")?.policy.name == "policy of VPC endpoint vpce-0a1b2c3d")
        #expect(read?.vpcEndpointPolicy(id: "vpce-0a1b2c3d")?.vpcId == "vpc-1")

        let failed = FailedPolicyRead(argv: ["aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", "vpce-0a1b2c3d"],
                                      reason: "AccessDenied", capture: "vpc_endpoint_policy")
        let unread = CapturedAccount.snapshot(captures: [:], facts: facts, failedReads: [failed.key: failed])
        #expect(unread?.vpcEndpointPolicies.isEmpty == true)
        #expect(unread?.unreadVpcEndpointPolicy(id: "vpce-0a1b2c3d")?.failedRead == "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids vpce-0a1b2c3d")
    }

    @Test func theRunbookReadsTheEndpointReadOnlyOnlyWhenThereIsOne() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_vpc_endpoint_policy"))
        let command = try #require(step.commands.first)
        let argv = ["aws", "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", "vpce-0a1b2c3d", "--region", "us-east-1"]
        #expect(command.argv.count == argv.count)
        #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(CommandClassifier.bundled.classify(argv).reason)")
    }
}

/// Issue 14 §2: a key's grants (`kms list-grants`) are one more Allow of its key policy.
@Suite struct KMSGrantReadTests {
    /// `aws kms list-grants` in the shape the AWS CLI reference documents (GrantId, Name,
    /// GranteePrincipal, Operations, Constraints, IssuingAccount, CreationDate).
    let listed = #"""
    {
        "Grants": [
            {
                "KeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "GrantId": "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60",
                "Name": "reports-writer",
                "CreationDate": "2021-02-26T10:28:23-08:00",
                "GranteePrincipal": "arn:aws:iam::111122223333:role/ReportsWorkerRole",
                "IssuingAccount": "arn:aws:iam::111122223333:root",
                "Operations": ["Encrypt", "GenerateDataKey"],
                "Constraints": {"EncryptionContextSubset": {"department": "reports"}}
            }
        ]
    }
    """#

    func grants() throws -> [KMSGrant] {
        let parsed = try OutputParsers.parse("kms_grants", input: ParserInput(output: try JSONValue.parse(listed))).value
        return KMSGrantsParser.grants(parsed)
    }

    @Test func grantsAreParsed() throws {
        let grant = try #require(try grants().first)
        #expect(grant.name == "reports-writer")
        #expect(grant.grantee == "arn:aws:iam::111122223333:role/ReportsWorkerRole")
        #expect(grant.operations == ["Encrypt", "GenerateDataKey"])
        #expect(grant.contextSubset == ["department": "reports"])
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("kms_grants", input: ParserInput(output: try JSONValue.parse(#"{"Grants":[{"GrantId":"g"}]}"#)))
        }
    }

    func decide(_ action: String, context: [String: String] = [:], grants: [KMSGrant]) throws -> EvaluationResult {
        let keyPolicy = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}"#)
        var policies = PolicySet()
        policies.keyPolicy = AttachedPolicy(name: "key policy of k", document: try PolicyDocument.parse(json: KMSGrant.keyPolicy(keyPolicy, with: grants)),
                                            ownerAccount: "111122223333")
        var requestContext = RequestContext()
        for (key, value) in context { requestContext["kms:EncryptionContext:\(key)"] = ContextValue(.string, value) }
        let request = AuthorizationRequest(
            principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/ReportsWorkerRole/task",
                                        roleArn: "arn:aws:iam::111122223333:role/ReportsWorkerRole"),
            action: action, resource: RequestResource(arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                                                      account: "111122223333"),
            context: requestContext)
        return PolicyEvaluator().evaluate(request, against: policies)
    }

    @Test func aGrantAllowsItsOperationsForItsGranteeWithinItsConstraints() throws {
        let grants = try grants()
        let allowed = try decide("kms:GenerateDataKey", context: ["department": "reports"], grants: grants)
        #expect(allowed.decision == .allowed)
        #expect(allowed.deciding.statement?.statement.sid?.hasPrefix("KMSGrant0c237476") == true)
        #expect(try decide("kms:GenerateDataKey", context: ["department": "finance"], grants: grants).decision == .implicitDeny)
        #expect(try decide("kms:Decrypt", context: ["department": "reports"], grants: grants).decision == .implicitDeny)
    }

    /// Issue 14 item 1: a failed `list-grants` is a failed policy read (the runbook's command fills
    /// a policy capture), and the key's grants become an unread policy next to the key policy
    /// that was read: Undecided while a grant could allow, decided when the answer is the same
    /// whatever the grants say (grants never deny).
    @Test func aFailedGrantListingIsAnUnreadPolicyOfTheKey() throws {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let facts: [String: JSONValue] = ["principal.arn": .string("arn:aws:iam::111122223333:role/ReportsWorkerRole"),
                                          "principal.account_id": .string("111122223333"),
                                          "resource.arn": .string(key), "resource.id": .string(key)]
        let keyPolicy = try JSONValue.parse(#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}"#)
        let failed = FailedPolicyRead(argv: ["aws", "kms", "list-grants", "--key-id", key], reason: "no connection", capture: "key_grants")
        let snapshot = try #require(CapturedAccount.snapshot(captures: ["key_policy": keyPolicy], facts: facts,
                                                             failedReads: [failed.key: failed]))
        #expect(snapshot.resourcePolicies(for: key).map(\.policy.name) == ["key policy of \(key)"])
        let unread = snapshot.unreadResourcePolicies(for: key)
        #expect(unread.map(\.name) == ["grants of key \(key)"])
        #expect(unread.first?.kind == .kmsKeyPolicy)
        #expect(unread.first?.failedRead == "aws kms list-grants --key-id \(key)")

        // No failed read, no unread grants (an empty listing is an answer).
        let answered = try #require(CapturedAccount.snapshot(captures: ["key_policy": keyPolicy, "key_grants": .array([])], facts: facts))
        #expect(answered.unreadResourcePolicies(for: key).isEmpty)
    }

    /// The evaluator's side: unread grants next to a read key policy are a stand-in that can
    /// only allow: a key policy that does not name the caller leaves the answer to them
    /// (Undecided, and never "if it denies"); an explicit Deny in the key policy decides
    /// whatever they say.
    @Test func unreadGrantsOnlyEverAllow() throws {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        func decide(keyPolicy: String) throws -> EvaluationResult {
            var policies = PolicySet()
            policies.keyPolicy = AttachedPolicy(name: "key policy of k", document: try PolicyDocument.parse(json: try JSONValue.parse(keyPolicy)),
                                                ownerAccount: "111122223333")
            policies.unreadPolicies = [UnreadPolicy(type: .kmsKeyPolicy, name: "grants of key k", failedRead: "aws kms list-grants --key-id k",
                                                    reason: "no connection")]
            let request = AuthorizationRequest(
                principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/ReportsWorkerRole/task",
                                            roleArn: "arn:aws:iam::111122223333:role/ReportsWorkerRole"),
                action: "kms:Decrypt", resource: RequestResource(arn: key, account: "111122223333"))
            return PolicyEvaluator().evaluate(request, against: policies)
        }
        let admins = #"{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}"#
        let open = try decide(keyPolicy: admins)
        #expect(open.decision == .undecided)
        #expect(open.deciding.policy?.name == "grants of key k")
        #expect(open.deciding.summary.contains("if it grants the caller: allowed"), "\(open.deciding.summary)")
        #expect(!open.deciding.summary.contains("if it denies"), "\(open.deciding.summary)")

        let denying = #"{"Version":"2012-10-17","Statement":[{"Sid":"NoDecrypt","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#
        let denied = try decide(keyPolicy: denying)
        #expect(denied.decision == .explicitDeny)
        #expect(denied.deciding.statement?.statement.sid == "NoDecrypt")
    }

    @Test func nearMissesNameTheMissingOperationOrTheOtherGrantee() throws {
        let grants = try grants()
        let caller = ["arn:aws:sts::111122223333:assumed-role/ReportsWorkerRole/task", "arn:aws:iam::111122223333:role/ReportsWorkerRole"]
        let missingOperation = KMSGrant.nearMisses(grants, action: "kms:Decrypt", callerArns: caller)
        #expect(missingOperation.count == 1)
        #expect(missingOperation.first?.contains("not Decrypt") == true)
        let otherGrantee = KMSGrant.nearMisses(grants, action: "kms:Encrypt", callerArns: ["arn:aws:iam::111122223333:role/Other"])
        #expect(otherGrantee.first?.contains("gives Encrypt to arn:aws:iam::111122223333:role/ReportsWorkerRole, not to the caller") == true)
    }
}
