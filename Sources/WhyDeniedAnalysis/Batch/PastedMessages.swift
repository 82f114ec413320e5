import WhyDeniedEvidence
import WhyDeniedJSON

/// `analyze --message`: pasted AccessDenied messages, one per blank-line-separated block, each
/// read once by the error-message parser into a typed `AuthorizationError` with where it was
/// (the block's number and first line). Each becomes a reported request (`ReportedRequest`,
/// then `DeniedRequest(reported:)`), never a made-up CloudTrail event: what the message cannot
/// carry (source IP, MFA, …) stays unknown, so a condition on it leaves the verdict Undecided.
///
/// ```swift
/// let read = PastedMessages.read(text, source: "standard input")
/// read.messages[0].label           // "standard input, message 1, line 1"
/// read.messages[0].denial.action   // "s3:PutObject"
/// read.problems                    // blocks that are not an authorization error, by line
/// ```
public enum PastedMessages {
    /// One pasted message, parsed, with where it was.
    public struct Message: Sendable, Hashable {
        public var denial: AuthorizationError
        public var position: CloudTrailRecordPosition
        /// "standard input, message 2, line 3": how results and notes name it.
        public var label: String { PastedMessages.label(of: position) }
    }

    public struct Read: Sendable {
        public var messages: [Message] = []
        public var problems: [CloudTrailReadProblem] = []
    }

    /// "standard input, message 2, line 3": a block by its number and first line.
    public static func label(of position: CloudTrailRecordPosition) -> String {
        position.source + (position.line.map { ", line \($0)" } ?? "")
    }

    /// - Parameter source: how problems name the input (`messages.txt`, `standard input`).
    public static func read(_ text: String, source: String) -> Read {
        var result = Read()
        for (index, block) in blocks(of: text).enumerated() {
            let position = CloudTrailRecordPosition(source: "\(source), message \(index + 1)", recordIndex: index, line: block.line)
            switch AuthorizationErrorParser.parse(block.text) {
            case .failure(let why):
                result.problems.append(CloudTrailReadProblem(position: position, message: "not an AWS authorization error: \(why)"))
            case .success(let parsed):
                result.messages.append(Message(denial: parsed, position: position))
            }
        }
        return result
    }

    /// Non-empty runs of lines separated by at least one blank line, with the first line's number.
    static func blocks(of text: String) -> [(text: String, line: Int)] {
        var found: [(text: String, line: Int)] = []
        var current: [Substring] = []
        var start = 1
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { found.append((current.joined(separator: "\n"), start)) }
                current = []
            } else {
                if current.isEmpty { start = offset + 1 }
                current.append(line)
            }
        }
        if !current.isEmpty { found.append((current.joined(separator: "\n"), start)) }
        return found
    }
}
