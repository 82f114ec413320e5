import WhyDeniedJSON

extension SandboxScenario {
    /// (b) Implicit deny: the user's only policy lists the bucket but nothing allows PutObject.
    public static let userWithoutAllow = SandboxScenario(
        name: "user-no-allow",
        title: "IAM user has no policy allowing s3:PutObject",
        summary: "User ci-deployer may list bucket deploy-artifacts but no identity-based policy allows s3:PutObject, so uploading build/app.zip is implicitly denied.",
        expected: ScenarioExpectations(principalKind: "user", principalName: "ci-deployer", deniedAction: "s3:PutObject",
                                       attachedPolicyNames: ["DeployArtifactsList"],
                                       resourcePolicy: .bucket("deploy-artifacts")),
        seed: { seeder in
            let bucket = "deploy-artifacts"
            let key = "build/app.zip"
            try await seeder.createTrail()
            try await seeder.run(["aws", "iam", "create-user", "--user-name", "ci-deployer"])
            let policyARN = try await seeder.createManagedPolicy("DeployArtifactsList", document: """
                {"Version":"2012-10-17","Statement":[{"Sid":"ListArtifacts","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::\(bucket)"}]}
                """)
            try await seeder.run(["aws", "iam", "attach-user-policy", "--user-name", "ci-deployer", "--policy-arn", policyARN])
            try await seeder.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            let message = "User: arn:aws:iam::\(ScenarioSeeder.account):user/ci-deployer is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" because no identity-based policy allows the s3:PutObject action"
            let event = DeniedEventTemplate(
                identity: .user(name: "ci-deployer"), eventTime: seeder.eventTime,
                eventSource: "s3.amazonaws.com", eventName: "PutObject", sourceIPAddress: "192.0.2.10",
                errorMessage: message,
                requestParameters: .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key))])),
                resources: [("arn:aws:s3:::\(bucket)/\(key)", "AWS::S3::Object"), ("arn:aws:s3:::\(bucket)", "AWS::S3::Bucket")],
                readOnly: false, managementEvent: false)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "ci-deployer", action: "s3:PutObject",
                                         resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
        })
}
