/// Why the local sandbox could not be started or seeded, with what to do about it.
///
/// ```swift
/// catch let error as SandboxError { print(error.description) }  // "moto_server is not installed…"
/// ```
public enum SandboxError: Error, CustomStringConvertible, Equatable {
    case motoMissing(searched: String)
    case awsMissing(searched: String)
    case startFailed(String)
    case seedFailed(command: [String], message: String)
    case unknownScenario(String, known: [String])

    public var description: String {
        switch self {
        case .motoMissing(let searched):
            return "moto_server is not installed (searched \(searched)). Install it with: pip install 'moto[server]'"
        case .awsMissing(let searched):
            return "The aws CLI is not installed (searched \(searched)). Install it with: pip install awscli"
        case .startFailed(let detail):
            return "The local moto sandbox did not start: \(detail)"
        case .seedFailed(let command, let message):
            return "Seeding the sandbox failed at `\(command.joined(separator: " "))`: \(message)"
        case .unknownScenario(let name, let known):
            return "No sandbox scenario named \"\(name)\". Known: \(known.joined(separator: ", "))"
        }
    }
}
