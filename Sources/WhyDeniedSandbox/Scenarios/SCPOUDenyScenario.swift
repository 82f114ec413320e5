extension SandboxScenario {
    /// An SCP explicit deny attached to an OU: user erin in member account workloads-prod (OU
    /// Workloads/Prod) may s3:* on bucket prod-releases by her own policy, but SCP
    /// DenyBucketDeletes on OU Prod denies s3:DeleteBucket.
    public static let scpOUDeny = SandboxScenario(
        name: "scp-ou-deny",
        title: "An SCP on an OU explicitly denies s3:DeleteBucket",
        summary: "User erin in member account workloads-prod (OU Workloads/Prod) has ReleaseBucketAccess (s3:* on bucket prod-releases), "
            + "but SCP DenyBucketDeletes attached to OU Prod denies s3:DeleteBucket. The session runs as the member account "
            + "(profile sandbox-member) and reads the organization as its management account (--org-profile default). "
            + "moto keeps SCPs in its organization model only and enforces none, so no CloudTrail event is staged: the error message is the evidence.",
        expected: ScenarioExpectations(principalKind: "user", principalName: "erin", deniedAction: "s3:DeleteBucket",
                                       attachedPolicyNames: ["ReleaseBucketAccess"], resourcePolicy: .bucket("prod-releases")),
        stagesEvent: false, sessionProfile: StagedOrganization.memberProfile,
        seed: { seeder in
            let bucket = "prod-releases"
            // The management account's trail: the member account's session finds none of its own.
            try await seeder.createTrail()
            let org = try await seeder.stageOrganization()
            let policy = try await seeder.createServiceControlPolicy("DenyBucketDeletes", content: """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoBucketDeletes","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}
                """)
            try await seeder.run(["aws", "organizations", "attach-policy", "--policy-id", policy, "--target-id", org.prodOU])
            try await ScenarioSeeder.stageMemberUser(org.member, user: "erin", bucket: bucket, actions: ["s3:*"])
            let message = "User: arn:aws:iam::\(org.memberAccount):user/erin is not authorized to perform: s3:DeleteBucket on resource: \"arn:aws:s3:::\(bucket)\" with an explicit deny in a service control policy"
            var parameters = seeder.baseParameters(principal: "arn:aws:iam::\(org.memberAccount):user/erin", action: "s3:DeleteBucket",
                                                   resource: "arn:aws:s3:::\(bucket)", errorMessage: message)
            parameters["account_id"] = org.memberAccount
            parameters["org_profile"] = StagedOrganization.managementProfile
            return parameters
        })
}
