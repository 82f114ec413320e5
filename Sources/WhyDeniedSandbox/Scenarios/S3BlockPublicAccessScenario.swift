import Foundation
import WhyDeniedAnalysis
import WhyDeniedJSON

extension SandboxScenario {
    /// Issue 14 §4, the S3 Block Public Access case: role ReportingRole may s3:GetObject on
    /// partner-public-datasets, a bucket of account 222233334444 whose policy is public
    /// (`Principal: "*"`), but the bucket's Block Public Access has RestrictPublicBuckets on, so
    /// only the owner's own principals and AWS services reach it through that public policy: a
    /// caller of another account is refused whatever the policy says. The fix is the bucket
    /// owner's (a statement naming the caller, which is not public, or the setting); whydenied
    /// names the setting and never changes it. ACLs are disabled (BucketOwnerEnforced), as on new
    /// buckets. The owner account's own Block Public Access (`s3control`) is not seeded: moto
    /// cannot be reached for it through a loopback endpoint (it is read, and reported unread).
    public static let s3BlockPublicAccess = SandboxScenario(
        name: "s3-block-public-access",
        title: "S3 Block Public Access: RestrictPublicBuckets refuses a public bucket policy to another account",
        summary: "Role ReportingRole (account \(MotoSandbox.accountID)) may s3:GetObject on partner-public-datasets, a bucket of account \(partnerAccount) whose policy allows everyone (Principal \"*\"); the bucket's Block Public Access has RestrictPublicBuckets on, so only the owner account's principals are let in; read with --resource-profile \(partnerProfile).",
        expected: ScenarioExpectations(principalKind: "role", principalName: "ReportingRole", deniedAction: "s3:GetObject",
                                       inlinePolicyNames: ["ReadPublicDatasets"]),
        seed: { seeder in
            let bucket = "partner-public-datasets"
            let key = "census/2026.csv"
            try await seeder.createTrail()
            try await seeder.createRole("ReportingRole", trustedService: "ec2.amazonaws.com")
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "ReportingRole", "--policy-name", "ReadPublicDatasets",
                                  "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Sid":"ReadDatasets","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(bucket)/*"}]}"#])
            let partner = try await seeder.partnerAccountSeeder()
            try await partner.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            try await partner.run(["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::\(bucket)/*"}]}
                """])
            // Set after the public policy: BlockPublicPolicy would have refused writing it.
            try await partner.setBlockPublicAccess(bucket: bucket, BlockPublicAccess(blockPublicAcls: true, ignorePublicAcls: true,
                                                                                     restrictPublicBuckets: true))
            try await partner.setObjectOwnership(bucket: bucket, .bucketOwnerEnforced)
            // S3's message names no policy type for this refusal.
            let message = "User: arn:aws:sts::\(ScenarioSeeder.account):assumed-role/ReportingRole/datasets-sync is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\""
            return try await seeder.deliverPartnerObjectDenial(bucket: bucket, key: key, session: "datasets-sync",
                                                               sourceIPAddress: "198.51.100.41", message: message)
        })
}
