import Foundation

/// The IAM action a CloudTrail event needed: usually `<iam prefix>:<eventName>`, with the known
/// cases where the action a policy must name differs from the API name.
///
/// ```swift
/// IAMActionName.actions(eventSource: "s3.amazonaws.com", eventName: "ListObjectsV2")  // ["s3:ListBucket"]
/// IAMActionName.actions(eventSource: "s3.amazonaws.com", eventName: "HeadObject")     // ["s3:GetObject"]
/// IAMActionName.actions(eventSource: "lambda.amazonaws.com", eventName: "GetFunction20150331v2") // ["lambda:GetFunction"]
/// ```
public enum IAMActionName {
    /// S3 API operations (as CloudTrail names them) whose IAM action has another name, from the
    /// "API operations to IAM actions" table of the Service Authorization Reference for Amazon S3.
    /// The first action is the one the operation is authorized by; CopyObject and UploadPartCopy
    /// also need read access to the source object.
    public static let s3Exceptions: [String: [String]] = [
        "ListObjects": ["ListBucket"],
        "ListObjectsV2": ["ListBucket"],
        "HeadBucket": ["ListBucket"],
        "ListObjectVersions": ["ListBucketVersions"],
        "ListMultipartUploads": ["ListBucketMultipartUploads"],
        "ListParts": ["ListMultipartUploadParts"],
        "ListBuckets": ["ListAllMyBuckets"],
        "ListDirectoryBuckets": ["ListAllMyDirectoryBuckets"],
        "HeadObject": ["GetObject"],
        "SelectObjectContent": ["GetObject"],
        "GetObjectAttributes": ["GetObjectAttributes", "GetObject"],
        "CopyObject": ["PutObject", "GetObject"],
        "UploadPartCopy": ["PutObject", "GetObject"],
        "CreateMultipartUpload": ["PutObject"],
        "InitiateMultipartUpload": ["PutObject"],
        "UploadPart": ["PutObject"],
        "CompleteMultipartUpload": ["PutObject"],
        "DeleteObjects": ["DeleteObject"],
        "GetBucketCors": ["GetBucketCORS"],
        "PutBucketCors": ["PutBucketCORS"],
        "DeleteBucketCors": ["PutBucketCORS"],
        "GetBucketEncryption": ["GetEncryptionConfiguration"],
        "PutBucketEncryption": ["PutEncryptionConfiguration"],
        "DeleteBucketEncryption": ["PutEncryptionConfiguration"],
        "GetBucketLifecycle": ["GetLifecycleConfiguration"],
        "GetBucketLifecycleConfiguration": ["GetLifecycleConfiguration"],
        "PutBucketLifecycle": ["PutLifecycleConfiguration"],
        "PutBucketLifecycleConfiguration": ["PutLifecycleConfiguration"],
        "DeleteBucketLifecycle": ["PutLifecycleConfiguration"],
        "GetBucketReplication": ["GetReplicationConfiguration"],
        "PutBucketReplication": ["PutReplicationConfiguration"],
        "DeleteBucketReplication": ["PutReplicationConfiguration"],
        "GetBucketNotificationConfiguration": ["GetBucketNotification"],
        "PutBucketNotificationConfiguration": ["PutBucketNotification"],
        "DeleteBucketTagging": ["PutBucketTagging"],
        "DeleteBucketOwnershipControls": ["PutBucketOwnershipControls"],
        "GetPublicAccessBlock": ["GetBucketPublicAccessBlock"],
        "PutPublicAccessBlock": ["PutBucketPublicAccessBlock"],
        "DeletePublicAccessBlock": ["PutBucketPublicAccessBlock"],
        "DeleteBucketPublicAccessBlock": ["PutBucketPublicAccessBlock"],
        "GetObjectLockConfiguration": ["GetBucketObjectLockConfiguration"],
        "PutObjectLockConfiguration": ["PutBucketObjectLockConfiguration"],
        "GetBucketAccelerateConfiguration": ["GetAccelerateConfiguration"],
        "PutBucketAccelerateConfiguration": ["PutAccelerateConfiguration"],
        "GetBucketAnalyticsConfiguration": ["GetAnalyticsConfiguration"],
        "PutBucketAnalyticsConfiguration": ["PutAnalyticsConfiguration"],
        "DeleteBucketAnalyticsConfiguration": ["PutAnalyticsConfiguration"],
        "ListBucketAnalyticsConfigurations": ["GetAnalyticsConfiguration"],
        "GetBucketInventoryConfiguration": ["GetInventoryConfiguration"],
        "PutBucketInventoryConfiguration": ["PutInventoryConfiguration"],
        "DeleteBucketInventoryConfiguration": ["PutInventoryConfiguration"],
        "ListBucketInventoryConfigurations": ["GetInventoryConfiguration"],
        "GetBucketMetricsConfiguration": ["GetMetricsConfiguration"],
        "PutBucketMetricsConfiguration": ["PutMetricsConfiguration"],
        "DeleteBucketMetricsConfiguration": ["PutMetricsConfiguration"],
        "ListBucketMetricsConfigurations": ["GetMetricsConfiguration"],
        "GetBucketIntelligentTieringConfiguration": ["GetIntelligentTieringConfiguration"],
        "PutBucketIntelligentTieringConfiguration": ["PutIntelligentTieringConfiguration"],
        "DeleteBucketIntelligentTieringConfiguration": ["PutIntelligentTieringConfiguration"],
        "DeleteBucketWebsite": ["DeleteBucketWebsite"],
    ]

    /// Other services' CloudTrail event names that are not the IAM action.
    public static let otherExceptions: [String: [String: [String]]] = [
        "lambda": ["Invoke": ["InvokeFunction"]],
        // Needs no permission: an explicit deny cannot block it.
        "sts": ["GetCallerIdentity": []],
    ]

    /// The IAM actions (`prefix:Action`) the event needed, first the one that authorizes the
    /// operation. Empty when the operation needs no permission (`sts:GetCallerIdentity`) or the
    /// source is not recognised.
    public static func actions(eventSource: String, eventName: String) -> [String] {
        guard let service = AWSService(eventSource: eventSource) else { return [] }
        let name = apiName(fromEventName: eventName)
        guard !name.isEmpty else { return [] }
        if service.iamPrefix == "s3", let mapped = s3Exceptions[name] {
            return mapped.map { "s3:\($0)" }
        }
        if let mapped = otherExceptions[service.iamPrefix]?[name] {
            return mapped.map { "\(service.iamPrefix):\($0)" }
        }
        return ["\(service.iamPrefix):\(name)"]
    }

    /// The first (authorizing) action, if any.
    public static func action(eventSource: String, eventName: String) -> String? {
        actions(eventSource: eventSource, eventName: eventName).first
    }

    /// Strips the API-version suffixes some services add to CloudTrail event names:
    /// Lambda `GetFunction20150331v2`, `AddPermission20150331`; CloudFront
    /// `CreateDistribution2020_05_31`.
    public static func apiName(fromEventName eventName: String) -> String {
        var name = eventName.trimmingCharacters(in: .whitespaces)
        if let range = name.range(of: #"(19|20)\d{2}_?\d{2}_?\d{2}(v\d+)?$"#, options: .regularExpression), range.lowerBound > name.startIndex {
            name = String(name[..<range.lowerBound])
        }
        return name
    }
}
