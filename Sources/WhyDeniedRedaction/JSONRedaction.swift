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
        walk(value, inEnvironment: false) ?? value
    }

    /// The redacted value, or nil when nothing in it changed (most of a CloudTrail record:
    /// nothing is rebuilt then).
    private func walk(_ value: JSONValue, inEnvironment: Bool) -> JSONValue? {
        switch value {
        case .string(let text):
            if inEnvironment { return .string(Redactor.placeholder) }
            let redacted = redactString(text)
            return redacted == text ? nil : .string(redacted)
        case .number:
            return inEnvironment ? .string(Redactor.placeholder) : nil
        case .null, .bool:
            return nil
        case .array(let items):
            if !inEnvironment, items.count > 1, items.allSatisfy({ $0.stringValue != nil }) {
                let argv = items.map { $0.stringValue ?? "" }
                let redacted = redact(argv: argv)
                return redacted == argv ? nil : .array(redacted.map(JSONValue.string))
            }
            var copy: [JSONValue]?
            for (index, item) in items.enumerated() {
                guard let changed = walk(item, inEnvironment: inEnvironment) else { continue }
                if copy == nil { copy = items }
                copy?[index] = changed
            }
            return copy.map(JSONValue.array)
        case .object(let object):
            let classes = object.entries.map { SecretNames.classify($0.key) }
            let pairIsSecret = zip(object.entries, classes).contains { entry, keyClass in
                keyClass.contains(.pairName) && entry.value.stringValue.map(SecretNames.isSecret) == true
            }
            var copy: [(key: String, value: JSONValue)]?
            for (index, (entry, keyClass)) in zip(object.entries, classes).enumerated() {
                let hides = keyClass.contains(.secret) || (pairIsSecret && keyClass.contains(.pairValue))
                let changed: JSONValue?
                if hides && !entry.value.isNull && entry.value.boolValue == nil {
                    changed = entry.value == .string(Redactor.placeholder) ? nil : .string(Redactor.placeholder)
                } else if inEnvironment && keyClass.contains(.label) {
                    changed = walk(entry.value, inEnvironment: false)
                } else {
                    changed = walk(entry.value, inEnvironment: inEnvironment || keyClass.contains(.environment))
                }
                guard let changed else { continue }
                if copy == nil { copy = object.entries }
                copy?[index] = (entry.key, changed)
            }
            return copy.map { .object(JSONObject($0)) }
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
