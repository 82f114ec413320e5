import WhyDeniedEvidence
import WhyDeniedJSON

/// `lookup-events` (`Events[].CloudTrailEvent`, a JSON string) and `logs filter-log-events`
/// (`events[].message`, one compact event) → the denied CloudTrail records of the principal.
enum CloudTrailEventsParser {
    static func deniedRecords(in output: JSONValue, principalNames: Set<String>) -> [JSONValue] {
        var texts: [String] = []
        for event in output["Events"]?.arrayValue ?? [] {
            if let text = event["CloudTrailEvent"]?.stringValue { texts.append(text) }
        }
        for event in output["events"]?.arrayValue ?? [] {
            if let text = event["message"]?.stringValue { texts.append(text) }
        }
        var records: [JSONValue] = []
        for text in texts {
            guard let record = try? JSONValue.parse(text), let event = try? CloudTrailEvent(record: record),
                  event.isDenied, matches(event, principalNames) else { continue }
            records.append(record)
        }
        return records
    }

    static func matches(_ event: CloudTrailEvent, _ names: Set<String>) -> Bool {
        guard !names.isEmpty else { return true }
        let identity = event.userIdentity
        let candidates: [String?] = [
            identity?.arn, identity?.userName,
            event.raw["userIdentity"]?["sessionContext"]?["sessionIssuer"]?["userName"]?.stringValue,
            event.raw["userIdentity"]?["sessionContext"]?["sessionIssuer"]?["arn"]?.stringValue,
        ]
        for candidate in candidates.compactMap({ $0 }) {
            if names.contains(candidate) { return true }
            if let last = candidate.split(separator: "/").dropFirst().first, names.contains(String(last)) { return true }
            if let tail = candidate.split(separator: "/").last, names.contains(String(tail)) { return true }
        }
        return false
    }
}
