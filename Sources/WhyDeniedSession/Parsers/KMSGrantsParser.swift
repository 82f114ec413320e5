import WhyDeniedAnalysis
import WhyDeniedJSON

/// `aws kms list-grants --key-id K` → `key_grants`: one `{grant_id, name, grantee, operations,
/// context_subset, context_equals}` per grant (`Grants[]`: `GrantId`, `Name`, `GranteePrincipal`,
/// `Operations`, `Constraints.EncryptionContextSubset|Equals`). A grant without a grantee or
/// operations is a parse error naming it, so the read counts as failed, never as "no grants".
enum KMSGrantsParser {
    static let name = "kms_grants"

    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        guard let grants = output["Grants"]?.arrayValue else {
            throw OutputParsers.ParseError(parser: name, reason: "the output has no Grants list")
        }
        var result: [JSONValue] = []
        for (index, grant) in grants.enumerated() {
            guard let id = grant["GrantId"]?.stringValue, let grantee = grant["GranteePrincipal"]?.stringValue,
                  let operations = grant["Operations"]?.arrayValue?.compactMap(\.stringValue), !operations.isEmpty else {
                throw OutputParsers.ParseError(parser: name, reason: "Grants[\(index)] has no GrantId, GranteePrincipal or Operations")
            }
            var fields: [(key: String, value: JSONValue)] = [("grant_id", .string(id)), ("grantee", .string(grantee)),
                                                             ("operations", .array(operations.map(JSONValue.string)))]
            if let name = grant["Name"]?.stringValue, !name.isEmpty { fields.append(("name", .string(name))) }
            for (field, key) in [("EncryptionContextSubset", "context_subset"), ("EncryptionContextEquals", "context_equals")] {
                if let pairs = grant["Constraints"]?[field], case .object = pairs { fields.append((key, pairs)) }
            }
            result.append(.object(JSONObject(fields)))
        }
        return .array(result)
    }

    /// The grants a `key_grants` capture holds.
    static func grants(_ captured: JSONValue?) -> [KMSGrant] {
        CapturedAccount.list(captured).compactMap { item in
            guard let id = item["grant_id"]?.stringValue, let grantee = item["grantee"]?.stringValue else { return nil }
            func pairs(_ key: String) -> [String: String] {
                var result: [String: String] = [:]
                for (name, value) in item[key]?.objectValue?.entries ?? [] { if let text = value.scalarText { result[name] = text } }
                return result
            }
            return KMSGrant(id: id, name: item["name"]?.stringValue, grantee: grantee,
                            operations: item["operations"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                            contextSubset: pairs("context_subset"), contextEquals: pairs("context_equals"))
        }
    }
}
