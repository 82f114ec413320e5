/// Why an account snapshot could not be read: the file, the JSON path inside it, and what is wrong.
///
/// Example: `index.json at principals[0].policies[1].file: policies/missing.json does not exist`.
public struct AccountSnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let path: String?
    public let problem: String

    public init(file: String, path: String? = nil, problem: String) {
        self.file = file
        self.path = path
        self.problem = problem
    }

    public var description: String {
        if let path, !path.isEmpty { return "\(file) at \(path): \(problem)" }
        return "\(file): \(problem)"
    }
}
