extension SandboxScenario {
    /// An SCP level without an Allow for the service: on OU Prod, FullAWSAccess is replaced by
    /// AllowComputeOnly (ec2, lambda), so no SCP there allows s3:GetObject, though user erin's
    /// own policy does.
    public static let scpMissingAllow = SandboxScenario(
        name: "scp-missing-allow",
        title: "No SCP on an OU allows s3:GetObject (FullAWSAccess replaced)",
        summary: "User erin in member account workloads-prod (OU Workloads/Prod) has ReleaseBucketAccess (s3:GetObject, s3:ListBucket on bucket prod-releases), "
            + "but on OU Prod FullAWSAccess was detached and AllowComputeOnly (ec2:*, lambda:*) attached: no SCP at that level allows s3. "
            + "The session runs as the member account (profile sandbox-member) and reads the organization as its management account (--org-profile default). "
            + "moto keeps SCPs in its organization model only and enforces none, so no CloudTrail event is staged: the error message is the evidence.",
        expected: ScenarioExpectations(principalKind: "user", principalName: "erin", deniedAction: "s3:GetObject",
                                       attachedPolicyNames: ["ReleaseBucketAccess"], resourcePolicy: .bucket("prod-releases")),
        stagesEvent: false, sessionProfile: StagedOrganization.memberProfile,
        seed: { seeder in
            let bucket = "prod-releases"
            let key = "2026/12/app-1.4.2.zip"
            // The management account's trail: the member account's session finds none of its own.
            try await seeder.createTrail()
            let org = try await seeder.stageOrganization()
            let policy = try await seeder.createServiceControlPolicy("AllowComputeOnly", content: """
                {"Version":"2012-10-17","Statement":[{"Sid":"ComputeOnly","Effect":"Allow","Action":["ec2:*","lambda:*"],"Resource":"*"}]}
                """)
            try await seeder.run(["aws", "organizations", "attach-policy", "--policy-id", policy, "--target-id", org.prodOU])
            try await seeder.run(["aws", "organizations", "detach-policy", "--policy-id", "p-FullAWSAccess", "--target-id", org.prodOU])
            try await ScenarioSeeder.stageMemberUser(org.member, user: "erin", bucket: bucket, actions: ["s3:GetObject", "s3:ListBucket"])
            let message = "User: arn:aws:iam::\(org.memberAccount):user/erin is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" because no service control policy allows the s3:GetObject action"
            var parameters = seeder.baseParameters(principal: "arn:aws:iam::\(org.memberAccount):user/erin", action: "s3:GetObject",
                                                   resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
            parameters["account_id"] = org.memberAccount
            parameters["org_profile"] = StagedOrganization.managementProfile
            return parameters
        })
}
