import WhyDeniedJSON

/// An IAM policy document as Terraform's `aws_iam_policy_document` data source: one `statement`
/// block per statement, principals and conditions as nested blocks, so the code reads like the
/// rest of a Terraform IAM module rather than an opaque `jsonencode`.
enum PolicyDocumentHCL {
    static func dataSource(named name: String, document: JSONValue) -> String {
        var lines = ["data \"aws_iam_policy_document\" \"\(name)\" {"]
        if let version = document["Version"]?.stringValue { lines.append("  version = \(quoted(version))") }
        let statements = document["Statement"].map { $0.arrayValue ?? [$0] } ?? []
        for statement in statements { lines += statementBlock(statement) }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func statementBlock(_ statement: JSONValue) -> [String] {
        var lines = ["  statement {"]
        if let sid = statement["Sid"]?.stringValue { lines.append("    sid = \(quoted(sid))") }
        lines.append("    effect = \(quoted(statement["Effect"]?.stringValue ?? "Allow"))")
        for (key, attribute) in [("Action", "actions"), ("NotAction", "not_actions"),
                                 ("Resource", "resources"), ("NotResource", "not_resources")] {
            if let values = statement[key] { lines.append("    \(attribute) = \(list(strings(values)))") }
        }
        for (key, block) in [("Principal", "principals"), ("NotPrincipal", "not_principals")] {
            guard let principal = statement[key] else { continue }
            if principal.stringValue == "*" {
                lines += ["    \(block) {", "      type = \"*\"", "      identifiers = [\"*\"]", "    }"]
            } else if let object = principal.objectValue {
                for entry in object.entries {
                    lines += ["    \(block) {", "      type = \(quoted(entry.key))",
                              "      identifiers = \(list(strings(entry.value)))", "    }"]
                }
            }
        }
        if let conditions = statement["Condition"]?.objectValue {
            for test in conditions.entries {
                for variable in test.value.objectValue?.entries ?? [] {
                    lines += ["    condition {", "      test = \(quoted(test.key))", "      variable = \(quoted(variable.key))",
                              "      values = \(list(strings(variable.value)))", "    }"]
                }
            }
        }
        lines.append("  }")
        return lines
    }

    static func strings(_ value: JSONValue) -> [String] {
        (value.arrayValue ?? [value]).compactMap { $0.scalarText }
    }

    static func list(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }

    /// An HCL string literal. `${` and `%{` start template sequences in HCL, so an IAM policy
    /// variable (`${aws:username}`) is written `$${aws:username}`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        var previous: Character?
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$" || previous == "%":
                out.insert(previous!, at: out.index(before: out.endIndex))
                out.append("{")
            default: out.append(character)
            }
            previous = character
        }
        return out + "\""
    }

    /// A Terraform local name: letters, digits, `_` and `-`, not starting with a digit.
    static func identifier(_ text: String) -> String {
        var name = String(text.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        if name.first.map({ !$0.isLetter && $0 != "_" }) ?? true { name = "fix_" + name }
        return name
    }
}
