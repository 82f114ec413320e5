/// A batch (`analyze --live`) reads each bucket's policy, Object Ownership and ACL first, and
/// leaves two of its settings for later: Block Public Access, which changes a verdict only where a
/// grant is public, and tags, which only place a fix that adds to the bucket's policy. The first
/// analysis takes Block Public Access as unread (`S3SettingResolution` tries it both ways: a
/// verdict it cannot change stays, and says so); these are the buckets it leaves to read in full
/// before the verdicts are final: one whose verdict came out Undecided, and one a fix would add to.
///
/// ```swift
/// DeferredBucketSettings.bucketsToRead(after: firstPass.results)   // ["reports-bucket"]
/// ```
public enum DeferredBucketSettings {
    /// Why the batch did not read a bucket's Block Public Access (in the verdict's note).
    public static func reason(bucket: String) -> String {
        "not read: a batch reads it only for a bucket whose verdict it could change; "
            + "`whydenied snapshot --resource arn:aws:s3:::\(bucket)` reads it"
    }

    /// The buckets (names), in order of first appearance, each once.
    public static func bucketsToRead(after results: [EventAnalysis]) -> [String] {
        var buckets: [String] = []
        func add(_ arn: String?) {
            guard let arn, let bucket = FixCommands.s3Bucket(arn), !bucket.isEmpty, !buckets.contains(bucket) else { return }
            buckets.append(bucket)
        }
        for result in results {
            for analysed in result.analysed where result.decision == .undecided || analysed.result.decision == .undecided {
                add(analysed.request.resource?.arn)
            }
            for placement in result.placements { add(placement.targetArn) }
        }
        return buckets
    }
}
