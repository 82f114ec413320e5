import WhyDeniedJSON

/// The structural pass: one walk over a JSON value.
///
/// - a value under a secret-named key (`SecretNames`) becomes `[REDACTED]`, whole (a `credentials`
///   object goes with everything in it); `true`/`false`/`null` stay, they cannot carry a secret;
/// - under an environment-variable key (`Environment`, `environment.variables`, `environmentVariables`)
///   every string and number becomes `[REDACTED]`, except the `name`/`type` of list entries;
/// - in a name/value pair (`{"Name": "DB_PASSWORD", "Value": …}`, `ParameterKey`/`ParameterValue`,
///   the journal's `captured` lines) the value follows the name;
/// - a list of strings is read as an argv (`--secret-string X`);
/// - a string holding a JSON object or array is parsed, redacted and written back (compact), so a
///   CloudTrail record inside a CloudWatch Logs `message` is redacted like any other; a string that
///   is not JSON, or has nothing to hide, is left byte for byte;
/// - every other string gets the text rules.
extension Redactor {
    public func redact(_ value: JSONValue) -> JSONValue {
        walk(value, inEnvironment: false)
    }

    private func walk(_ value: JSONValue, inEnvironment: Bool) -> JSONValue {
        switch value {
        case .string(let text):
            return inEnvironment ? .string(Redactor.placeholder) : .string(redactString(text))
        case .number:
            return inEnvironment ? .string(Redactor.placeholder) : value
        case .null, .bool:
            return value
        case .array(let items):
            if !inEnvironment, items.count > 1, items.allSatisfy({ $0.stringValue != nil }) {
                return .array(redact(argv: items.map { $0.stringValue ?? "" }).map(JSONValue.string))
            }
            return .array(items.map { walk($0, inEnvironment: inEnvironment) })
        case .object(let object):
            let pairIsSecret = object.entries.contains { entry in
                SecretNames.pairNames.contains(SecretNames.normalized(entry.key))
                    && entry.value.stringValue.map(SecretNames.isSecret) == true
            }
            var entries: [(key: String, value: JSONValue)] = []
            entries.reserveCapacity(object.count)
            for entry in object.entries {
                let key = SecretNames.normalized(entry.key)
                let hides = SecretNames.isSecretNormalized(key) || (pairIsSecret && SecretNames.pairValues.contains(key))
                if hides && !entry.value.isNull && entry.value.boolValue == nil {
                    entries.append((entry.key, .string(Redactor.placeholder)))
                } else if inEnvironment && (key == "name" || key == "type") {
                    entries.append((entry.key, walk(entry.value, inEnvironment: false)))
                } else {
                    let environment = inEnvironment || SecretNames.environments.contains(key)
                    entries.append((entry.key, walk(entry.value, inEnvironment: environment)))
                }
            }
            return .object(JSONObject(entries))
        }
    }

    /// A string inside JSON or an argv element: JSON in it is read structurally, the rest is text.
    func redactString(_ text: String) -> String {
        if let embedded = Self.embeddedJSON(text) {
            let redacted = redact(embedded)
            return redacted == embedded ? text : redacted.serialized()
        }
        return redact(text)
    }

    /// The JSON object or array a string holds, if it holds nothing else.
    static func embeddedJSON(_ text: String) -> JSONValue? {
        let bytes = text.utf8
        guard let first = bytes.first(where: { !isSpace($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
              let last = bytes.last(where: { !isSpace($0) }), last == UInt8(ascii: "}") || last == UInt8(ascii: "]")
        else { return nil }
        guard let value = try? JSONValue.parse(text) else { return nil }
        switch value {
        case .object, .array: return value
        default: return nil
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
