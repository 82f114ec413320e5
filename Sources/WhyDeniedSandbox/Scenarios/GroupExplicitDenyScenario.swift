import WhyDeniedJSON

extension SandboxScenario {
    /// (c) Explicit deny: the user's own policy allows s3:*, an inline policy of their group denies
    /// s3:DeleteObject.
    public static let groupExplicitDeny = SandboxScenario(
        name: "group-explicit-deny",
        title: "Group policy explicitly denies s3:DeleteObject",
        summary: "User dana has SharedDocsFullAccess (s3:* on bucket shared-docs), but group Contractors has inline policy DenyDeletes denying s3:DeleteObject.",
        expected: ScenarioExpectations(principalKind: "user", principalName: "dana", deniedAction: "s3:DeleteObject",
                                       attachedPolicyNames: ["SharedDocsFullAccess"], groupNames: ["Contractors"],
                                       resourcePolicy: .bucket("shared-docs")),
        seed: { seeder in
            let bucket = "shared-docs"
            let key = "contracts/2026/msa.pdf"
            try await seeder.createTrail()
            try await seeder.run(["aws", "iam", "create-user", "--user-name", "dana"])
            let policyARN = try await seeder.createManagedPolicy("SharedDocsFullAccess", document: """
                {"Version":"2012-10-17","Statement":[{"Sid":"SharedDocs","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::\(bucket)","arn:aws:s3:::\(bucket)/*"]}]}
                """)
            try await seeder.run(["aws", "iam", "attach-user-policy", "--user-name", "dana", "--policy-arn", policyARN])
            try await seeder.run(["aws", "iam", "create-group", "--group-name", "Contractors"])
            try await seeder.run(["aws", "iam", "add-user-to-group", "--group-name", "Contractors", "--user-name", "dana"])
            try await seeder.run(["aws", "iam", "put-group-policy", "--group-name", "Contractors", "--policy-name", "DenyDeletes",
                                  "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Action":["s3:DeleteObject","s3:DeleteObjectVersion"],"Resource":"*"}]}
                """])
            try await seeder.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            let message = "User: arn:aws:iam::\(ScenarioSeeder.account):user/dana is not authorized to perform: s3:DeleteObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" with an explicit deny in an identity-based policy"
            let event = DeniedEventTemplate(
                identity: .user(name: "dana"), eventTime: seeder.eventTime,
                eventSource: "s3.amazonaws.com", eventName: "DeleteObject", sourceIPAddress: "192.0.2.44",
                errorMessage: message,
                requestParameters: .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key))])),
                resources: [("arn:aws:s3:::\(bucket)/\(key)", "AWS::S3::Object"), ("arn:aws:s3:::\(bucket)", "AWS::S3::Bucket")],
                readOnly: false, managementEvent: false)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "dana", action: "s3:DeleteObject",
                                         resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
        })
}
