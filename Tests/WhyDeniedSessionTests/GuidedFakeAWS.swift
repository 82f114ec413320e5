import Foundation
import WhyDeniedJSON
import WhyDeniedSession

/// A scripted stand-in for the `aws` CLI, answering by `service operation` with recorded-shape
/// output, and remembering every argv it was asked to run. Used by the Guided* tests.
final class GuidedFakeAWS: SessionEffects, @unchecked Sendable {
    typealias Answer = @Sendable ([String]) -> CommandOutcome
    private let lock = NSLock()
    private var answers: [String: Answer]
    private var ran: [[String]] = []
    let toolsOnPath: Set<String>

    init(answers: [String: Answer], toolsOnPath: Set<String> = ["aws"]) {
        self.answers = answers
        self.toolsOnPath = toolsOnPath
    }

    var calls: [[String]] {
        lock.lock()
        defer { lock.unlock() }
        return ran
    }

    func operations() -> [String] { calls.map { $0.dropFirst().prefix(2).joined(separator: " ") } }

    func setAnswer(_ operation: String, _ answer: @escaping Answer) {
        lock.lock()
        answers[operation] = answer
        lock.unlock()
    }

    private func remember(_ argv: [String]) -> Answer? {
        lock.lock()
        defer { lock.unlock() }
        ran.append(argv)
        return answers[argv.dropFirst().prefix(2).joined(separator: " ")]
    }

    func run(_ request: CommandRequest) async -> CommandOutcome {
        guard let answer = remember(request.argv) else {
            return Self.failed(request.argv, "An error occurred (InvalidAction) when calling the operation: not scripted")
        }
        return answer(request.argv)
    }

    func isToolAvailable(_ name: String) async -> Bool { toolsOnPath.contains(name) }

    static func ok(_ json: String) -> Answer {
        { argv in CommandOutcome(argv: argv, stdout: json, ending: .exited(0), durationMilliseconds: 5) }
    }

    static func error(_ stderr: String, exit: Int32 = 254) -> Answer {
        { argv in failed(argv, stderr, exit: exit) }
    }

    static func failed(_ argv: [String], _ stderr: String, exit: Int32 = 254) -> CommandOutcome {
        CommandOutcome(argv: argv, stderr: stderr, ending: .exited(exit), durationMilliseconds: 5,
                       failure: CommandFailure.classify(stderr: stderr, exitCode: exit, argv: argv))
    }
}

/// The user-without-allow case as the CLI would print it: user ci-deployer may list bucket
/// deploy-artifacts, is denied s3:PutObject on build/app.zip, the bucket has no policy.
enum CIDeployerCase {
    static let account = "111122223333"
    static let user = "ci-deployer"
    static let bucket = "deploy-artifacts"
    static let key = "build/app.zip"
    static let logGroup = "aws-cloudtrail-logs-111122223333-b083b6c5"
    static let trailBucket = "aws-cloudtrail-logs-111122223333-trail"
    static let parameters = [
        "principal": "arn:aws:iam::111122223333:user/ci-deployer",
        "time_frame": "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z",
        "region": "us-east-1",
    ]

    static var deniedEvent: String {
        JSONValue.object(JSONObject([
            ("eventVersion", .string("1.09")),
            ("userIdentity", .object(JSONObject([("type", .string("IAMUser")), ("principalId", .string("AIDAEXAMPLE")),
                                                 ("arn", .string("arn:aws:iam::\(account):user/\(user)")),
                                                 ("accountId", .string(account)), ("accessKeyId", .string("AKIAIOSFODNN7EXAMPLE")),
                                                 ("userName", .string(user))]))),
            ("eventTime", .string("2026-11-23T00:20:00Z")), ("eventSource", .string("s3.amazonaws.com")),
            ("eventName", .string("PutObject")), ("awsRegion", .string("us-east-1")),
            ("sourceIPAddress", .string("192.0.2.10")), ("userAgent", .string("aws-cli/2.15.0")),
            ("errorCode", .string("AccessDenied")),
            ("errorMessage", .string("User: arn:aws:iam::\(account):user/\(user) is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" because no identity-based policy allows the s3:PutObject action")),
            ("requestParameters", .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key))]))),
            ("responseElements", .null),
            ("resources", .array([.object(JSONObject([("type", .string("AWS::S3::Object")), ("ARN", .string("arn:aws:s3:::\(bucket)/\(key)"))])),
                                  .object(JSONObject([("type", .string("AWS::S3::Bucket")), ("ARN", .string("arn:aws:s3:::\(bucket)"))]))])),
            ("eventID", .string("5d3c2a4e-0000-4000-8000-000000000001")), ("readOnly", .bool(false)),
            ("eventType", .string("AwsApiCall")), ("managementEvent", .bool(false)), ("recipientAccountId", .string(account)),
        ])).serialized()
    }

    static func answers() -> [String: GuidedFakeAWS.Answer] {
        let logEvents = JSONValue.object(JSONObject([
            ("events", .array([.object(JSONObject([
                ("logStreamName", .string("\(account)_CloudTrail_us-east-1")), ("timestamp", .number(1795_393_200_000)),
                ("message", .string(deniedEvent)), ("ingestionTime", .number(1795_393_201_000)), ("eventId", .string("1")),
            ]))])),
            ("searchedLogStreams", .array([])),
        ])).serialized()
        return [
            "sts get-caller-identity": GuidedFakeAWS.ok("""
                {"UserId": "AIDAAUDITOR", "Account": "\(account)", "Arn": "arn:aws:iam::\(account):user/auditor"}
                """),
            "cloudtrail describe-trails": GuidedFakeAWS.ok("""
                {"trailList": [{"Name": "management-events", "S3BucketName": "\(trailBucket)", "IncludeGlobalServiceEvents": true,
                  "IsMultiRegionTrail": true, "HomeRegion": "us-east-1",
                  "TrailARN": "arn:aws:cloudtrail:us-east-1:\(account):trail/management-events", "LogFileValidationEnabled": true,
                  "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:\(account):log-group:\(logGroup):*",
                  "CloudWatchLogsRoleArn": "arn:aws:iam::\(account):role/CloudTrailToCloudWatchLogs",
                  "HasCustomEventSelectors": false, "HasInsightSelectors": false, "IsOrganizationTrail": false}]}
                """),
            "cloudtrail get-trail-status": GuidedFakeAWS.ok(#"{"IsLogging": true, "LatestDeliveryTime": "2026-11-23T00:30:00+00:00"}"#),
            "cloudtrail get-event-selectors": GuidedFakeAWS.ok("""
                {"TrailARN": "arn:aws:cloudtrail:us-east-1:\(account):trail/management-events",
                 "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]}
                """),
            "cloudtrail lookup-events": GuidedFakeAWS.error("""

                An error occurred (500) when calling the LookupEvents operation (reached max retries: 1): <!doctype html>
                <html lang=en>
                <title>500 Internal Server Error</title>
                """),
            "logs filter-log-events": GuidedFakeAWS.ok(logEvents),
            "iam get-user": GuidedFakeAWS.ok("""
                {"User": {"Path": "/", "UserName": "\(user)", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::\(account):user/\(user)",
                  "CreateDate": "2026-11-23T00:00:00+00:00"}}
                """),
            "iam list-attached-user-policies": GuidedFakeAWS.ok("""
                {"AttachedPolicies": [{"PolicyName": "DeployArtifactsList", "PolicyArn": "arn:aws:iam::\(account):policy/DeployArtifactsList"}]}
                """),
            "iam list-user-policies": GuidedFakeAWS.ok(#"{"PolicyNames": []}"#),
            "iam list-groups-for-user": GuidedFakeAWS.ok(#"{"Groups": []}"#),
            "iam get-policy": GuidedFakeAWS.ok("""
                {"Policy": {"PolicyName": "DeployArtifactsList", "PolicyId": "ANPAEXAMPLE", "Arn": "arn:aws:iam::\(account):policy/DeployArtifactsList",
                  "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true}}
                """),
            "iam get-policy-version": GuidedFakeAWS.ok("""
                {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Sid": "ListArtifacts", "Effect": "Allow",
                  "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::\(bucket)"}]}, "VersionId": "v1", "IsDefaultVersion": true}}
                """),
            "s3api get-bucket-policy": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n"),
            "iam get-user-policy": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchEntity) when calling the GetUserPolicy operation: The user policy with name X cannot be found.\n"),
            // S3's own controls beside the bucket policy: none set, ACLs as S3 creates them (the owner only).
            "s3api get-public-access-block": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: The public access block configuration was not found\n"),
            "s3control get-public-access-block": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: The public access block configuration was not found\n"),
            "s3api get-bucket-ownership-controls": GuidedFakeAWS.error(
                "\nAn error occurred (OwnershipControlsNotFoundError) when calling the GetBucketOwnershipControls operation: The bucket ownership controls were not found\n"),
            "s3api get-bucket-tagging": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchTagSet) when calling the GetBucketTagging operation: The TagSet does not exist\n"),
            "s3api get-bucket-acl": GuidedFakeAWS.ok("""
                {"Owner": {"DisplayName": "ci-admin", "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
                 "Grants": [{"Grantee": {"DisplayName": "ci-admin", "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
                   "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]}
                """),
            // The object ci-deployer meant to upload does not exist yet: no object ACL.
            "s3api get-object-acl": GuidedFakeAWS.error(
                "\nAn error occurred (NoSuchKey) when calling the GetObjectAcl operation: The specified key does not exist.\n"),
            // The account is in no organization, as most single accounts are: no SCPs apply.
            "organizations describe-organization": GuidedFakeAWS.error(
                "\nAn error occurred (AWSOrganizationsNotInUseException) when calling the DescribeOrganization operation: Your account is not a member of an organization.\n"),
            "iam simulate-principal-policy": GuidedFakeAWS.ok("""
                {"EvaluationResults": [{"EvalActionName": "s3:PutObject", "EvalResourceName": "arn:aws:s3:::\(bucket)/\(key)",
                  "EvalDecision": "implicitDeny", "MatchedStatements": [], "MissingContextValues": []}], "IsTruncated": false}
                """),
        ]
    }
}
