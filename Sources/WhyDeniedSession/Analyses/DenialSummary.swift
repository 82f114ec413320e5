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
        let chosen = events.first { wanted == nil || EventDenial($0).action?.lowercased() == wanted } ?? events.first
        guard let chosen else {
            if known["denial.action"] != nil {
                // The pasted error message already named the denial; go on with what it said.
                return DenialSummary(events: [], chosen: nil, facts: [:])
            }
            throw NothingFound(description: "no denied event of the principal was found in the time frame, and no error message was given")
        }
        var facts: [String: JSONValue] = [:]
        let denial = EventDenial(chosen)
        if let action = denial.action { facts["denial.action"] = .string(action) }
        if let name = chosen.eventName { facts["denial.event_name"] = .string(name) }
        if let code = chosen.errorCode { facts["denial.error_code"] = .string(code) }
        if let type = denial.denyType { facts["denial.deny_type"] = .string(type) }
        if let type = denial.message?.policyType { facts["denial.policy_type"] = .string(type.rawValue) }
        // The session the call was signed with: its temporary key and when it was issued.
        if let key = chosen.userIdentity?.accessKeyId, key.hasPrefix("ASIA") { facts["principal.access_key_id"] = .string(key) }
        if let created = chosen.userIdentity?.sessionContext?.creationDate {
            facts["time.session_start"] = .string(Timestamp.format(created.addingTimeInterval(-300)))
            facts["time.session_end"] = .string(Timestamp.format(created.addingTimeInterval(300)))
        }
        // The request came through a VPC endpoint: its policy must allow it too.
        if let endpoint = chosen.vpcEndpointId, !endpoint.isEmpty { facts["denial.vpc_endpoint_id"] = .string(endpoint) }
        if let resource = denial.resource {
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

    /// The events table, one row per denied event, as the findings screen and the report both
    /// show it (the action and resource read by `EventDenial`).
    public var rows: [DeniedRequestRow] {
        events.map { event in
            let denial = EventDenial(event)
            return DeniedRequestRow(time: event.eventTimeText ?? "", principal: event.userIdentity?.arn ?? "",
                                    action: denial.action ?? "", resource: denial.resource, errorCode: event.errorCode ?? "",
                                    errorMessage: event.errorMessage, denyType: denial.denyType, source: "trail events")
        }
    }

    /// The resource a denied event acted on, the one choice every view shows (the findings
    /// screen, the report, the `denial.resource_arn` fact, the evaluated request): `EventDenial`'s.
    public static func resourceArn(of event: CloudTrailEvent) -> String? {
        EventDenial(event).resource
    }
}
