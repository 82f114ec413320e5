/// Why a policy document was rejected, with the JSON path of the problem.
///
/// ```swift
/// // Statement[1].Effect: must be "Allow" or "Deny", found "allow"
/// PolicyParseError(path: "Statement[1].Effect", message: #"must be "Allow" or "Deny", found "allow""#)
/// ```
public struct PolicyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// The same error placed under an outer path (`policies.identity[0].document.Statement[1]`).
    public func nested(under prefix: String) -> PolicyParseError {
        guard !prefix.isEmpty else { return self }
        let joined = path == "(document)" ? prefix : (path.hasPrefix("[") ? prefix + path : prefix + "." + path)
        return PolicyParseError(path: joined, message: message)
    }
}
