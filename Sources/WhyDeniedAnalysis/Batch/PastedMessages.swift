import WhyDeniedEvidence
import WhyDeniedJSON

/// `analyze --message`: pasted AccessDenied messages, one per blank-line-separated block, each
/// turned into the CloudTrail-shaped record the batch analyser reads. An adapter: it carries
/// only what the message says (caller, action, resource, error code and text) and leaves every
/// other field absent, so a condition on a key the message cannot give (source IP, MFA, …)
/// stays unknown and its verdict Undecided.
///
/// ```swift
/// let read = PastedMessages.read(text, source: "standard input")   // one event per message block
/// read.events[0].eventName                                         // "GetObject"
/// read.problems                    // blocks that are not an authorization error, by line
/// ```
public enum PastedMessages {
    /// - Parameter source: how problems name the input (`messages.txt`, `standard input`).
    public static func read(_ text: String, source: String) -> CloudTrailReadResult {
        var result = CloudTrailReadResult()
        for (index, block) in blocks(of: text).enumerated() {
            let position = CloudTrailRecordPosition(source: "\(source), message \(index + 1)", recordIndex: index, line: block.line)
            switch AuthorizationErrorParser.parse(block.text) {
            case .failure(let why):
                result.problems.append(CloudTrailReadProblem(position: position, message: "not an AWS authorization error: \(why)"))
            case .success(let parsed):
                do {
                    result.events.append(try CloudTrailEvent(record: record(for: parsed, number: index + 1)))
                    result.positions.append(position)
                } catch {
                    result.problems.append(CloudTrailReadProblem(position: position, message: "\(error)"))
                }
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

    /// The record: `eventSource` from the action's service prefix, `eventName` from the operation
    /// the message names (else the action's name), `userIdentity` from the caller's ARN.
    static func record(for message: AuthorizationError, number: Int) -> JSONValue {
        var fields: [(String, JSONValue)] = [("eventVersion", .string("1.08")), ("eventID", .string("message-\(number)"))]
        let action = message.action?.split(separator: ":", maxSplits: 1).map(String.init)
        if let prefix = action?.first { fields.append(("eventSource", .string("\(prefix.lowercased()).amazonaws.com"))) }
        if let name = message.operation ?? (action?.count == 2 ? action?[1] : nil) { fields.append(("eventName", .string(name))) }
        fields.append(("errorCode", .string(message.code ?? "AccessDenied")))
        fields.append(("errorMessage", .string(message.normalizedText)))
        if let principal = message.principal, let arn = principal.arn {
            let type: String? = switch principal.kind {
            case .iamUser: "IAMUser"
            case .assumedRole: "AssumedRole"
            case .role: "AssumedRole"
            case .root: "Root"
            case .federatedUser: "FederatedUser"
            default: nil
            }
            var identity: [(String, JSONValue)] = [("arn", .string(arn))]
            if let type { identity.append(("type", .string(type))) }
            if let account = principal.accountId { identity.append(("accountId", .string(account))) }
            fields.append(("userIdentity", .object(JSONObject(identity))))
        }
        if let resource = message.resource, resource.hasPrefix("arn:") {
            fields.append(("resources", .array([.object(JSONObject([("ARN", .string(resource))]))])))
        }
        if let account = message.accountId { fields.append(("recipientAccountId", .string(account))) }
        return .object(JSONObject(fields))
    }
}
