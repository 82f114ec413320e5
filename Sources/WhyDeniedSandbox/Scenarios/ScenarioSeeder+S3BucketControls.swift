import WhyDeniedAnalysis

/// S3's own controls beside a bucket's policy, set the way an operator sets them: Block Public
/// Access (`s3api put-public-access-block`), Object Ownership (`s3api put-bucket-ownership-controls`)
/// and a canned ACL (`s3api put-bucket-acl --acl`). The account-level Block Public Access
/// (`s3control`) is not seeded: the CLI sends s3control to `ACCOUNT.<endpoint host>`, which a
/// loopback moto endpoint cannot answer.
///
/// ```swift
/// try await seeder.setBlockPublicAccess(bucket: "reports", BlockPublicAccess(restrictPublicBuckets: true))
/// try await seeder.setObjectOwnership(bucket: "reports", .bucketOwnerEnforced)
/// ```
extension ScenarioSeeder {
    public func setBlockPublicAccess(bucket: String, _ block: BlockPublicAccess) async throws {
        let configuration = "BlockPublicAcls=\(block.blockPublicAcls),IgnorePublicAcls=\(block.ignorePublicAcls),"
            + "BlockPublicPolicy=\(block.blockPublicPolicy),RestrictPublicBuckets=\(block.restrictPublicBuckets)"
        try await run(["aws", "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", configuration])
    }

    public func setObjectOwnership(bucket: String, _ ownership: ObjectOwnership) async throws {
        try await run(["aws", "s3api", "put-bucket-ownership-controls", "--bucket", bucket,
                       "--ownership-controls", "Rules=[{ObjectOwnership=\(ownership.rawValue)}]"])
    }

    /// A canned ACL: `private`, `public-read`, `authenticated-read` …
    public func setCannedACL(bucket: String, _ acl: String) async throws {
        try await run(["aws", "s3api", "put-bucket-acl", "--bucket", bucket, "--acl", acl])
    }
}
