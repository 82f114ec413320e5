import WhyDeniedJSON

/// A KMS grant as `aws kms list-grants` lists it: the grantee principal may call the listed
/// operations on the key, beside what the key policy allows (AWS KMS developer guide, "Grants in
/// AWS KMS"); a Deny in a policy still wins ("no principal has any permission to a KMS key unless
/// that permission is provided explicitly and never denied"). whydenied evaluates each grant as
/// one more Allow statement of the key policy naming the grantee, its operations, and its
/// encryption-context constraints as conditions, so the evaluator's own rules apply to it.
///
/// ```swift
/// let grant = KMSGrant(id: "da560aea", name: "app-writes", grantee: "arn:aws:iam::111122223333:role/App",
///                      operations: ["Encrypt", "GenerateDataKey"])
/// grant.statement   // {"Sid":"KMSGrantda560aea","Effect":"Allow","Principal":{"AWS":"…role/App"},"Action":["kms:Encrypt","kms:GenerateDataKey"],"Resource":"*"}
/// ```
public struct KMSGrant: Sendable, Hashable {
    public var id: String
    public var name: String?
    /// `GranteePrincipal`: an IAM ARN, an account, or an AWS service principal.
    public var grantee: String
    /// `Operations`: `Decrypt`, `Encrypt`, `GenerateDataKey`, … (without the `kms:` prefix).
    public var operations: [String]
    /// `Constraints.EncryptionContextSubset` / `EncryptionContextEquals`.
    public var contextSubset: [String: String]
    public var contextEquals: [String: String]

    public init(id: String, name: String? = nil, grantee: String, operations: [String],
                contextSubset: [String: String] = [:], contextEquals: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.grantee = grantee
        self.operations = operations
        self.contextSubset = contextSubset
        self.contextEquals = contextEquals
    }

    /// The Sid the grant's statement carries: `KMSGrant` and the grant id's letters and digits.
    public var sid: String { "KMSGrant" + id.filter { $0.isASCII && ($0.isLetter || $0.isNumber) } }

    /// `grant da560aea ("app-writes")`.
    public var label: String { "grant \(id)" + (name.map { " (\"\($0)\")" } ?? "") }

    public var actions: [String] { operations.map { "kms:\($0)" } }

    /// The grant as an Allow statement of the key policy.
    public var statement: JSONValue {
        let principal: JSONValue = grantee.contains(":") || grantee.allSatisfy(\.isNumber)
            ? .object(JSONObject([("AWS", .string(grantee))])) : .object(JSONObject([("Service", .string(grantee))]))
        var fields: [(key: String, value: JSONValue)] = [
            ("Sid", .string(sid)), ("Effect", .string("Allow")), ("Principal", principal),
            ("Action", .array(actions.map(JSONValue.string))), ("Resource", .string("*")),
        ]
        var equals: [(key: String, value: JSONValue)] = []
        for (key, value) in (contextSubset.merging(contextEquals) { first, _ in first }).sorted(by: { $0.key < $1.key }) {
            equals.append(("kms:EncryptionContext:\(key)", .string(value)))
        }
        var condition: [(key: String, value: JSONValue)] = []
        if !equals.isEmpty { condition.append(("StringEquals", .object(JSONObject(equals)))) }
        if !contextEquals.isEmpty {
            // EncryptionContextEquals: no other pair may be present.
            condition.append(("ForAllValues:StringEquals", .object(JSONObject([
                ("kms:EncryptionContextKeys", .array(contextEquals.keys.sorted().map(JSONValue.string))),
            ]))))
        }
        if !condition.isEmpty { fields.append(("Condition", .object(JSONObject(condition)))) }
        return .object(JSONObject(fields))
    }

    /// The key policy with every grant appended as a statement.
    public static func keyPolicy(_ document: JSONValue, with grants: [KMSGrant]) -> JSONValue {
        guard !grants.isEmpty, case .object(var object) = document else { return document }
        let statements: [JSONValue]
        switch object["Statement"] {
        case .array(let items)?: statements = items
        case let single?: statements = [single]
        case nil: statements = []
        }
        object["Statement"] = .array(statements + grants.map(\.statement))
        return .object(object)
    }

    /// Grants that almost allow a denied `action` for `caller`: one for the caller without the
    /// operation, or one with the operation for another grantee. `callerArns` are the ARNs that
    /// name the caller (its session and its role).
    public static func nearMisses(_ grants: [KMSGrant], action: String, callerArns: [String]) -> [String] {
        let operation = action.split(separator: ":").last.map(String.init) ?? action
        var notes: [String] = []
        for grant in grants {
            let forCaller = callerArns.contains(grant.grantee)
            let hasOperation = grant.operations.contains { $0.caseInsensitiveCompare(operation) == .orderedSame }
            if forCaller, !hasOperation {
                notes.append("KMS \(grant.label) names the caller (\(grant.grantee)) but gives only \(grant.operations.joined(separator: ", ")), not \(operation): "
                             + "a grant with \(operation) (aws kms create-grant --key-id KEY --grantee-principal \(grant.grantee) --operations \(operation)) would allow it.")
            } else if !forCaller, hasOperation {
                notes.append("KMS \(grant.label) gives \(operation) to \(grant.grantee), not to the caller (\(callerArns.first ?? "?")).")
            }
        }
        return notes
    }
}
