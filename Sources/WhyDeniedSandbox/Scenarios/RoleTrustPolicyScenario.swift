import WhyDeniedJSON

extension SandboxScenario {
    /// (f) Role trust policy: the user's own policy allows sts:AssumeRole on DeployRole, but the
    /// role's trust policy trusts only ReleaseManagerRole. A trust policy must allow the caller
    /// itself, even in the same account, so the identity-side Allow is not enough.
    public static let roleTrustPolicy = SandboxScenario(
        name: "trust-policy",
        title: "Role trust policy does not trust the caller",
        summary: "User ci-deployer has inline policy AssumeDeployRole (sts:AssumeRole on role DeployRole), but the trust policy of DeployRole trusts only ReleaseManagerRole, so sts:AssumeRole is denied.",
        expected: ScenarioExpectations(principalKind: "user", principalName: "ci-deployer", deniedAction: "sts:AssumeRole",
                                       inlinePolicyNames: ["AssumeDeployRole"], resourcePolicy: .trustPolicy(role: "DeployRole")),
        seed: { seeder in
            let account = ScenarioSeeder.account
            let roleARN = "arn:aws:iam::\(account):role/DeployRole"
            try await seeder.createTrail()
            try await seeder.createRole("ReleaseManagerRole", trustedService: "ec2.amazonaws.com")
            try await seeder.run(["aws", "iam", "create-role", "--role-name", "DeployRole", "--assume-role-policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"TrustReleaseManagers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):role/ReleaseManagerRole"},"Action":"sts:AssumeRole"}]}
                """])
            try await seeder.run(["aws", "iam", "create-user", "--user-name", "ci-deployer"])
            try await seeder.run(["aws", "iam", "put-user-policy", "--user-name", "ci-deployer",
                                  "--policy-name", "AssumeDeployRole", "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"AssumeDeploy","Effect":"Allow","Action":"sts:AssumeRole","Resource":"\(roleARN)"}]}
                """])
            // STS's message for a trust-policy denial names no policy type.
            let message = "User: arn:aws:iam::\(account):user/ci-deployer is not authorized to perform: sts:AssumeRole on resource: \(roleARN)"
            let event = DeniedEventTemplate(
                identity: .user(name: "ci-deployer"), eventTime: seeder.eventTime,
                eventSource: "sts.amazonaws.com", eventName: "AssumeRole", sourceIPAddress: "192.0.2.10",
                errorMessage: message,
                requestParameters: .object(JSONObject([("roleArn", .string(roleARN)), ("roleSessionName", .string("deploy"))])),
                resources: [(roleARN, "AWS::IAM::Role")],
                readOnly: true, managementEvent: true)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "ci-deployer", action: "sts:AssumeRole",
                                         resource: roleARN, errorMessage: message)
        })
}
