import Foundation
import WhyDeniedJSON

/// Why the trail had no event for the denial, as the journal (and so the report) keeps it: the
/// reason, the explanation, and the command that would change it, which the session never runs
/// (`commandStatus` is always `not run`). A finding that the event may still arrive says until
/// when (`lookAgainAfter`) and carries the read-only lookup to run again then.
///
/// ```swift
/// NoEventFindingRecord(reason: "too_recent", explanation: "… Look again in 10 minutes (after 06:10 UTC).",
///                      command: ["aws", "cloudtrail", "lookup-events", …], commandChanges: false,
///                      lookAgainAfter: "2026-12-02T06:10:00Z")
/// ```
public struct NoEventFindingRecord: Sendable, Hashable {
    /// Always this: the session shows the command and never runs it.
    public static let notRun = "not run"

    /// `NoEventDiagnosis.Reason`'s raw value (`data_event_not_selected`, `too_recent`, …).
    public var reason: String
    public var explanation: String
    public var command: [String]?
    /// Whether the command changes the account (or costs money) rather than only reads.
    public var commandChanges: Bool
    public var commandStatus: String
    /// ISO 8601: when an event made near the end of the time frame has surely arrived.
    public var lookAgainAfter: String?

    public init(reason: String, explanation: String, command: [String]?, commandChanges: Bool,
                commandStatus: String = NoEventFindingRecord.notRun, lookAgainAfter: String? = nil) {
        self.reason = reason
        self.explanation = explanation
        self.command = command
        self.commandChanges = commandChanges
        self.commandStatus = commandStatus
        self.lookAgainAfter = lookAgainAfter
    }

    public init(_ finding: NoEventDiagnosis.Finding) {
        self.init(reason: finding.reason.rawValue, explanation: finding.explanation, command: finding.command,
                  commandChanges: finding.commandChanges,
                  lookAgainAfter: finding.lookAgainAfter.map { NoEventDiagnosis.iso($0) })
    }

    public var jsonValue: JSONValue {
        var entries: [(String, JSONValue)] = [("reason", .string(reason)), ("explanation", .string(explanation)),
                                              ("command", command.map { .array($0.map(JSONValue.string)) } ?? .null),
                                              ("command_changes", .bool(commandChanges)),
                                              ("command_status", .string(commandStatus))]
        entries.append(("look_again_after", lookAgainAfter.map(JSONValue.string) ?? .null))
        return .object(JSONObject(entries))
    }

    public init?(jsonValue value: JSONValue) {
        guard let reason = value["reason"]?.stringValue, let explanation = value["explanation"]?.stringValue else { return nil }
        self.init(reason: reason, explanation: explanation,
                  command: value["command"]?.arrayValue.map { $0.compactMap(\.stringValue) },
                  commandChanges: value["command_changes"]?.boolValue ?? true,
                  commandStatus: value["command_status"]?.stringValue ?? Self.notRun,
                  lookAgainAfter: value["look_again_after"]?.stringValue)
    }
}
