import WhyDeniedJSON

/// Works out the smallest edit that lifts a matched Deny, and whether the Deny looks deliberate.
struct DenyStatementEdits {
    /// Keys that describe how the request was made (network, transport, MFA, region, org): a
    /// Deny on them is a guardrail, and the fix is to make the request meet it.
    static let requestPropertyKeys: Set<String> = [
        "aws:sourceip", "aws:securetransport", "aws:sourcevpce", "aws:sourcevpc", "aws:vpcsourceip",
        "aws:requestedregion", "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:principalorgid",
        "aws:principalorgpaths", "aws:currenttime", "aws:epochtime", "s3:tlsversion", "aws:viaawsservice",
        "aws:calledvia", "aws:sourceaccount", "aws:sourcearn", "aws:resourceorgid",
    ]

    let analysed: AnalysedRequest
    let trace: StatementTrace

    /// The document the Deny statement lives in, from the policy set that was evaluated.
    var document: JSONValue? {
        let policies = analysed.policies
        let candidates: [AttachedPolicy] = policies.identityPolicies + [policies.permissionsBoundary, policies.resourcePolicy,
            policies.vpcEndpointPolicy, policies.roleTrustPolicy, policies.keyPolicy].compactMap { $0 }
            + policies.sessionPolicies + (policies.serviceControlPolicies + policies.resourceControlPolicies).flatMap(\.policies)
        let reference = trace.policy
        let match = candidates.first { $0.name == reference.name && $0.arn == reference.arn && $0.attachment == reference.attachment }
        guard let json = match?.document.json, !json.isNull else { return nil }
        return json
    }

    var statementJSON: JSONValue {
        guard let document else { return .null }
        let items = PolicyJSONEditing.statements(of: document)
        return items.indices.contains(trace.statement.index) ? items[trace.statement.index] : .null
    }

    var isGuardrail: Bool {
        [.serviceControlPolicy, .resourceControlPolicy, .permissionsBoundary, .vpcEndpointPolicy].contains(trace.policy.type)
    }

    /// Conditions of the Deny that the request's own values triggered.
    var triggeredConditions: [ConditionCheck] {
        trace.conditions.filter { $0.outcome == .matched }
    }

    var conditionIsRequestProperty: Bool {
        !triggeredConditions.isEmpty && triggeredConditions.allSatisfy { Self.requestPropertyKeys.contains($0.key.lowercased()) }
    }

    func failedConditions() -> [FailedCondition] {
        triggeredConditions.map { check in
            FailedCondition(operator: check.operator, key: check.key, expectedValues: check.expectedValues,
                            requestValues: check.requestValues, advice: Self.advice(for: check))
        }
    }

    static func advice(for check: ConditionCheck) -> String {
        let had = check.requestValues.map { $0.joined(separator: ", ") } ?? "no value"
        let expected = check.expectedValues.joined(separator: ", ")
        switch check.key.lowercased() {
        case "aws:sourceip", "aws:vpcsourceip":
            return "The request came from \(had), outside \(expected). Make it from the allowed network (office, VPN, or the VPC behind it) rather than loosening the policy."
        case "aws:securetransport":
            return "The request was not made over TLS. Use HTTPS (the AWS CLI and SDKs do by default; check custom endpoints)."
        case "aws:sourcevpce", "aws:sourcevpc":
            return "The request did not come through \(expected) (it had \(had)). Send it through that VPC endpoint, from inside the VPC."
        case "aws:requestedregion":
            return "The request went to region \(had); the policy allows only \(expected). Use an allowed region."
        case "aws:multifactorauthpresent", "aws:multifactorauthage":
            return "The credentials were not MFA-authenticated (or too long ago). Get session credentials with MFA (sts get-session-token --serial-number … --token-code …) and retry."
        case "aws:principalorgid", "aws:principalorgpaths":
            return "The caller is not in the organization the policy requires (\(expected)). Use a principal from that organization."
        default:
            return "The request had \(check.key) = \(had); the Deny applies under \(check.operator) \(expected). Make the request meet the condition."
        }
    }

    /// The edit: widen the triggered condition for request-property Denies (offered only as an
    /// alternative), else remove the action when it is listed by name, else exempt the caller.
    func edit(caller: RequestPrincipal) -> DenyEdit {
        let callerArnForConditions = caller.principalArnForConditions
        let statement = statementJSON
        let base = DenyEdit(policy: trace.policy, statement: trace.statement, statementJSON: statement, edit: .addCondition,
                            description: "", editedStatement: nil, editedPolicy: nil, looksIntentional: false, warning: nil)
        var result = base
        if conditionIsRequestProperty, let widened = widenedCondition(statement) {
            result.edit = .widenCondition
            result.description = widened.description
            result.editedStatement = widened.statement
            result.looksIntentional = true
            result.warning = "This Deny is a network/transport guardrail. Widening it opens the resource to more callers; prefer making the request meet the condition."
        } else if let matched = trace.action.matchedPattern, !matched.contains("*"), !matched.contains("?"),
                  trace.action.element == "Action", case .object(var object) = statement {
            let actions = PolicyJSONEditing.stringList(object["Action"])
            let remaining = actions.filter { $0.caseInsensitiveCompare(matched) != .orderedSame }
            result.edit = .removeAction
            if remaining.isEmpty {
                result.description = "Delete \(trace.statement.label): \(matched) is its only action."
                result.editedStatement = nil
            } else {
                object["Action"] = PolicyJSONEditing.strings(remaining)
                result.description = "Remove \(matched) from the Action list of \(trace.statement.label)."
                result.editedStatement = .object(object)
            }
        } else if caller.kind == .accountOnly, let uniqueId = caller.uniqueId, case .object(var object) = statement {
            // No ARN is known for this caller: exempt its unique id (role sessions are `AROA…:session`).
            let value = uniqueId.hasPrefix("AROA") ? "\(uniqueId):*" : uniqueId
            var conditions = object["Condition"]?.objectValue ?? JSONObject()
            var notLike = conditions["StringNotLike"]?.objectValue ?? JSONObject()
            notLike["aws:userid"] = PolicyJSONEditing.strings(PolicyJSONEditing.stringList(notLike["aws:userid"]) + [value])
            conditions["StringNotLike"] = .object(notLike)
            object["Condition"] = .object(conditions)
            result.edit = .addCondition
            result.description = "Exempt the caller (unique id \(uniqueId) of account \(caller.account ?? "?"), whose ARN the trail does not give) from \(trace.statement.label) with a StringNotLike aws:userid condition."
            result.editedStatement = .object(object)
        } else if case .object(var object) = statement {
            var conditions = object["Condition"]?.objectValue ?? JSONObject()
            var arnNotEquals = conditions["ArnNotEquals"]?.objectValue ?? JSONObject()
            let existing = PolicyJSONEditing.stringList(arnNotEquals["aws:PrincipalArn"])
            arnNotEquals["aws:PrincipalArn"] = PolicyJSONEditing.strings(existing + [callerArnForConditions])
            conditions["ArnNotEquals"] = .object(arnNotEquals)
            object["Condition"] = .object(conditions)
            result.edit = .addCondition
            result.description = "Exempt \(callerArnForConditions) from \(trace.statement.label) with an ArnNotEquals aws:PrincipalArn condition (the Deny matched \(trace.action.matchedPattern ?? trace.action.requestValue) by wildcard, so removing the action would change more than this call)."
            result.editedStatement = .object(object)
        } else {
            result.description = "Edit \(trace.statement.label) of \(trace.policy) so that it no longer matches \(trace.action.requestValue)."
        }
        if isGuardrail {
            result.looksIntentional = true
            result.warning = (result.warning.map { $0 + " " } ?? "")
                + "This Deny is in a \(trace.policy.type.displayName), a guardrail set on purpose for many principals; ask its owners before changing it."
            if [.serviceControlPolicy, .resourceControlPolicy].contains(trace.policy.type) {
                result.warning! += " " + OrganizationPolicyOwner.sentence(managementAccount: analysed.policies.managementAccount)
            }
        } else if let sid = trace.statement.sid?.lowercased(), ["guard", "protect", "enforce", "prevent", "restrict", "require"].contains(where: sid.contains) {
            result.looksIntentional = true
            result.warning = (result.warning.map { $0 + " " } ?? "") + "The statement's Sid (\(trace.statement.sid ?? "")) suggests the Deny is deliberate."
        }
        if let document, let edited = PolicyJSONEditing.replacingStatement(trace.statement.index, with: result.editedStatement, in: document) {
            result.editedPolicy = edited
        }
        return result
    }

    /// For a negated operator (`NotIpAddress`, `StringNotEquals`, …) the request's values added to
    /// the allowed list; nil when that would not lift the Deny.
    private func widenedCondition(_ statement: JSONValue) -> (statement: JSONValue, description: String)? {
        guard case .object(var object) = statement, var conditions = object["Condition"]?.objectValue else { return nil }
        var changed: [String] = []
        for check in triggeredConditions {
            guard check.operator.contains("Not"), let values = check.requestValues, !values.isEmpty,
                  var block = conditions[check.operator]?.objectValue else { return nil }
            let key = block.keys.first { $0.lowercased() == check.key.lowercased() } ?? check.key
            let additions = check.key.lowercased() == "aws:sourceip" ? values.map { $0.contains(":") ? "\($0)/128" : "\($0)/32" } : values
            block[key] = PolicyJSONEditing.strings(PolicyJSONEditing.stringList(block[key]) + additions)
            conditions[check.operator] = .object(block)
            changed.append("\(additions.joined(separator: ", ")) to \(check.operator) \(key)")
        }
        guard !changed.isEmpty else { return nil }
        object["Condition"] = .object(conditions)
        return (.object(object), "Alternative (loosens the guardrail): add \(changed.joined(separator: "; ")) in \(trace.statement.label).")
    }
}
