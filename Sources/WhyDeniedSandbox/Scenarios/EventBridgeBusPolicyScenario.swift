import WhyDeniedJSON

extension SandboxScenario {
    /// An event bus policy denies PutEvents: the role's own policy allows events:PutEvents on the
    /// bus, but a Deny statement in the bus policy names the role. In one account an explicit Deny
    /// in any policy that applies decides, whatever the identity policy allows.
    public static let eventBridgeBusPolicy = SandboxScenario(
        name: "eventbridge-bus-policy",
        title: "EventBridge bus policy denies PutEvents",
        summary: "Role OrderIngestRole has inline policy PutOrderEvents (events:PutEvents on bus orders-bus), but the bus policy of orders-bus has a Deny statement (DenyLegacyIngest) naming the role, left from moving ingestion to a new service. The trail is taken to log event-bus data events (PutEvents is a data event); moto implements put-permission and describe-event-bus.",
        expected: ScenarioExpectations(principalKind: "role", principalName: "OrderIngestRole", deniedAction: "events:PutEvents",
                                       inlinePolicyNames: ["PutOrderEvents"], resourcePolicy: .eventBus("orders-bus")),
        seed: { seeder in
            let account = ScenarioSeeder.account
            let bus = "orders-bus"
            let busARN = "arn:aws:events:\(ScenarioSeeder.region):\(account):event-bus/\(bus)"
            let roleARN = "arn:aws:iam::\(account):role/OrderIngestRole"
            try await seeder.createTrail()
            try await seeder.createRole("OrderIngestRole", trustedService: "lambda.amazonaws.com")
            try await seeder.run(["aws", "iam", "put-role-policy", "--role-name", "OrderIngestRole",
                                  "--policy-name", "PutOrderEvents", "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Sid":"PutOrders","Effect":"Allow","Action":"events:PutEvents","Resource":"\(busARN)"}]}
                """])
            try await seeder.run(["aws", "events", "create-event-bus", "--name", bus])
            try await seeder.run(["aws", "events", "put-permission", "--event-bus-name", bus, "--policy", """
                {"Version":"2012-10-17","Statement":[{"Sid":"AllowAccountPutEvents","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):root"},"Action":"events:PutEvents","Resource":"\(busARN)"},{"Sid":"DenyLegacyIngest","Effect":"Deny","Principal":{"AWS":"\(roleARN)"},"Action":"events:PutEvents","Resource":"\(busARN)"}]}
                """])
            let message = "User: arn:aws:sts::\(account):assumed-role/OrderIngestRole/order-ingest is not authorized to perform: events:PutEvents on resource: \(busARN) with an explicit deny in a resource-based policy"
            let event = DeniedEventTemplate(
                identity: .assumedRole(role: "OrderIngestRole", session: "order-ingest"), eventTime: seeder.eventTime,
                eventSource: "events.amazonaws.com", eventName: "PutEvents", sourceIPAddress: "10.0.5.40",
                errorMessage: message,
                requestParameters: .object(JSONObject([("entries", .array([.object(JSONObject([
                    ("source", .string("com.example.orders")), ("detailType", .string("OrderPlaced")),
                    ("eventBusName", .string(bus)),
                ]))]))])),
                resources: [(busARN, "AWS::Events::EventBus")],
                readOnly: false, managementEvent: false)
            try await seeder.deliver(event: event.json)
            return seeder.baseParameters(principal: "OrderIngestRole", action: "events:PutEvents",
                                         resource: busARN, errorMessage: message)
        })
}
