import WhyDeniedJSON

extension SandboxScenario {
    /// (e) Key policy: the role's own policy allows kms:Decrypt, but the key policy names only the
    /// key administrators and does not delegate to IAM, so the role is denied.
    public static let kmsKeyPolicy = SandboxScenario(
        name: "kms-key-policy",
        title: "KMS key policy does not include the principal",
        summary: "Role PaymentsAppRole has inline policy AllowDecryptPaymentsKey, but the key policy of the payments key allows only KeyAdminRole and has no account-root statement, so kms:Decrypt is denied.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "PaymentsAppRole", deniedAction: "kms:Decrypt",
                                       inlinePolicyNames: ["AllowDecryptPaymentsKey"], resourcePolicy: .key),
        seed: { seeder in
            let account = ScenarioSeeder.account
            try await seeder.createTrail()
            try await seeder.createRole("KeyAdminRole", trustedService: "ec2.amazonaws.com")
            try await seeder.createRole("PaymentsAppRole", trustedService: "ecs-tasks.amazonaws.com")
            let created = try await seeder.run(["aws", "kms", "create-key", "--description", "payments data key", "--policy", """
                {"Version":"2012-10-17","Id":"payments-key-policy","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}
                """])
            guard let keyARN = created["KeyMetadata"]?["Arn"]?.stringValue else {
                throw SandboxError.seedFailed(command: ["aws", "kms", "create-key"], message: "no KeyMetadata.Arn in the answer")
            }
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "PaymentsAppRole",
                                  "--policy-name", "AllowDecryptPaymentsKey", "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"DecryptPayments","Effect":"Allow","Action":"kms:Decrypt","Resource":"\(keyARN)"}]}
                """])
            let message = "User: arn:aws:sts::\(account):assumed-role/PaymentsAppRole/payments-task is not authorized to perform: kms:Decrypt on resource: \(keyARN) because no resource-based policy allows the kms:Decrypt action"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "PaymentsAppRole", session: "payments-task"), eventTime: seeder.eventTime,
                eventSource: "kms.amazonaws.com", eventName: "Decrypt", sourceIPAddress: "10.0.8.21",
                errorMessage: message,
                requestParameters: .object(JSONObject([("encryptionAlgorithm", .string("SYMMETRIC_DEFAULT"))])),
                resources: [(keyARN, "AWS::KMS::Key")],
                readOnly: true, managementEvent: true)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "PaymentsAppRole", action: "kms:Decrypt",
                                         resource: keyARN, errorMessage: message)
        })
}
