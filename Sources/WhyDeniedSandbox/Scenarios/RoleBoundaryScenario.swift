import WhyDeniedJSON

extension SandboxScenario {
    /// (d) Permissions boundary: the role's policy allows sqs:SendMessage, its boundary does not.
    public static let roleBoundary = SandboxScenario(
        name: "role-boundary",
        title: "Permissions boundary lacks sqs:SendMessage",
        summary: "Role OrderProcessorRole has OrdersQueueWriter (sqs:SendMessage on queue orders) but its permissions boundary OrderProcessorBoundary allows only S3 reads.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "OrderProcessorRole", deniedAction: "sqs:SendMessage",
                                       attachedPolicyNames: ["OrdersQueueWriter"],
                                       permissionsBoundaryName: "OrderProcessorBoundary", resourcePolicy: .queue("orders")),
        seed: { seeder in
            let account = ScenarioSeeder.account
            let queueARN = "arn:aws:sqs:\(ScenarioSeeder.region):\(account):orders"
            try await seeder.createTrail()
            let boundaryARN = try await seeder.createManagedPolicy("OrderProcessorBoundary", document: """
                {"Version":"2012-10-17","Statement":[{"Sid":"S3ReadsOnly","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}
                """)
            try await seeder.createRole("OrderProcessorRole", trustedService: "lambda.amazonaws.com", boundaryARN: boundaryARN)
            let policyARN = try await seeder.createManagedPolicy("OrdersQueueWriter", document: """
                {"Version":"2012-10-17","Statement":[{"Sid":"SendOrders","Effect":"Allow","Action":"sqs:SendMessage","Resource":"\(queueARN)"}]}
                """)
            try await seeder.run(["aws", "iam", "attach-role-policy", "--role-name", "OrderProcessorRole", "--policy-arn", policyARN])
            try await seeder.run(["aws", "sqs", "create-queue", "--queue-name", "orders"])
            let message = "User: arn:aws:sts::\(account):assumed-role/OrderProcessorRole/order-worker is not authorized to perform: sqs:SendMessage on resource: \(queueARN) because no permissions boundary allows the sqs:SendMessage action"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "OrderProcessorRole", session: "order-worker"), eventTime: seeder.eventTime,
                eventSource: "sqs.amazonaws.com", eventName: "SendMessage", sourceIPAddress: "10.0.3.17",
                errorMessage: message,
                requestParameters: .object(JSONObject([("queueUrl", .string("https://sqs.\(ScenarioSeeder.region).amazonaws.com/\(account)/orders"))])),
                resources: [(queueARN, "AWS::SQS::Queue")],
                readOnly: false, managementEvent: false)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "OrderProcessorRole", action: "sqs:SendMessage",
                                         resource: queueARN, errorMessage: message)
        })
}
