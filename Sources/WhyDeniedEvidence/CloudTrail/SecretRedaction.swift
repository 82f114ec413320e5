import WhyDeniedJSON

/// Masks secret values inside a CloudTrail field before it is shown or exported: the
/// temporary credentials `AssumeRole` returns, secret strings, passwords and private keys.
/// Access key IDs keep their first four characters so the key type (AKIA/ASIA) stays visible.
///
/// ```swift
/// SecretRedaction.redact(["credentials": ["sessionToken": "IQoJb3..."]])
/// // {"credentials": {"sessionToken": "[REDACTED]"}}
/// ```
public enum SecretRedaction {
    public static let mask = "[REDACTED]"

    static let secretKeys: Set<String> = [
        "secretaccesskey", "sessiontoken", "secretstring", "secretbinary", "password", "newpassword",
        "oldpassword", "privatekey", "plaintext", "token", "authorizationtoken", "samlassertion", "webidentitytoken",
        "clientsecret", "accesstoken", "refreshtoken", "idtoken",
    ]

    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var copy = JSONObject()
            for entry in object.entries {
                let key = entry.key.lowercased()
                if secretKeys.contains(key), !entry.value.isNull {
                    copy[entry.key] = .string(mask)
                } else if key == "accesskeyid", case .string(let id) = entry.value {
                    copy[entry.key] = .string(String(id.prefix(4)) + "…" + mask)
                } else {
                    copy[entry.key] = redact(entry.value)
                }
            }
            return .object(copy)
        case .array(let items):
            return .array(items.map(redact))
        default:
            return value
        }
    }
}
