/// The parts of the AWS CLI's one-line service error, as both CLI v1 and v2 print it on stderr:
/// `An error occurred (CODE) when calling the OPERATION operation[ (reached max retries: N)]: MESSAGE`.
///
/// ```swift
/// let text = CLIErrorText(stderr: "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired")
/// text?.code        // "ExpiredToken"
/// text?.operation   // "GetCallerIdentity"
/// ```
public struct CLIErrorText: Sendable, Equatable {
    public var code: String
    public var operation: String?
    public var message: String
    public var reachedMaxRetries: Int?

    public init(code: String, operation: String?, message: String, reachedMaxRetries: Int? = nil) {
        self.code = code
        self.operation = operation
        self.message = message
        self.reachedMaxRetries = reachedMaxRetries
    }

    /// Finds the first service error line in `stderr`; `nil` when the CLI printed something else
    /// (usage errors, connection errors, credential-provider errors).
    public init?(stderr: String) {
        let marker = "An error occurred ("
        guard let start = stderr.range(of: marker) else { return nil }
        let afterMarker = stderr[start.upperBound...]
        guard let closing = afterMarker.firstIndex(of: ")") else { return nil }
        code = String(afterMarker[..<closing])
        var rest = afterMarker[afterMarker.index(after: closing)...]
        operation = nil
        reachedMaxRetries = nil
        let callingPrefix = " when calling the "
        let afterPrefix = rest.index(rest.startIndex, offsetBy: min(callingPrefix.count, rest.count))
        if rest.hasPrefix(callingPrefix), let opEnd = rest[afterPrefix...].range(of: " operation") {
            operation = String(rest[afterPrefix..<opEnd.lowerBound])
            rest = rest[opEnd.upperBound...]
        }
        if rest.hasPrefix(" (reached max retries: "), let close = rest.firstIndex(of: ")") {
            let digits = rest[rest.index(rest.startIndex, offsetBy: " (reached max retries: ".count)..<close]
            reachedMaxRetries = Int(digits)
            rest = rest[rest.index(after: close)...]
        }
        if rest.hasPrefix(":") { rest = rest.dropFirst() }
        message = rest.trimmingWhitespace()
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
