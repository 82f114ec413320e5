import Foundation
import WhyDeniedJSON
import WhyDeniedRunner

extension SandboxScenario {
    /// The bucket's account, and the AWS CLI profile the seeder writes for it.
    public static let partnerAccount = "222233334444"
    public static let partnerProfile = "partner-data"

    /// A cross-account read where only the bucket side is missing: role ReportingRole of the
    /// sandbox account may s3:GetObject on partner-shared-data, but the bucket belongs to account
    /// 222233334444 and its policy grants another role. moto keeps a second account's resources
    /// apart when the request is signed with credentials from `sts assume-role` into it; the
    /// seeder writes those to the sandbox's credentials file as profile `partner-data`, the
    /// profile the operator gives as `resource_profile`.
    public static let crossAccountBucket = SandboxScenario(
        name: "cross-account-bucket",
        title: "Cross-account GetObject: the bucket policy in the other account does not grant the caller",
        summary: "Role ReportingRole (account \(MotoSandbox.accountID)) has an inline policy allowing s3:GetObject on partner-shared-data, a bucket of account \(partnerAccount) whose policy grants only that account's own AnalyticsRole; read with --resource-profile \(partnerProfile).",
        expected: ScenarioExpectations(principalKind: "role", principalName: "ReportingRole", deniedAction: "s3:GetObject",
                                       inlinePolicyNames: ["ReadPartnerData"]),
        seed: { seeder in
            let bucket = "partner-shared-data"
            let key = "monthly/2026-11.parquet"
            try await seeder.createTrail()
            try await seeder.createRole("ReportingRole", trustedService: "ec2.amazonaws.com")
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "ReportingRole", "--policy-name", "ReadPartnerData",
                                  "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Sid":"ReadPartnerObjects","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(bucket)/*"}]}"#])
            let partner = try await seeder.partnerAccountSeeder()
            try await partner.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
            try await partner.run(["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"PartnerAnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(partnerAccount):role/AnalyticsRole"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::\(bucket)/*"}]}
                """])
            let message = "User: arn:aws:sts::\(ScenarioSeeder.account):assumed-role/ReportingRole/monthly-report is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::\(bucket)/\(key)\" because no resource-based policy allows the s3:GetObject action"
            return try await seeder.deliverPartnerObjectDenial(bucket: bucket, key: key, session: "monthly-report",
                                                               sourceIPAddress: "198.51.100.40", message: message)
        })
}

extension SandboxScenario {
    /// The same cross-account read with the pasted message only: the bucket's owner is known
    /// from the resource profile's account, not from an event.
    public static let crossAccountBucketPasteOnly = crossAccountBucket.pasteOnly(
        title: "Pasted message only: cross-account GetObject, the bucket side is missing",
        why: "GetObject is an S3 data event, which the trail does not select.")
}

extension ScenarioSeeder {
    /// ReportingRole's GetObject of `key` in the partner account's `bucket`, refused with
    /// `message`: delivered as a data event naming the bucket's account, and the session's
    /// parameters (the partner's profile reads the bucket side).
    func deliverPartnerObjectDenial(bucket: String, key: String, session: String, sourceIPAddress: String,
                                    message: String) async throws -> [String: String] {
        let event = DeniedEventTemplate(
            identity: .assumedRole(role: "ReportingRole", session: session),
            eventTime: eventTime, eventSource: "s3.amazonaws.com", eventName: "GetObject",
            sourceIPAddress: sourceIPAddress, errorMessage: message,
            requestParameters: .object(JSONObject([("bucketName", .string(bucket)), ("key", .string(key)),
                                                   ("Host", .string("\(bucket).s3.amazonaws.com"))])),
            resources: [("arn:aws:s3:::\(bucket)/\(key)", "AWS::S3::Object"), ("arn:aws:s3:::\(bucket)", "AWS::S3::Bucket")],
            readOnly: true, managementEvent: false, resourceAccount: SandboxScenario.partnerAccount)
        try await deliver(event: event.json)
        var parameters = baseParameters(principal: "ReportingRole", action: "s3:GetObject",
                                        resource: "arn:aws:s3:::\(bucket)/\(key)", errorMessage: message)
        parameters["resource_profile"] = SandboxScenario.partnerProfile
        return parameters
    }

    /// A seeder acting as account `SandboxScenario.partnerAccount`: `sts assume-role` into it,
    /// the credentials written to the sandbox's credentials file as profile `partnerProfile`.
    func partnerAccountSeeder() async throws -> ScenarioSeeder {
        let assumed = try await run(["aws", "sts", "assume-role", "--role-arn",
                                     "arn:aws:iam::\(SandboxScenario.partnerAccount):role/OrganizationAccountAccessRole",
                                     "--role-session-name", "whydenied-seed"])
        guard let credentials = assumed["Credentials"], let key = credentials["AccessKeyId"]?.stringValue,
              let secret = credentials["SecretAccessKey"]?.stringValue, let token = credentials["SessionToken"]?.stringValue else {
            throw SandboxError.seedFailed(command: ["aws", "sts", "assume-role"], message: "no Credentials in the answer")
        }
        var connection = await runner.connection
        guard let file = connection.environment["AWS_SHARED_CREDENTIALS_FILE"] else {
            throw SandboxError.seedFailed(command: ["write profile \(SandboxScenario.partnerProfile)"], message: "the sandbox has no credentials file")
        }
        let existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let section = "\n[\(SandboxScenario.partnerProfile)]\naws_access_key_id = \(key)\naws_secret_access_key = \(secret)\naws_session_token = \(token)\n"
        do {
            try (existing + section).write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw SandboxError.seedFailed(command: ["write profile \(SandboxScenario.partnerProfile)"], message: "\(error)")
        }
        connection.profile = SandboxScenario.partnerProfile
        let partner = ScenarioSeeder(runner: runner.connected(to: connection), workDirectory: workDirectory, now: now,
                                     deliversEvents: deliversEvents, progress: progress)
        let identity = try await partner.run(["aws", "sts", "get-caller-identity"])
        guard identity["Account"]?.stringValue == SandboxScenario.partnerAccount else {
            throw SandboxError.seedFailed(command: ["aws", "sts", "get-caller-identity", "--profile", SandboxScenario.partnerProfile],
                                          message: "the profile is account \(identity["Account"]?.stringValue ?? "?"), not \(SandboxScenario.partnerAccount)")
        }
        return partner
    }
}
