/// Finds the argv elements that are the value of an option named like a secret: the element after
/// `--secret-string`, or the part after `=` in `--password=…`. `--environment` counts too: its value
/// is a map of environment variables. Used for argv proper and for JSON string lists (journal `argv`).
///
/// ```swift
/// ArgvRedaction.secretPositions(["aws", "--secret-string", "x"])   // [.other("aws"), .other("--secret-string"), .value]
/// ```
enum ArgvRedaction {
    enum Position: Equatable {
        case value
        case inlineValue(option: String)
        case other(String)
    }

    static func secretPositions(_ argv: [String]) -> [Position] {
        var positions: [Position] = []
        positions.reserveCapacity(argv.count)
        var previousWasSecretOption = false
        for element in argv {
            if previousWasSecretOption && !element.hasPrefix("--") {
                positions.append(.value)
                previousWasSecretOption = false
                continue
            }
            previousWasSecretOption = false
            if element.hasPrefix("--") {
                let option = element.dropFirst(2)
                if let equals = option.firstIndex(of: "=") {
                    let name = String(option[..<equals])
                    if hidesValue(name) {
                        positions.append(.inlineValue(option: "--" + name))
                        continue
                    }
                } else {
                    previousWasSecretOption = hidesValue(String(option))
                }
            }
            positions.append(.other(element))
        }
        return positions
    }

    static func hidesValue(_ option: String) -> Bool {
        SecretNames.isSecret(option) || SecretNames.isEnvironment(option)
    }
}
