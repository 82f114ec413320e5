import WhyDeniedJSON

extension SandboxScenario {
    /// (a) The seed example: a role with S3 read access is still denied GetObject because the
    /// bucket policy denies requests from outside the corporate IP range.
    public static let s3BucketPolicyIPDeny = SandboxScenario(
        name: "seed",
        title: "S3 bucket policy denies GetObject outside an IP range",
        summary: "Role DataAnalystRole has an AmazonS3ReadOnlyAccess-like policy, but the policy of bucket analytics-data-bucket denies s3:GetObject when aws:SourceIp is outside 203.0.113.0/24; the request came from 198.51.100.23.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "DataAnalystRole", deniedAction: "s3:GetObject",
                                       attachedPolicyNames: ["AnalyticsS3ReadOnlyAccess"],
                                       resourcePolicy: .bucket("analytics-data-bucket")),
        seed: { seeder in
            let bucket = "analytics-data-bucket"
            let key = "reports/2026/q3-revenue.csv"
            try await seeder.createTrail()
            try await seeder.createRole("DataAnalystRole", trustedService: "ec2.amazonaws.com")
            let policyARN = try await seeder.createManagedPolicy("AnalyticsS3ReadOnlyAccess", document: """
                {"Version":"2012-10-17","Statement":[{"Sid":"S3ReadOnly","Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}
                """)
            try await seeder.run(["aws", "iam", "attach-role-policy", "--role-name", "DataAnalystRole", "--policy-arn", policyARN])
            try await seeder.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            try await seeder.run(["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideCorporateNetwork","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::\(bucket)/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}
                """])
            let body = try seeder.file(named: "q3-revenue.csv", containing: "region,revenue\neu,100\n")
            try await seeder.run(["aws", "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body.path])
            let message = "User: arn:aws:sts::\(ScenarioSeeder.account):assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" with an explicit deny in a resource-based policy"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "DataAnalystRole", session: "analyst-session"),
                eventTime: seeder.eventTime, eventSource: "s3.amazonaws.com", eventName: "GetObject",
                sourceIPAddress: "198.51.100.23", errorMessage: message,
                requestParameters: .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key)),
                                                       ("Host", .string("\(bucket).s3.amazonaws.com"))])),
                resources: [("arn:aws:s3:::\(bucket)/\(key)", "AWS::S3::Object"), ("arn:aws:s3:::\(bucket)", "AWS::S3::Bucket")],
                readOnly: true, managementEvent: false)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "DataAnalystRole", action: "s3:GetObject",
                                         resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
        })
}
