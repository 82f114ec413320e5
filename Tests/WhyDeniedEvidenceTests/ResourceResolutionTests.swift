import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedEvidence

@Suite("Resource resolution")
struct ResourceResolutionTests {
    func event(_ source: String, _ name: String, _ parameters: String = "{}", region: String = "us-east-1",
               account: String = "111122223333", resources: String = "[]") throws -> CloudTrailEvent {
        try CloudTrailEvent(record: JSONValue.parse("""
        {"eventSource": "\(source)", "eventName": "\(name)", "awsRegion": "\(region)", "recipientAccountId": "\(account)",
         "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::\(account):user/ana", "accountId": "\(account)"},
         "requestParameters": \(parameters), "resources": \(resources)}
        """))
    }

    func resolve(_ source: String, _ name: String, _ parameters: String = "{}", region: String = "us-east-1",
                 resources: String = "[]") throws -> [ResolvedResource] {
        ResourceResolver.resolve(try event(source, name, parameters, region: region, resources: resources))
    }

    @Test(arguments: [
        ("GetObject", "arn:aws:s3:::reports/2024/q1.csv", "s3:GetObject"),
        ("PutObject", "arn:aws:s3:::reports/2024/q1.csv", "s3:PutObject"),
        ("DeleteObject", "arn:aws:s3:::reports/2024/q1.csv", "s3:DeleteObject"),
        ("GetObjectAcl", "arn:aws:s3:::reports/2024/q1.csv", "s3:GetObjectAcl"),
        ("HeadObject", "arn:aws:s3:::reports/2024/q1.csv", "s3:GetObject"),
        ("CreateMultipartUpload", "arn:aws:s3:::reports/2024/q1.csv", "s3:PutObject"),
        ("ListParts", "arn:aws:s3:::reports/2024/q1.csv", "s3:ListMultipartUploadParts"),
        ("ListObjects", "arn:aws:s3:::reports", "s3:ListBucket"),
        ("ListObjectsV2", "arn:aws:s3:::reports", "s3:ListBucket"),
        ("HeadBucket", "arn:aws:s3:::reports", "s3:ListBucket"),
        ("ListObjectVersions", "arn:aws:s3:::reports", "s3:ListBucketVersions"),
        ("GetBucketPolicy", "arn:aws:s3:::reports", "s3:GetBucketPolicy"),
        ("GetBucketEncryption", "arn:aws:s3:::reports", "s3:GetEncryptionConfiguration"),
        ("DeleteBucketCors", "arn:aws:s3:::reports", "s3:PutBucketCORS"),
        ("PutBucketObjectLockConfiguration", "arn:aws:s3:::reports", "s3:PutBucketObjectLockConfiguration"),
        ("GetBucketPublicAccessBlock", "arn:aws:s3:::reports", "s3:GetBucketPublicAccessBlock"),
    ])
    func s3ObjectAndBucketActions(eventName: String, arn: String, action: String) throws {
        let resolved = try resolve("s3.amazonaws.com", eventName, #"{"bucketName": "reports", "key": "2024/q1.csv", "Host": "reports.s3.amazonaws.com"}"#)
        #expect(resolved.first?.arn == arn)
        #expect(resolved.first?.action == action)
    }

    @Test func s3SpecialCases() throws {
        let listBuckets = try resolve("s3.amazonaws.com", "ListBuckets")
        #expect(listBuckets.map(\.arn) == ["*"])
        #expect(listBuckets.first?.action == "s3:ListAllMyBuckets")
        let noKey = try resolve("s3.amazonaws.com", "DeleteObjects", #"{"bucketName": "logs", "delete": ""}"#)
        #expect(noKey.map(\.arn) == ["arn:aws:s3:::logs/*"])
        #expect(noKey.first?.note != nil)
        let copy = try resolve("s3.amazonaws.com", "CopyObject", #"{"bucketName": "dst", "key": "b.txt", "x-amz-copy-source": "src/dir/a%20b.txt"}"#)
        #expect(copy.map(\.arn) == ["arn:aws:s3:::dst/b.txt", "arn:aws:s3:::src/dir/a b.txt"])
        #expect(copy.map(\.action) == ["s3:PutObject", "s3:GetObject"])
        let china = try ResourceResolver.resolve(CloudTrailEvent(record: JSONValue.parse(
            #"{"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "awsRegion": "cn-north-1", "requestParameters": {"bucketName": "b", "key": "k"}}"#)))
        #expect(china.first?.arn == "arn:aws-cn:s3:::b/k")
    }

    @Test func kmsKeysAliasesAndListedResources() throws {
        let listed = try resolve("kms.amazonaws.com", "Decrypt", "{}",
                                 resources: #"[{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]"#)
        #expect(listed.map(\.arn) == ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"])
        #expect(listed.first?.action == "kms:Decrypt")
        let byId = try resolve("kms.amazonaws.com", "GenerateDataKey", #"{"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}"#, region: "eu-west-1")
        #expect(byId.map(\.arn) == ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"])
        let alias = try resolve("kms.amazonaws.com", "Encrypt", #"{"keyId": "alias/app"}"#)
        #expect(alias.map(\.arn) == ["arn:aws:kms:us-east-1:111122223333:alias/app"])
        #expect(alias.first?.note?.contains("describe-key") == true)
    }

    @Test func sqsQueueURLsBecomeARNs() throws {
        #expect(try resolve("sqs.amazonaws.com", "SendMessage", #"{"queueUrl": "https://sqs.eu-central-1.amazonaws.com/444455556666/orders.fifo"}"#).map(\.arn)
                == ["arn:aws:sqs:eu-central-1:444455556666:orders.fifo"])
        #expect(ResourceResolver.queueArn(fromURL: "https://us-west-2.queue.amazonaws.com/111122223333/q") == "arn:aws:sqs:us-west-2:111122223333:q")
        #expect(ResourceResolver.queueArn(fromURL: "https://queue.amazonaws.com/111122223333/q") == "arn:aws:sqs:us-east-1:111122223333:q")
        #expect(ResourceResolver.queueArn(fromURL: "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q") == "arn:aws-cn:sqs:cn-north-1:111122223333:q")
        #expect(ResourceResolver.queueArn(fromURL: "not a url") == nil)
        #expect(try resolve("sqs.amazonaws.com", "CreateQueue", #"{"queueName": "jobs"}"#).map(\.arn) == ["arn:aws:sqs:us-east-1:111122223333:jobs"])
    }

    @Test func otherServices() throws {
        #expect(try resolve("sns.amazonaws.com", "Publish", #"{"topicArn": "arn:aws:sns:us-east-1:111122223333:alerts"}"#).map(\.arn)
                == ["arn:aws:sns:us-east-1:111122223333:alerts"])
        let lambda = try resolve("lambda.amazonaws.com", "Invoke", #"{"functionName": "resize"}"#)
        #expect(lambda.map(\.arn) == ["arn:aws:lambda:us-east-1:111122223333:function:resize"])
        #expect(lambda.first?.action == "lambda:InvokeFunction")
        #expect(try resolve("lambda.amazonaws.com", "GetFunction20150331v2", #"{"functionName": "arn:aws:lambda:us-east-1:111122223333:function:resize"}"#).first?.action
                == "lambda:GetFunction")
        let secret = try resolve("secretsmanager.amazonaws.com", "GetSecretValue", #"{"secretId": "prod/db"}"#)
        #expect(secret.map(\.arn) == ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????"])
        #expect(try resolve("secretsmanager.amazonaws.com", "GetSecretValue", #"{"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"}"#).map(\.arn)
                == ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"])
        #expect(try resolve("dynamodb.amazonaws.com", "Query", #"{"tableName": "Orders", "indexName": "ByDate"}"#).map(\.arn)
                == ["arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByDate"])
        #expect(try resolve("dynamodb.amazonaws.com", "BatchGetItem", #"{"requestItems": {"A": {}, "B": {}}}"#).map(\.arn)
                == ["arn:aws:dynamodb:us-east-1:111122223333:table/A", "arn:aws:dynamodb:us-east-1:111122223333:table/B"])
        #expect(try resolve("logs.amazonaws.com", "PutLogEvents", #"{"logGroupName": "/app/web", "logStreamName": "i-1"}"#).map(\.arn)
                == ["arn:aws:logs:us-east-1:111122223333:log-group:/app/web:log-stream:i-1"])
        #expect(try resolve("iam.amazonaws.com", "GetRole", #"{"roleName": "Deploy"}"#).map(\.arn) == ["arn:aws:iam::111122223333:role/Deploy"])
        #expect(try resolve("sts.amazonaws.com", "AssumeRole", #"{"roleArn": "arn:aws:iam::444455556666:role/Audit", "roleSessionName": "x"}"#).map(\.arn)
                == ["arn:aws:iam::444455556666:role/Audit"])
    }

    @Test func ec2IdsBecomeARNs() throws {
        let stop = try resolve("ec2.amazonaws.com", "StopInstances", #"{"instancesSet": {"items": [{"instanceId": "i-0abc"}, {"instanceId": "i-0def"}]}, "force": false}"#)
        #expect(stop.map(\.arn) == ["arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", "arn:aws:ec2:us-east-1:111122223333:instance/i-0def"])
        #expect(stop.first?.origin == "requestParameters.instancesSet.items[].instanceId")
        let image = try resolve("ec2.amazonaws.com", "ModifyImageAttribute", #"{"imageId": "ami-de1f", "attributeType": "launchPermission"}"#)
        #expect(image.map(\.arn) == ["arn:aws:ec2:us-east-1::image/ami-de1f"])
    }

    @Test func realLogFileExampleStartInstances() throws {
        let event = try #require(try CloudTrailFixtures.read("cloudtrail-log-file-examples__01.json").events.first)
        let resolved = ResourceResolver.resolve(event)
        #expect(resolved.map(\.arn) == ["arn:aws:ec2:us-east-2:123456789012:instance/i-ebeaf9e2"])
        #expect(resolved.first?.action == "ec2:StartInstances")
    }

    @Test func fallsBackToTheEventsResourceList() throws {
        let resolved = try resolve("cloudtrail.amazonaws.com", "StopLogging", #"{"name": "x"}"#,
                                   resources: #"[{"ARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "accountId": "111122223333"}]"#)
        #expect(resolved.map(\.arn) == ["arn:aws:cloudtrail:us-east-1:111122223333:trail/main"])
        let fromRequest = try resolve("events.amazonaws.com", "PutTargets", #"{"rule": "r", "eventBusArn": "arn:aws:events:us-east-1:111122223333:event-bus/default"}"#)
        #expect(fromRequest.map(\.origin) == ["requestParameters.eventBusArn"])
    }

    @Test(arguments: [
        ("s3.amazonaws.com", "s3", "s3api"), ("monitoring.amazonaws.com", "cloudwatch", "cloudwatch"),
        ("es.amazonaws.com", "es", "es"), ("aoss.amazonaws.com", "aoss", "opensearchserverless"),
        ("states.amazonaws.com", "states", "stepfunctions"), ("elasticfilesystem.amazonaws.com", "elasticfilesystem", "efs"),
        ("config.amazonaws.com", "config", "configservice"), ("tagging.amazonaws.com", "tag", "resourcegroupstaggingapi"),
        ("kms.amazonaws.com", "kms", "kms"), ("lambda.amazonaws.com.cn", "lambda", "lambda"), ("iam.amazonaws.com", "iam", "iam"),
        ("cloudtrail.amazonaws.com", "cloudtrail", "cloudtrail"), ("newservice.amazonaws.com", "newservice", "newservice"),
    ])
    func eventSourceToServiceNames(source: String, iam: String, cli: String) throws {
        let service = try #require(AWSService(eventSource: source))
        #expect(service.iamPrefix == iam)
        #expect(service.cliCommand == cli)
    }

    @Test func serviceNameEdgeCases() {
        #expect(AWSService(eventSource: "signin.amazonaws.com")?.cliCommand == nil)
        #expect(AWSService(eventSource: "") == nil)
        #expect(AWSService(eventSource: "not a host!") == nil)
        #expect(IAMActionName.actions(eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity").isEmpty)
        #expect(IAMActionName.action(eventSource: "cloudfront.amazonaws.com", eventName: "CreateDistribution2020_05_31") == "cloudfront:CreateDistribution")
        #expect(IAMActionName.action(eventSource: "monitoring.amazonaws.com", eventName: "PutMetricData") == "cloudwatch:PutMetricData")
        #expect(IAMActionName.action(eventSource: "ec2.amazonaws.com", eventName: "RunInstances") == "ec2:RunInstances")
    }
}
