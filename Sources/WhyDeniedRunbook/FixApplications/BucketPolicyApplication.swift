/// `bucket_policy`: the bucket policy replaced by the fixed one (its statements kept, the new
/// one added), with the bucket owner's credentials. Undone by putting the backed-up policy back,
/// or deleting the policy when the bucket had none.
///
/// ```swift
/// BucketPolicyApplication().applied("put_bucket_policy", FixContext(facts: ["fix.bucket": .string("reports")]))?.rollback
/// // [["aws", "s3api", "delete-bucket-policy", "--bucket", "reports"]]
/// ```
public struct BucketPolicyApplication: FixApplication {
    public init() {}

    public var kind: String { "bucket_policy" }

    public var commands: [FixCommand] {
        [
            FixCommand("backup_bucket_policy", why: "Saves the bucket policy being replaced (none yet is fine).", phase: .backup,
                       argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.fix.bucket}}"]).with {
                $0.resourceAccount = true
                $0.answeredBy = ["NoSuchBucketPolicy"]
                $0.backup = true
            },
            FixCommand("put_bucket_policy", why: "Replaces the bucket policy with the fixed one.", phase: .change,
                       argv: ["aws", "s3api", "put-bucket-policy", "--bucket", "{{facts.fix.bucket}}",
                              "--policy", "{{facts.fix.policy_document}}"]).with {
                $0.resourceAccount = true
                $0.mutates = true
                $0.preconditions = ["bucket_policy_size_within_limit"]
            },
            FixCommand("verify_bucket_policy", why: "Reads the bucket policy back to confirm the new one is in place.", phase: .verification,
                       argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "{{facts.fix.bucket}}"]).with {
                $0.resourceAccount = true
                $0.parser = "resource_policy"
                $0.captures = [.parser("applied_bucket_policy", type: "object")]
            },
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String { "bucket policy of \(context.fact("fix.bucket"))" }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        guard commandID == "put_bucket_policy" else { return nil }
        let bucket = context.fact("fix.bucket")
        let rollback: [String]
        if let old = context.backup?["Policy"]?.stringValue {
            rollback = ["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", old]
        } else {
            rollback = ["aws", "s3api", "delete-bucket-policy", "--bucket", bucket]
        }
        return FixChange(target: "bucket policy of \(bucket)", rollback: [rollback], writes: .bucketPolicy(bucket: bucket))
    }
}
