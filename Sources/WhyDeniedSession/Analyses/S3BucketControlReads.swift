import WhyDeniedAnalysis
import WhyDeniedJSON

/// Turns what step `check_resource_policies` read about an S3 bucket beside its policy into the
/// `S3BucketAccessControls` the evaluator reads: Block Public Access of the bucket owner's account
/// (`s3control get-public-access-block --account-id`) and of the bucket (`s3api
/// get-public-access-block`), Object Ownership (`s3api get-bucket-ownership-controls`), the
/// bucket ACL (`s3api get-bucket-acl`) and, for a request on an object, the object's ACL and owner
/// (`s3api get-object-acl`; `NoSuchKey` answers "no such object").
///
/// Each is captured (set), answered "not set" (`NoSuchPublicAccessBlockConfiguration`,
/// `OwnershipControlsNotFoundError`: no capture, no failure), or failed: an unread setting, named.
/// The account's read needs the owner's account id; with none known it is not run, and unread.
/// Against an endpoint given as an IP address (the moto sandbox) the account's read cannot
/// connect (the CLI sends s3control to `ACCOUNT.<endpoint host>`): a failed read, so unread.
///
/// ```swift
/// let controls = S3BucketControlReads.read(captures: engine.captures, facts: engine.facts, failedReads: failed)
/// ```
public enum S3BucketControlReads {
    public static let bucketBlockCapture = "bucket_public_access_block"
    /// The account's settings read as the resource profile's account (`captures.resource_account`).
    public static let resourceAccountBlockCapture = "resource_account_public_access_block"
    /// The account's settings read as the caller's account (no resource profile: the bucket is
    /// taken to be the caller's account's, as the evaluator takes it).
    public static let accountBlockCapture = "account_public_access_block"
    /// With no caller account known (a snapshot reads the bucket alone): the account the bucket
    /// is read as (`captures.bucket_reader_account`) is taken to own it, and its settings read.
    public static let readerAccountBlockCapture = "reader_account_public_access_block"
    public static let readerAccountCapture = "bucket_reader_account"
    public static let ownershipCapture = "bucket_object_ownership"
    public static let aclGrantsCapture = "bucket_acl_grants"
    public static let aclOwnerCapture = "bucket_acl_owner"
    /// The ACL of the object the request names (`get-object-acl`), read while ACLs are enabled.
    public static let objectACLGrantsCapture = "object_acl_grants"
    public static let objectACLOwnerCapture = "object_acl_owner"

    /// The captures whose failed read is an unread setting (see `FailedPolicyRead.policyCaptures`).
    public static let captures = [bucketBlockCapture, resourceAccountBlockCapture, accountBlockCapture, readerAccountBlockCapture,
                                  ownershipCapture, aclGrantsCapture, objectACLGrantsCapture]

    /// Every capture of the settings' reads (and of the reading account's look-up): what they
    /// leave unread is a setting, never the bucket's policy.
    public static let settingCaptures = Set(captures + [aclOwnerCapture, objectACLOwnerCapture, readerAccountCapture])

    /// Nil unless the resource is a bucket (or an object in one).
    public static func read(captures: [String: JSONValue], facts: [String: JSONValue],
                            failedReads: [String: FailedPolicyRead]) -> S3BucketAccessControls? {
        guard facts["resource.policy_kind"]?.stringValue == "bucket", let bucket = facts["resource.id"]?.stringValue else { return nil }
        let owner = captures["resource_account"]?.stringValue ?? facts["principal.account_id"]?.stringValue
            ?? captures[readerAccountCapture]?.stringValue
        var controls = S3BucketAccessControls(bucket: bucket, ownerAccount: owner)
        func setting<Value>(_ capture: String, _ parse: (JSONValue) -> Value?) -> S3Setting<Value> {
            if let value = captures[capture], value != .null, let parsed = parse(value) { return .set(parsed) }
            if let failed = failedReads[capture] { return .unread(read: failed.read, reason: failed.reason) }
            return .notSet
        }
        controls.bucketBlock = setting(bucketBlockCapture, BlockPublicAccess.init(json:))
        let accountCapture = [resourceAccountBlockCapture, accountBlockCapture, readerAccountBlockCapture]
            .first { captures[$0] != nil || failedReads[$0] != nil } ?? accountBlockCapture
        controls.accountBlock = setting(accountCapture, BlockPublicAccess.init(json:))
        if owner == nil, controls.accountBlock == .notSet {
            // Not run, not answered: whose account to read was not known.
            controls.accountBlock = .unread(read: "aws s3control get-public-access-block",
                                            reason: "not run: the account that owns bucket \(bucket) is not known")
        }
        controls.objectOwnership = setting(ownershipCapture) { value in
            (value.arrayValue?.first ?? value).stringValue.flatMap(ObjectOwnership.init(rawValue:))
        }
        controls.acl = setting(aclGrantsCapture) { value in value.arrayValue.map { $0.compactMap(S3ACLGrant.init(json:)) } }
        controls.ownerCanonicalId = captures[aclOwnerCapture]?.stringValue
        if let key = facts["resource.object_key"]?.stringValue {
            // Not set (no capture, no failure): ACLs disabled, or no such object.
            controls.objectACLs[key] = setting(objectACLGrantsCapture) { value in
                value.arrayValue.map { S3ObjectACL(key: key, ownerCanonicalId: captures[objectACLOwnerCapture]?.stringValue,
                                                   grants: $0.compactMap(S3ACLGrant.init(json:))) }
            }
            if controls.objectACLs[key] == .notSet { controls.objectACLs[key] = nil }
        }
        return controls
    }
}
