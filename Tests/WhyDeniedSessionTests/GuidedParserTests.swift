import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// The runbook's named parsers, fed CLI output in the shapes the real `aws` prints (CLI v1 and
/// v2 agree on these; documented examples and /work/shared/research/formats).
@Suite struct GuidedParserTests {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    let frame: [String: JSONValue] = ["time.start": .string("2026-11-22T23:30:00Z"), "time.end": .string("2026-11-23T01:00:00Z")]

    // MARK: trail_destinations

    let describeTrails = """
    {
        "trailList": [
            {
                "Name": "management-events",
                "S3BucketName": "aws-cloudtrail-logs-111122223333-b083b6c5",
                "S3KeyPrefix": "audit",
                "IncludeGlobalServiceEvents": true,
                "IsMultiRegionTrail": true,
                "HomeRegion": "us-east-1",
                "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events",
                "LogFileValidationEnabled": true,
                "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-logs-111122223333-b083b6c5:*",
                "CloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/service-role/CloudTrailRoleForCloudWatchLogs",
                "HasCustomEventSelectors": false,
                "HasInsightSelectors": false,
                "IsOrganizationTrail": false
            },
            {
                "Name": "org-trail",
                "S3BucketName": "org-trail-bucket",
                "IncludeGlobalServiceEvents": true,
                "IsMultiRegionTrail": true,
                "HomeRegion": "us-east-1",
                "TrailARN": "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail",
                "LogFileValidationEnabled": true,
                "HasCustomEventSelectors": true,
                "HasInsightSelectors": false,
                "IsOrganizationTrail": true
            }
        ]
    }
    """

    @Test func trailDestinationsNamesLogGroupsBucketsAndDayFolders() throws {
        let parsed = try OutputParsers.parse("trail_destinations", input: ParserInput(
            output: json(describeTrails), facts: frame, parameters: ["region": "eu-west-1"]))
        #expect(parsed.named["trail_log_groups"] == .array([.string("aws-cloudtrail-logs-111122223333-b083b6c5")]))
        let buckets = try #require(parsed.named["trail_buckets"]?.arrayValue)
        #expect(buckets.count == 2)
        #expect(buckets[0]["bucket"]?.stringValue == "aws-cloudtrail-logs-111122223333-b083b6c5")
        #expect(buckets[0]["prefix"]?.stringValue == "audit")
        #expect(buckets[1]["prefix"] == .null)
        // One folder per UTC day of the frame, in the requested region; the org trail is skipped
        // (its folders need the organization id).
        let folders = try #require(parsed.named["trail_log_folders"]?.arrayValue)
        #expect(folders.map { $0["prefix"]?.stringValue } == [
            "audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/22/",
            "audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/23/",
        ])
        #expect(folders.allSatisfy { $0["bucket"]?.stringValue == "aws-cloudtrail-logs-111122223333-b083b6c5" })
    }

    @Test func trailDestinationsWithoutTimeFrameOrTrails() throws {
        let noFrame = try OutputParsers.parse("trail_destinations", output: json(describeTrails), item: nil)
        #expect(noFrame.named["trail_log_folders"] == nil)
        #expect(noFrame.named["trail_log_groups"] != nil)
        let empty = try OutputParsers.parse("trail_destinations", output: json(#"{"trailList": []}"#), item: nil)
        #expect(empty.named.isEmpty)
    }

    @Test func longTimeFramesListAtMostFourteenDays() throws {
        let parsed = try OutputParsers.parse("trail_destinations", input: ParserInput(
            output: json(describeTrails),
            facts: ["time.start": .string("2026-08-01T00:00:00Z"), "time.end": .string("2026-11-23T01:00:00Z")],
            parameters: ["region": "us-east-1"]))
        let folders = try #require(parsed.named["trail_log_folders"]?.arrayValue)
        #expect(folders.count == 14)
        #expect(folders.last?["prefix"]?.stringValue?.hasSuffix("/2026/11/23/") == true)
    }

    // MARK: trail_status, trail_event_selectors

    @Test func trailStatusReadsLoggingAndDeliveryError() throws {
        let status = try OutputParsers.parse("trail_status", output: json("""
            {"IsLogging": false, "LatestDeliveryError": "AccessDenied", "LatestDeliveryTime": "2026-11-23T10:00:00+00:00",
             "StartLoggingTime": "2026-01-01T00:00:00+00:00", "TimeLoggingStarted": "2026-01-01T00:00:00Z"}
            """), item: .string("arn:aws:cloudtrail:us-east-1:111122223333:trail/t"))
        #expect(status.value?["is_logging"] == .bool(false))
        #expect(status.value?["latest_delivery_error"]?.stringValue == "AccessDenied")
        #expect(status.value?["trail"]?.stringValue == "arn:aws:cloudtrail:us-east-1:111122223333:trail/t")
        let healthy = try OutputParsers.parse("trail_status", output: json(#"{"IsLogging": true, "LatestDeliveryError": ""}"#), item: nil)
        #expect(healthy.value?["is_logging"] == .bool(true))
        #expect(healthy.value?["latest_delivery_error"] == .null)
    }

    @Test func eventSelectorsBasicAndAdvanced() throws {
        let basicOff = try OutputParsers.parse("trail_event_selectors", output: json("""
            {"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
             "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": false, "DataResources": [],
                                 "ExcludeManagementEventSources": []}]}
            """), item: nil)
        #expect(basicOff.value?["management_events"] == .bool(false))
        let basicOn = try OutputParsers.parse("trail_event_selectors", output: json("""
            {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": []}]}
            """), item: nil)
        #expect(basicOn.value?["management_events"] == .bool(true))
        #expect(basicOn.value?["read_write_type"]?.stringValue == "All")
        let advanced = try OutputParsers.parse("trail_event_selectors", output: json("""
            {"AdvancedEventSelectors": [{"Name": "Management events selector",
              "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]}
            """), item: nil)
        #expect(advanced.value?["management_events"] == .bool(true))
        let dataOnly = try OutputParsers.parse("trail_event_selectors", output: json("""
            {"AdvancedEventSelectors": [{"Name": "S3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
              {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]}
            """), item: nil)
        #expect(dataOnly.value?["management_events"] == .bool(false))
    }

    // MARK: cloudtrail_events

    static func event(user: String, code: String?, name: String = "GetObject", time: String = "2026-11-23T00:10:00Z") -> String {
        var record = JSONObject([
            ("eventVersion", .string("1.09")),
            ("userIdentity", .object(JSONObject([("type", .string("IAMUser")), ("principalId", .string("AIDAEXAMPLE")),
                                                 ("arn", .string("arn:aws:iam::111122223333:user/\(user)")),
                                                 ("accountId", .string("111122223333")), ("userName", .string(user))]))),
            ("eventTime", .string(time)), ("eventSource", .string("s3.amazonaws.com")), ("eventName", .string(name)),
            ("awsRegion", .string("us-east-1")), ("sourceIPAddress", .string("192.0.2.10")),
            ("eventID", .string(UUID().uuidString)),
        ])
        if let code {
            record["errorCode"] = .string(code)
            record["errorMessage"] = .string("User: arn:aws:iam::111122223333:user/\(user) is not authorized to perform: s3:\(name)")
        }
        return JSONValue.object(record).serialized()
    }

    @Test func lookupEventsKeepsThePrincipalsDenials() throws {
        let lookup = JSONValue.object(JSONObject([
            ("Events", .array([
                .object(JSONObject([("EventId", .string("1")), ("EventName", .string("GetObject")), ("ReadOnly", .string("true")),
                                    ("EventTime", .string("2026-11-23T00:10:00+00:00")), ("Username", .string("ana")),
                                    ("Resources", .array([])),
                                    ("CloudTrailEvent", .string(Self.event(user: "ana", code: "AccessDenied")))])),
                .object(JSONObject([("EventId", .string("2")), ("EventName", .string("ListBuckets")),
                                    ("CloudTrailEvent", .string(Self.event(user: "ana", code: nil, name: "ListBuckets")))])),
                .object(JSONObject([("EventId", .string("3")), ("EventName", .string("GetObject")),
                                    ("CloudTrailEvent", .string(Self.event(user: "bob", code: "AccessDenied")))])),
                .object(JSONObject([("EventId", .string("4")), ("CloudTrailEvent", .string("{not json"))])),
            ])),
            ("NextToken", .string("eyJ...")),
        ]))
        let parsed = try OutputParsers.parse("cloudtrail_events", output: lookup, item: nil, principalNames: ["ana"])
        let records = try #require(parsed.value?.arrayValue)
        #expect(records.count == 1)
        #expect(records[0]["userIdentity"]?["userName"]?.stringValue == "ana")
        #expect(records[0]["errorCode"]?.stringValue == "AccessDenied")
        // The declared capture name gets the list, whichever it is.
        #expect(parsed.captures(for: ["events"])["events"]?.arrayValue?.count == 1)
    }

    @Test func filterLogEventsMessagesAreRecords() throws {
        let output = JSONValue.object(JSONObject([
            ("events", .array([
                .object(JSONObject([("logStreamName", .string("111122223333_CloudTrail_us-east-1")),
                                    ("timestamp", .number(1795430661232)),
                                    ("message", .string(Self.event(user: "ana", code: "AccessDenied"))),
                                    ("ingestionTime", .number(1795430661300)), ("eventId", .string("3819"))])),
            ])),
            ("searchedLogStreams", .array([])),
        ]))
        let parsed = try OutputParsers.parse("cloudtrail_events", output: output, item: nil,
                                             principalNames: ["arn:aws:iam::111122223333:user/ana"])
        #expect(parsed.value?.arrayValue?.count == 1)
        let nobody = try OutputParsers.parse("cloudtrail_events", output: output, item: nil, principalNames: ["carol"])
        #expect(nobody.value == .array([]))
    }

    @Test func realLookupEventsOutputHasNoDenials() throws {
        // Shape of real CLI v2 output (research/formats): ReadOnly as a string, offset EventTime.
        let output = try json("""
        {"Events": [{"EventId": "cfece4ca-b016-4184-902e-b5b797085789", "EventName": "DescribeLaunchTemplateVersions",
          "ReadOnly": "true", "AccessKeyId": "ASIAWDV4LLLQLY2NV2CU", "EventTime": "2026-03-07T15:19:46+00:00",
          "EventSource": "ec2.amazonaws.com", "Username": "AutoScaling",
          "Resources": [{"ResourceType": "AWS::EC2::LaunchTemplate", "ResourceName": "lt-0f20d9a64c382e6b6"}],
          "CloudTrailEvent": "{\\"eventVersion\\":\\"1.11\\",\\"userIdentity\\":{\\"type\\":\\"AssumedRole\\",\\"arn\\":\\"arn:aws:sts::420228061920:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling\\",\\"accountId\\":\\"420228061920\\",\\"sessionContext\\":{\\"sessionIssuer\\":{\\"type\\":\\"Role\\",\\"arn\\":\\"arn:aws:iam::420228061920:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling\\",\\"userName\\":\\"AWSServiceRoleForAutoScaling\\"}}},\\"eventTime\\":\\"2026-03-07T15:19:46Z\\",\\"eventSource\\":\\"ec2.amazonaws.com\\",\\"eventName\\":\\"DescribeLaunchTemplateVersions\\",\\"awsRegion\\":\\"ap-northeast-1\\",\\"eventID\\":\\"cfece4ca-b016-4184-902e-b5b797085789\\"}"}],
         "NextToken": "abc"}
        """)
        let parsed = try OutputParsers.parse("cloudtrail_events", output: output, item: nil,
                                             principalNames: ["AWSServiceRoleForAutoScaling"])
        #expect(parsed.value == .array([]))
    }

    // MARK: trail_log_objects, cloudtrail_log_file

    let folder = JSONValue.object(JSONObject([("bucket", .string("trail-bucket")),
                                              ("prefix", .string("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/"))]))

    @Test func trailLogObjectsKeepsTheFramesLogFiles() throws {
        let listing = try json("""
        {"Contents": [
          {"Key": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/111122223333_CloudTrail_us-east-1_20261123T0015Z_a1b2c3d4e5f6.json.gz",
           "LastModified": "2026-11-23T00:15:30+00:00", "ETag": "\\"d41d8cd98f00b204e9800998ecf8427e\\"", "Size": 1234, "StorageClass": "STANDARD"},
          {"Key": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/111122223333_CloudTrail_us-east-1_20261123T2355Z_zzzz.json.gz",
           "Size": 99},
          {"Key": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/23/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261123T0030Z.json.gz",
           "Size": 10},
          {"Key": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/notes.txt", "Size": 1},
          {"Key": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/../../evil name.json.gz", "Size": 1}
        ], "KeyCount": 5}
        """)
        let parsed = try OutputParsers.parse("trail_log_objects", input: ParserInput(
            output: listing, item: folder, facts: frame, downloadDirectory: "/tmp/session/downloads"))
        let files = try #require(parsed.named["trail_log_files"]?.arrayValue)
        #expect(files.count == 2)
        #expect(files[0]["bucket"]?.stringValue == "trail-bucket")
        #expect(files[0]["key"]?.stringValue?.hasSuffix("20261123T0015Z_a1b2c3d4e5f6.json.gz") == true)
        #expect(files[0]["download_path"]?.stringValue == "/tmp/session/downloads/111122223333_CloudTrail_us-east-1_20261123T0015Z_a1b2c3d4e5f6.json.gz")
        // A key with odd characters still lands inside the download folder.
        #expect(files[1]["download_path"]?.stringValue == "/tmp/session/downloads/evil_name.json.gz")
    }

    @Test func trailLogObjectsNeedsItsFolderAndDownloadDirectory() throws {
        let listing = try json(#"{"Contents": []}"#)
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("trail_log_objects", input: ParserInput(output: listing, item: nil, downloadDirectory: "/tmp/x"))
        }
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("trail_log_objects", input: ParserInput(output: listing, item: folder))
        }
        let empty = try OutputParsers.parse("trail_log_objects", input: ParserInput(output: json("{}"), item: folder, downloadDirectory: "/tmp/x"))
        #expect(empty.named["trail_log_files"] == .array([]))
    }

    @Test func logFileKeepsThePrincipalsDenialsInTheFrame() throws {
        let records = "{\"Records\":[\(Self.event(user: "ana", code: "AccessDenied")),\(Self.event(user: "ana", code: nil)),"
            + "\(Self.event(user: "ana", code: "AccessDenied", time: "2026-11-20T00:00:00Z")),\(Self.event(user: "bob", code: "AccessDenied"))]}"
        let item = JSONValue.object(JSONObject([("bucket", .string("b")), ("key", .string("k")), ("download_path", .string("/tmp/k.json.gz"))]))
        let parsed = try OutputParsers.parse("cloudtrail_log_file", input: ParserInput(
            output: json(#"{"AcceptRanges": "bytes", "ContentLength": 512, "ContentType": "application/json", "ContentEncoding": "gzip"}"#),
            item: item, principalNames: ["ana"], facts: frame, downloadedFile: Array(records.utf8)))
        let events = try #require(parsed.named["file_events"]?.arrayValue)
        #expect(events.count == 1)
        #expect(events[0]["eventTime"]?.stringValue == "2026-11-23T00:10:00Z")
    }

    @Test func logFileMissingOrNotCloudTrailIsAParseError() throws {
        let item = JSONValue.object(JSONObject([("download_path", .string("/tmp/missing.json.gz"))]))
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("cloudtrail_log_file", input: ParserInput(output: json("{}"), item: item))
        }
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("cloudtrail_log_file", input: ParserInput(output: json("{}"), item: item,
                                                                             downloadedFile: [0x00, 0x01, 0x02]))
        }
    }

    // MARK: policy_document

    @Test func inlinePolicyDocumentsOfUserRoleAndGroup() throws {
        // The CLI prints IAM's URL-encoded document decoded, as an object.
        let user = try OutputParsers.parse("policy_document", output: json("""
            {"UserName": "ana", "PolicyName": "ReadReports",
             "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}
            """), item: .string("ReadReports"))
        #expect(user.value?["kind"]?.stringValue == "user_inline")
        #expect(user.value?["name"]?.stringValue == "ReadReports")
        #expect(user.value?["document"]?["Statement"]?[0]?["Action"]?.stringValue == "s3:GetObject")
        let group = try OutputParsers.parse("policy_document", output: json("""
            {"GroupName": "Contractors", "PolicyName": "DenyDeletes",
             "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22s3%3ADeleteObject%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}
            """), item: nil)
        #expect(group.value?["kind"]?.stringValue == "group_inline")
        #expect(group.value?["group"]?.stringValue == "Contractors")
        #expect(group.value?["document"]?["Statement"]?[0]?["Effect"]?.stringValue == "Deny")
        let role = try OutputParsers.parse("policy_document", output: json("""
            {"RoleName": "PaymentsAppRole", "PolicyName": "AllowDecrypt", "PolicyDocument": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}"}
            """), item: nil)
        #expect(role.value?["kind"]?.stringValue == "role_inline")
        #expect(role.value?["role"]?.stringValue == "PaymentsAppRole")
    }

    @Test func managedPolicyVersionKeepsItsArn() throws {
        let item = JSONValue.object(JSONObject([("item", .string("arn:aws:iam::111122223333:policy/DeployArtifactsList")),
                                                ("value", .string("v1"))]))
        let parsed = try OutputParsers.parse("policy_document", output: json("""
            {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Sid": "ListArtifacts", "Effect": "Allow",
              "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::deploy-artifacts"}]},
              "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2026-11-23T11:38:51+00:00"}}
            """), item: item)
        #expect(parsed.value?["kind"]?.stringValue == "managed")
        #expect(parsed.value?["arn"]?.stringValue == "arn:aws:iam::111122223333:policy/DeployArtifactsList")
        #expect(parsed.value?["version"]?.stringValue == "v1")
        #expect(parsed.value?["document"]?["Statement"]?[0]?["Sid"]?.stringValue == "ListArtifacts")
    }

    @Test func policyDocumentThatIsNotJSONIsAnError() throws {
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("policy_document", output: json(#"{"UserName": "a", "PolicyDocument": "not json"}"#), item: nil)
        }
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("policy_document", output: json(#"{"Unexpected": true}"#), item: nil)
        }
    }

    // MARK: resource_policy, trust_policy, simulation_decision

    @Test func resourcePoliciesFromEachServicesField() throws {
        let document = #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"#
        let outputs = [
            #"{"Policy": "\#(document)"}"#,                                           // s3api get-bucket-policy, lambda get-policy
            #"{"Policy": "\#(document)", "PolicyName": "default"}"#,                  // kms get-key-policy
            #"{"Attributes": {"Policy": "\#(document)"}}"#,                           // sqs get-queue-attributes, sns get-topic-attributes
            #"{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf", "Name": "s", "ResourcePolicy": "\#(document)"}"#,
            #"{"registryId": "111122223333", "repositoryName": "r", "policyText": "\#(document)"}"#,
        ]
        for output in outputs {
            let parsed = try OutputParsers.parse("resource_policy", output: json(output), item: nil)
            #expect(parsed.value?["Statement"]?[0]?["Sid"]?.stringValue == "S", "\(output)")
        }
        // A queue without a policy: no Policy attribute, which is an answer.
        let none = try OutputParsers.parse("resource_policy", output: json(#"{"Attributes": {"QueueArn": "arn:aws:sqs:us-east-1:1:q"}}"#), item: nil)
        #expect(none.value == .null)
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("resource_policy", output: json(#"{"Something": 1}"#), item: nil)
        }
        // An OpenSearch Serverless data access policy is not an IAM policy: never read as one
        // (its own parser keeps it as rules, see ResourcePolicyServiceTableTests).
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("resource_policy", output: json(#"{"accessPolicyDetail": {"name": "p", "type": "data", "policy": "\#(document)"}}"#), item: nil)
        }
    }

    @Test func trustPolicyOfARole() throws {
        let parsed = try OutputParsers.parse("trust_policy", output: json("""
            {"Role": {"Path": "/", "RoleName": "DataAnalystRole", "RoleId": "AROAEXAMPLE",
              "Arn": "arn:aws:iam::111122223333:role/DataAnalystRole", "CreateDate": "2026-11-23T11:38:51+00:00",
              "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "MaxSessionDuration": 3600}}
            """), item: nil)
        #expect(parsed.value?["Statement"]?[0]?["Principal"]?["Service"]?.stringValue == "ec2.amazonaws.com")
        #expect(throws: OutputParsers.ParseError.self) {
            try OutputParsers.parse("trust_policy", output: json(#"{"User": {}}"#), item: nil)
        }
    }

    @Test func simulationDecisionIsTheWorstOne() throws {
        func decision(_ values: [String]) throws -> JSONValue? {
            let results = values.map { #"{"EvalActionName": "s3:GetObject", "EvalResourceName": "*", "EvalDecision": "\#($0)", "MatchedStatements": [], "MissingContextValues": []}"# }
            return try OutputParsers.parse("simulation_decision", output: json(#"{"EvaluationResults": [\#(results.joined(separator: ","))], "IsTruncated": false}"#), item: nil).value
        }
        #expect(try decision(["allowed"]) == .string("allowed"))
        #expect(try decision(["allowed", "implicitDeny"]) == .string("implicitDeny"))
        #expect(try decision(["implicitDeny", "explicitDeny"]) == .string("explicitDeny"))
        #expect(throws: OutputParsers.ParseError.self) { try decision([]) }
    }

    @Test func everyParserTheRunbookNamesIsRegistered() throws {
        let text = try String(contentsOfFile: RunbookFixture.accessDenied, encoding: .utf8)
        let named = Set(text.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "parser: ") else { return nil }
            return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        })
        #expect(!named.isEmpty)
        for name in named { #expect(OutputParsers.registry[name] != nil, "runbook names parser \(name)") }
        #expect(throws: OutputParsers.ParseError.self) { try OutputParsers.parse("no_such_parser", output: .null, item: nil) }
    }
}

/// Paths of the repository's runbook, from this file's location.
enum RunbookFixture {
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
    static var accessDenied: String { repositoryRoot + "/Runbooks/access-denied.yaml" }

    /// The bundled runbook as loaded once per test process, plain or with the bundled classifier:
    /// parsing its YAML costs about a tenth of a second of a debug build's CPU, and hundreds of
    /// tests start a session on it. The loader itself is tested on its own (WhyDeniedRunbookTests).
    enum Classifier { case bundled }

    static func loaded(classifier: Classifier? = nil) throws -> Runbook {
        switch classifier {
        case nil: try plain.get()
        case .bundled: try classified.get()
        }
    }

    private static let plain = Result { () throws(RunbookLoadError) -> Runbook in try RunbookLoader.load(contentsOf: accessDenied) }
    private static let classified = Result { () throws(RunbookLoadError) -> Runbook in
        try RunbookLoader.load(contentsOf: accessDenied, classifier: CommandClassifier.bundled)
    }
}
