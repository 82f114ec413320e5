import Foundation
import WhyDeniedJSON

/// Why the trail gave no event for the denial, from what the session already read (the trails'
/// scope, status and event selectors, the time frame) and the action: each reason with the
/// command that would change it. The commands are shown, never run by this analysis; those
/// that change the account say so.
///
/// ```swift
/// let findings = NoEventDiagnosis.diagnose(NoEventDiagnosis.Inputs(action: "s3:GetObject", region: "us-east-1",
///     timeStart: start, timeEnd: end, now: Date(), trails: [trail]))
/// findings[0].reason    // .dataEventNotSelected
/// findings[0].command   // ["aws", "cloudtrail", "put-event-selectors", …]
/// ```
public enum NoEventDiagnosis {
    /// CloudTrail delivers an event within about 15 minutes of the call.
    public static let deliveryDelay: TimeInterval = 15 * 60
    /// The event history (`lookup-events`) keeps 90 days.
    public static let eventHistoryDays = 90

    public enum Reason: String, Sendable, Equatable {
        case dataEventNotSelected = "data_event_not_selected"
        case tooRecent = "too_recent"
        case pastEventHistory = "past_event_history"
        case trailInAnotherRegion = "trail_in_another_region"
        case trailInAnotherAccount = "trail_in_another_account"
        case trailNotLogging = "trail_not_logging"
        case noTrail = "no_trail"
    }

    public struct Finding: Sendable, Equatable {
        public var reason: Reason
        public var explanation: String
        /// The command that would change it, as an argv; nil when none can be named.
        public var command: [String]?
        /// Whether that command changes the account (or costs money) rather than only reads.
        public var commandChanges: Bool
        /// When an event made near the end of the time frame has surely arrived (`tooRecent`).
        public var lookAgainAfter: Date?
    }

    /// One trail as the session read it.
    public struct Trail: Sendable, Equatable {
        public var arn: String
        public var homeRegion: String?
        public var multiRegion: Bool
        public var organization: Bool
        public var isLogging: Bool?
        /// Resource types whose data events the trail's selectors record; nil when not read.
        public var dataResourceTypes: [String]?

        public init(arn: String, homeRegion: String? = nil, multiRegion: Bool = false, organization: Bool = false,
                    isLogging: Bool? = nil, dataResourceTypes: [String]? = nil) {
            self.arn = arn
            self.homeRegion = homeRegion
            self.multiRegion = multiRegion
            self.organization = organization
            self.isLogging = isLogging
            self.dataResourceTypes = dataResourceTypes
        }

        var account: String? { ARNParts.account(of: arn) }
        var name: String { arn.split(separator: "/").last.map(String.init) ?? arn }
    }

    public struct Inputs: Sendable, Equatable {
        public var action: String?
        public var resourceArn: String?
        public var region: String?
        public var timeStart: Date?
        public var timeEnd: Date?
        public var now: Date
        /// The account the session's commands run as.
        public var callerAccount: String?
        /// nil when the trails were not read (the step failed or was skipped).
        public var trails: [Trail]?
        /// The `athena.*` query facts, when the trail's bucket allows one.
        public var athenaQuery: (query: String, workGroup: String, outputLocation: String)?

        public init(action: String?, resourceArn: String? = nil, region: String?, timeStart: Date?, timeEnd: Date?, now: Date,
                    callerAccount: String? = nil, trails: [Trail]?,
                    athenaQuery: (query: String, workGroup: String, outputLocation: String)? = nil) {
            self.action = action
            self.resourceArn = resourceArn
            self.region = region
            self.timeStart = timeStart
            self.timeEnd = timeEnd
            self.now = now
            self.callerAccount = callerAccount
            self.trails = trails
            self.athenaQuery = athenaQuery
        }

        public static func == (lhs: Inputs, rhs: Inputs) -> Bool {
            lhs.action == rhs.action && lhs.resourceArn == rhs.resourceArn && lhs.region == rhs.region
                && lhs.timeStart == rhs.timeStart && lhs.timeEnd == rhs.timeEnd && lhs.now == rhs.now
                && lhs.callerAccount == rhs.callerAccount && lhs.trails == rhs.trails
                && lhs.athenaQuery?.query == rhs.athenaQuery?.query
        }
    }

    public static func diagnose(_ inputs: Inputs) -> [Finding] {
        var findings: [Finding] = []
        let regionArgs = inputs.region.map { ["--region", $0] } ?? []
        let trails = inputs.trails ?? []
        // Trails that record calls made in the session's region.
        let covering = trails.filter { $0.multiRegion || inputs.region == nil || $0.homeRegion == nil || $0.homeRegion == inputs.region }

        if inputs.trails != nil, trails.isEmpty {
            findings.append(Finding(reason: .noTrail,
                explanation: "No trail is visible in \(inputs.region ?? "this region"): only the 90-day event history of management events exists, and it never holds data events.",
                command: nil, commandChanges: false))
        }
        for trail in trails where !covering.contains(trail) {
            findings.append(Finding(reason: .trailInAnotherRegion,
                explanation: "Trail \(trail.name) records only \(trail.homeRegion ?? "its home region"), not \(inputs.region ?? "the call's region"): making it multi-region records calls in every region.",
                command: ["aws", "cloudtrail", "update-trail", "--name", trail.arn, "--is-multi-region-trail"] + (trail.homeRegion.map { ["--region", $0] } ?? []),
                commandChanges: true))
        }
        for trail in covering where trail.organization && trail.account != nil && inputs.callerAccount != nil && trail.account != inputs.callerAccount {
            findings.append(Finding(reason: .trailInAnotherAccount,
                explanation: "Trail \(trail.name) is an organization trail of account \(trail.account ?? "?"): its logs are delivered to that account's bucket and log group, which this account's credentials may not read. Look there with a profile for account \(trail.account ?? "?").",
                command: ["aws", "cloudtrail", "describe-trails", "--trail-name-list", trail.arn] + regionArgs,
                commandChanges: false))
        }
        for trail in covering where trail.isLogging == false {
            findings.append(Finding(reason: .trailNotLogging,
                explanation: "Trail \(trail.name) is not logging, so it recorded nothing in the time frame.",
                command: ["aws", "cloudtrail", "start-logging", "--name", trail.arn] + regionArgs, commandChanges: true))
        }

        let dataType = inputs.action.flatMap(DataEventTable.resourceType(for:))
        let selecting = covering.filter { $0.isLogging != false && ($0.dataResourceTypes ?? []).contains(dataType ?? "") }
        if let action = inputs.action, let dataType, selecting.isEmpty, inputs.trails != nil {
            let target = covering.first { $0.isLogging != false } ?? covering.first
            findings.append(Finding(reason: .dataEventNotSelected,
                explanation: "\(action) is a data event (\(dataType)): the event history (lookup-events) never holds it, and a trail records it only when its event selectors select \(dataType) data events; "
                    + (trails.isEmpty ? "there is no trail." : "no logging trail here does.")
                    + (target == nil ? "" : " The command below replaces the trail's selectors with management events plus these data events (data events are billed per event)."),
                command: target.map { dataSelectorCommand(trail: $0, type: dataType, resourceArn: inputs.resourceArn) + regionArgs },
                commandChanges: true))
        }

        if let end = inputs.timeEnd, inputs.now < end.addingTimeInterval(deliveryDelay), !(dataType != nil && selecting.isEmpty) {
            let ready = end.addingTimeInterval(deliveryDelay)
            let minutes = Int((ready.timeIntervalSince(inputs.now) / 60).rounded(.up))
            var lookup: [String]?
            if dataType == nil, let start = inputs.timeStart {
                lookup = ["aws", "cloudtrail", "lookup-events", "--start-time", iso(start), "--end-time", iso(ready)] + regionArgs
                if let name = inputs.action?.split(separator: ":").last {
                    lookup?.insert(contentsOf: ["--lookup-attributes", "AttributeKey=EventName,AttributeValue=\(name)"], at: 3)
                }
            }
            findings.append(Finding(reason: .tooRecent,
                explanation: "CloudTrail delivers events within about 15 minutes of the call, and the time frame ends \(clock(end)) UTC: a denial near its end may not have arrived yet. Look again in \(minutes) minute\(minutes == 1 ? "" : "s") (after \(clock(ready)) UTC).",
                command: lookup, commandChanges: false, lookAgainAfter: ready))
        }

        if let start = inputs.timeStart,
           start < inputs.now.addingTimeInterval(-Double(eventHistoryDays) * 86_400) {
            let days = Int(inputs.now.timeIntervalSince(start) / 86_400)
            let athena = inputs.athenaQuery.map {
                ["aws", "athena", "start-query-execution", "--query-string", $0.query, "--work-group", $0.workGroup,
                 "--result-configuration", "OutputLocation=\($0.outputLocation)"] + regionArgs
            }
            findings.append(Finding(reason: .pastEventHistory,
                explanation: "The time frame starts \(days) days ago, past the \(eventHistoryDays)-day event history: older events are only in the trail's S3 logs, which Athena can query where they lie"
                    + (athena == nil ? " (no trail bucket was found to query)." : " (Athena bills by data scanned and writes its results to the bucket)."),
                command: athena, commandChanges: athena != nil))
        }
        return findings
    }

    /// `put-event-selectors` keeping management events and adding the data events of `type`,
    /// narrowed to the resource (an S3 object's bucket) when it is known.
    static func dataSelectorCommand(trail: Trail, type: String, resourceArn: String?) -> [String] {
        var fields: [JSONValue] = [
            .object(JSONObject([("Field", .string("eventCategory")), ("Equals", .array([.string("Data")]))])),
            .object(JSONObject([("Field", .string("resources.type")), ("Equals", .array([.string(type)]))])),
        ]
        if let arn = resourceArn, arn.hasPrefix("arn:") {
            if type == "AWS::S3::Object", let bucket = arn.split(separator: "/").first {
                fields.append(.object(JSONObject([("Field", .string("resources.ARN")), ("StartsWith", .array([.string("\(bucket)/")]))])))
            } else {
                fields.append(.object(JSONObject([("Field", .string("resources.ARN")), ("Equals", .array([.string(arn)]))])))
            }
        }
        let selectors = JSONValue.array([
            .object(JSONObject([("Name", .string("Management events")),
                                ("FieldSelectors", .array([.object(JSONObject([("Field", .string("eventCategory")), ("Equals", .array([.string("Management")]))]))]))])),
            .object(JSONObject([("Name", .string("\(type) data events")), ("FieldSelectors", .array(fields))])),
        ])
        return ["aws", "cloudtrail", "put-event-selectors", "--trail-name", trail.arn, "--advanced-event-selectors", selectors.serialized()]
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

extension NoEventDiagnosis {
    /// The inputs from what the session read: `trail_scopes`, `trail_statuses`, `trail_selectors`,
    /// `caller_account`, the `time.*` and `athena.*` facts, the action and the region.
    public static func inputs(captures: [String: JSONValue], facts: [String: JSONValue],
                              parameters: [String: String], now: Date) -> Inputs {
        let statuses = CapturedAccount.list(captures["trail_statuses"])
        let selectors = CapturedAccount.list(captures["trail_selectors"])
        func matches(_ record: JSONValue, _ arn: String) -> Bool {
            let trail = record["trail"]?.stringValue
            return trail == arn || trail.map { arn.hasSuffix("/\($0)") } == true
        }
        let scopes = CapturedAccount.list(captures["trail_scopes"])
        let arns = scopes.isEmpty ? CapturedAccount.list(captures["trail_arns"]).compactMap(\.stringValue)
                                  : scopes.compactMap { $0["trail"]?.stringValue }
        let read = captures["trail_scopes"] != nil || captures["trail_arns"] != nil
        let trails = arns.map { arn -> Trail in
            let scope = scopes.first { $0["trail"]?.stringValue == arn }
            let status = statuses.first { matches($0, arn) }
            let selection = selectors.first { matches($0, arn) }
            return Trail(arn: arn, homeRegion: scope?["home_region"]?.stringValue ?? arnRegion(arn),
                         multiRegion: scope?["multi_region"]?.boolValue ?? false,
                         organization: scope?["organization"]?.boolValue ?? false,
                         isLogging: status?["is_logging"]?.boolValue,
                         dataResourceTypes: selection.map { ($0["data_resource_types"]?.arrayValue ?? []).compactMap(\.stringValue) })
        }
        let athena: (String, String, String)?
        if let query = facts["athena.denied_events_query"]?.stringValue, let group = facts["athena.work_group"]?.stringValue,
           let output = facts["athena.output_location"]?.stringValue {
            athena = (query, group, output)
        } else {
            athena = nil
        }
        func given(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        return Inputs(action: facts["denial.action"]?.stringValue ?? given("action"),
                      resourceArn: facts["denial.resource_arn"]?.stringValue ?? given("resource"),
                      region: given("region"),
                      timeStart: facts["time.start"]?.stringValue.flatMap(TrailLogTime.date),
                      timeEnd: facts["time.end"]?.stringValue.flatMap(TrailLogTime.date),
                      now: now, callerAccount: captures["caller_account"]?.stringValue,
                      trails: read ? trails : nil, athenaQuery: athena)
    }

    static func arnRegion(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && !parts[3].isEmpty ? String(parts[3]) : nil
    }
}
