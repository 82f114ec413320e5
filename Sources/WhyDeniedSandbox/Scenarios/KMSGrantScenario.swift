import WhyDeniedJSON

extension SandboxScenario {
    /// A KMS grant that names the caller but not the operation: role ReportsWorkerRole's own
    /// policy allows kms:Decrypt, the key policy names only KeyAdminRole, and the grant the
    /// pipeline created for the worker lists Encrypt and GenerateDataKey, not Decrypt.
    public static let kmsGrant = SandboxScenario(
        name: "kms-grant",
        title: "KMS grant names the role but not kms:Decrypt",
        summary: "Role ReportsWorkerRole has inline policy DecryptReports; the key policy of the reports key allows only KeyAdminRole; grant \"reports-writer\" gives ReportsWorkerRole Encrypt and GenerateDataKey, so kms:Decrypt is denied.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "ReportsWorkerRole", deniedAction: "kms:Decrypt",
                                       inlinePolicyNames: ["DecryptReports"], resourcePolicy: .key),
        seed: { seeder in
            let account = ScenarioSeeder.account
            try await seeder.createTrail()
            try await seeder.createRole("KeyAdminRole", trustedService: "ec2.amazonaws.com")
            try await seeder.createRole("ReportsWorkerRole", trustedService: "ecs-tasks.amazonaws.com")
            let created = try await seeder.run(["aws", "kms", "create-key", "--description", "reports data key", "--policy", """
                {"Version":"2012-10-17","Id":"reports-key-policy","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}
                """])
            guard let keyARN = created["KeyMetadata"]?["Arn"]?.stringValue else {
                throw SandboxError.seedFailed(command: ["aws", "kms", "create-key"], message: "no KeyMetadata.Arn in the answer")
            }
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "ReportsWorkerRole",
                                  "--policy-name", "DecryptReports", "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"DecryptReports","Effect":"Allow","Action":"kms:Decrypt","Resource":"\(keyARN)"}]}
                """])
            try await seeder.run(["aws", "kms", "create-grant", "--key-id", keyARN, "--name", "reports-writer",
                                  "--grantee-principal", "arn:aws:iam::\(account):role/ReportsWorkerRole",
                                  "--operations", "Encrypt", "GenerateDataKey"])
            let message = "User: arn:aws:sts::\(account):assumed-role/ReportsWorkerRole/reports-task is not authorized to perform: kms:Decrypt on resource: \(keyARN) because no resource-based policy allows the kms:Decrypt action"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "ReportsWorkerRole", session: "reports-task"), eventTime: seeder.eventTime,
                eventSource: "kms.amazonaws.com", eventName: "Decrypt", sourceIPAddress: "10.0.8.35",
                errorMessage: message,
                requestParameters: .object(JSONObject([("encryptionAlgorithm", .string("SYMMETRIC_DEFAULT"))])),
                resources: [(keyARN, "AWS::KMS::Key")],
                readOnly: true, managementEvent: true)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "ReportsWorkerRole", action: "kms:Decrypt",
                                         resource: keyARN, errorMessage: message)
        })
}
