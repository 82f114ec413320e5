import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON

/// The `summarize_denials` analysis: reads the denied events the lookup step captured, picks the
/// one the next steps explain (the most recent matching the `action` parameter, if given), and
/// returns the `denial.*`, `resource.*` and (when the parameter was a bare name) `principal.*` facts.
///
/// ```swift
/// let summary = try DenialSummary.summarize(captures: engine.captures, facts: engine.facts, action: "s3:GetObject")
/// summary.chosen?.eventName   // "GetObject"
/// ```
public struct DenialSummary: Sendable {
    public var events: [CloudTrailEvent]
    public var chosen: CloudTrailEvent?
    public var facts: [String: JSONValue]

    public struct NothingFound: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func summarize(captures: [String: JSONValue], facts known: [String: JSONValue],
                                 action: String?) throws(NothingFound) -> DenialSummary {
        var events: [CloudTrailEvent] = []
        var seen = Set<String>()
        for name in ["events", "window_events", "log_events", "file_events", "athena_events", "lake_events"] {
            for record in CapturedAccount.list(captures[name]) {
                guard let event = try? CloudTrailEvent(record: record) else { continue }
                let key = event.eventID ?? record.serialized()
                if seen.insert(key).inserted { events.append(event) }
            }
        }
        events.sort { ($0.eventTime ?? .distantPast) > ($1.eventTime ?? .distantPast) }
        let wanted = action.map { $0.lowercased() }
        let chosen = events.first { wanted == nil || eventAction($0)?.lowercased() == wanted } ?? events.first
        guard let chosen else {
            if known["denial.action"] != nil {
                // The pasted error message already named the denial; go on with what it said.
                return DenialSummary(events: [], chosen: nil, facts: [:])
            }
            throw NothingFound(description: "no denied event of the principal was found in the time frame, and no error message was given")
        }
        var facts: [String: JSONValue] = [:]
        if let action = eventAction(chosen) { facts["denial.action"] = .string(action) }
        if let name = chosen.eventName { facts["denial.event_name"] = .string(name) }
        if let code = chosen.errorCode { facts["denial.error_code"] = .string(code) }
        if let message = chosen.errorMessage?.lowercased() {
            if message.contains("explicit deny") { facts["denial.deny_type"] = .string("explicit") }
            else if message.contains("because no") { facts["denial.deny_type"] = .string("implicit") }
            else { facts["denial.deny_type"] = .string("unknown") }
        }
        // The request came through a VPC endpoint: its policy must allow it too.
        if let endpoint = chosen.vpcEndpointId, !endpoint.isEmpty { facts["denial.vpc_endpoint_id"] = .string(endpoint) }
        if let resource = resourceArn(of: chosen) {
            facts["denial.resource_arn"] = .string(resource)
            if known["resource.service"] == nil, let target = ResourcePolicyTarget(arn: resource) {
                facts.merge(target.facts) { _, new in new }
            }
        }
        if known["principal.kind"] == nil, let arn = chosen.userIdentity?.arn, let identity = PrincipalIdentity(arn: arn) {
            facts.merge(SessionFacts.principalFacts(identity)) { _, new in new }
        }
        return DenialSummary(events: events, chosen: chosen, facts: facts)
    }

    /// The resource a denied event acted on, the one choice every view shows (the findings
    /// screen, the report, the `denial.resource_arn` fact): the service-aware resolver's first.
    public static func resourceArn(of event: CloudTrailEvent) -> String? {
        ResourceResolver.resolve(event).first?.arn
    }

    /// `s3.amazonaws.com` + `GetObject` → `s3:GetObject`; the error message's own action wins.
    public static func eventAction(_ event: CloudTrailEvent) -> String? {
        if let message = event.errorMessage, let range = message.range(of: "perform: ") {
            let action = message[range.upperBound...].prefix { !$0.isWhitespace }
            if action.contains(":") { return String(action) }
        }
        guard let source = event.eventSource?.split(separator: ".").first, let name = event.eventName else { return nil }
        return "\(source):\(name)"
    }
}
