import WhyDeniedJSON

extension DecodedAuthorization {
    /// The decoded message for `parse --json`, the journal and the report: decision, caller,
    /// action, resource, the matched statements and every context value.
    public var summaryJSON: JSONValue {
        let decoded = self
        var entry = JSONObject()
        func put(_ key: String, _ value: String?) { if let value { entry[key] = .string(value) } }
        entry["decision"] = .string(decoded.decision.rawValue)
        put("principalArn", decoded.principalArn)
        put("principalId", decoded.principalId)
        put("action", decoded.iamAction ?? decoded.action)
        put("resource", decoded.resource)
        entry["matchedStatements"] = .array(decoded.matchedStatements.map { statement in
            var item = JSONObject()
            if let sid = statement.statementId { item["statementId"] = .string(sid) }
            if let effect = statement.effect { item["effect"] = .string(effect) }
            item["actions"] = .array(statement.actions.map(JSONValue.string))
            item["resources"] = .array(statement.resources.map(JSONValue.string))
            return .object(item)
        })
        var context = JSONObject()
        for condition in decoded.conditions { context[condition.key] = .array(condition.values.map(JSONValue.string)) }
        entry["context"] = .object(context)
        return .object(entry)
    }
}
