import WhyDeniedJSON

extension SandboxScenario {
    /// A VPC endpoint policy denies the upload: role PipelineRole may write to any bucket, and
    /// bucket external-share-bucket has no policy, but the S3 gateway endpoint the request came
    /// through denies s3:PutObject outside the company's `corp-*` buckets (a data-exfiltration
    /// guard). The event carries the endpoint's id (`vpcEndpointId`), as CloudTrail records it.
    public static let vpcEndpointDeny = SandboxScenario(
        name: "vpc-endpoint-deny",
        title: "VPC endpoint policy denies PutObject outside the corp-* buckets",
        summary: "Role PipelineRole may s3:PutObject anywhere and bucket external-share-bucket has no policy, but the S3 endpoint of vpc 10.0.0.0/16 (the event's vpcEndpointId) has a policy statement DenyWritesOutsideCorpBuckets: Deny s3:PutObject on NotResource arn:aws:s3:::corp-*/*.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "PipelineRole", deniedAction: "s3:PutObject",
                                       inlinePolicyNames: ["WriteExports"],
                                       resourcePolicy: .bucket("external-share-bucket")),
        seed: { seeder in
            let bucket = "external-share-bucket"
            let key = "exports/2026-12-01.csv"
            try await seeder.createTrail()
            try await seeder.createRole("PipelineRole", trustedService: "ec2.amazonaws.com")
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "PipelineRole", "--policy-name", "WriteExports",
                                  "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Sid":"WriteAnyBucket","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}]}"#])
            try await seeder.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            let vpc = try await seeder.run(["aws", "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"])
            guard let vpcID = vpc["Vpc"]?["VpcId"]?.stringValue else {
                throw SandboxError.seedFailed(command: ["aws", "ec2", "create-vpc"], message: "no Vpc.VpcId in the answer")
            }
            let createEndpoint = ["aws", "ec2", "create-vpc-endpoint", "--vpc-id", vpcID, "--service-name", "com.amazonaws.\(ScenarioSeeder.region).s3",
                                  "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"AllowEverythingElse","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"DenyWritesOutsideCorpBuckets","Effect":"Deny","Principal":"*","Action":"s3:PutObject","NotResource":"arn:aws:s3:::corp-*/*"}]}
                """]
            let endpoint = try await seeder.run(createEndpoint)
            guard let endpointID = endpoint["VpcEndpoint"]?["VpcEndpointId"]?.stringValue else {
                throw SandboxError.seedFailed(command: Array(createEndpoint.prefix(3)), message: "no VpcEndpoint.VpcEndpointId in the answer")
            }
            let message = "User: arn:aws:sts::\(ScenarioSeeder.account):assumed-role/PipelineRole/nightly-export is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" with an explicit deny in a VPC endpoint policy"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "PipelineRole", session: "nightly-export"),
                eventTime: seeder.eventTime, eventSource: "s3.amazonaws.com", eventName: "PutObject",
                sourceIPAddress: "10.0.1.23", errorMessage: message,
                requestParameters: .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key)),
                                                       ("Host", .string("\(bucket).s3.amazonaws.com"))])),
                resources: [("arn:aws:s3:::\(bucket)/\(key)", "AWS::S3::Object"), ("arn:aws:s3:::\(bucket)", "AWS::S3::Bucket")],
                readOnly: false, managementEvent: false, vpcEndpointId: endpointID)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "PipelineRole", action: "s3:PutObject",
                                         resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
        })
}
