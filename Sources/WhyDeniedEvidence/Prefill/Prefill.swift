import Foundation
import WhyDeniedJSON

/// The runbook parameters read off whatever the operator pasted, each with its origin: an AWS
/// authorization error message, or CloudTrail content (one record, a trail file, lookup-events
/// or filter-log-events output). From CloudTrail the latest denied event is used.
///
/// An assumed-role session maps to its role (policies attach to the role, not the session) and
/// the session is noted; the region comes from the event, or from an ARN in the message; from
/// an event, `time_frame` is ±15 minutes around its time.
///
/// ```swift
/// let prefill = Prefill.from(text: pasted, now: Date())
/// prefill["principal"]?.value   // "arn:aws:iam::111122223333:role/Dev"
/// prefill["principal"]?.origin  // "event 3f1c0b2a: userIdentity.sessionContext.sessionIssuer.arn"
/// prefill.notes                 // ["assumed-role session 'ana' of role Dev: ..."]
/// ```
public struct Prefill: Sendable, Hashable {
    /// What the text was read as.
    public enum Evidence: Sendable, Hashable {
        case cloudTrail(eventID: String?, formats: [CloudTrailInputFormat])
        case errorMessage
        /// `sts decode-authorization-message` output.
        case decodedAuthorizationMessage
        case nothing
    }

    public var parameters: [PrefilledParameter] = []
    public var evidence: Evidence = .nothing
    /// The pasted message as the parser read it (an error text, or decoded-message output), to
    /// hand to the session as it is: nothing downstream parses the text again.
    public var denial: PastedDenial?
    /// Things the operator should know (the session behind a role, how many denied events).
    public var notes: [String] = []
    /// Why nothing (or less than expected) could be read.
    public var problems: [String] = []

    public init() {}

    public subscript(name: String) -> PrefilledParameter? { parameters.first { $0.name == name } }

    /// Parameter name → value, for handing to the session.
    public var values: [String: String] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Margin around an event's time for `time_frame`.
    public static let eventTimeMargin: TimeInterval = 15 * 60
    /// Longest `error_message` value kept; the full text stays with the operator. Room for an
    /// encoded authorization message (the decode API takes up to 10240 characters), which is
    /// useless once cut.
    static let maximumErrorMessageLength = 12_000

    mutating func set(_ name: String, _ value: String?, source: PrefilledParameter.Source, origin: String) {
        guard let value = value.map(IdentityText.trimmed), !value.isEmpty, self[name] == nil else { return }
        parameters.append(PrefilledParameter(name: name, value: value, source: source, origin: origin))
        parameters.sort { (RunbookParameterName.all.firstIndex(of: $0.name) ?? 99) < (RunbookParameterName.all.firstIndex(of: $1.name) ?? 99) }
    }

    /// Reads `text` as CloudTrail content when it is JSON holding records, else as an error
    /// message. Never throws: what could not be read is in `problems`.
    public static func from(text: String, now: Date) -> Prefill {
        var prefill = Prefill()
        // Look at the first visible character without copying a possibly huge text.
        guard let first = text.utf8.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            prefill.problems.append("nothing was pasted")
            return prefill
        }
        var readerProblem: String?
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") {
            // Decoded-message output is small; a big paste is CloudTrail content or nothing.
            if text.utf8.count <= DecodedAuthorization.largestOutput, let json = try? JSONValue.parse(text),
               DecodedAuthorization.looksDecoded(json) {
                do {
                    return fromDecodedMessage(try DecodedAuthorization.read(json), text: text, now: now)
                } catch {
                    prefill.problems.append(error.description)
                    return prefill
                }
            }
            do {
                let result = try CloudTrailReader.read(text: text)
                if !result.events.isEmpty { return from(events: result, now: now) }
                readerProblem = "the JSON holds no CloudTrail events"
            } catch {
                readerProblem = error.message
            }
        }
        // An error message is short; in a huge paste only the start is searched.
        let searched = text.utf8.count > maximumErrorSearchBytes
            ? String(decoding: text.utf8.prefix(maximumErrorSearchBytes), as: UTF8.self) : text
        if var fromMessage = fromErrorMessage(IdentityText.trimmed(searched), now: now) {
            if searched.utf8.count < text.utf8.count {
                fromMessage.notes.append("only the first \(maximumErrorSearchBytes / 1024) KB of the text were searched for an error message")
            }
            return fromMessage
        }
        prefill.problems.append(readerProblem.map { "not CloudTrail content (\($0)) and not an AWS authorization error" }
                                ?? "not an AWS authorization error or CloudTrail content")
        return prefill
    }

    /// How much of a non-CloudTrail paste is searched for an error message.
    static let maximumErrorSearchBytes = 256 * 1024

    /// Prefill from read CloudTrail records: the latest denied event, or the latest event when
    /// none was denied (noted).
    public static func from(events result: CloudTrailReadResult, now: Date) -> Prefill {
        var prefill = Prefill()
        let denied = result.deniedEvents
        let candidates = denied.isEmpty ? result.events : denied
        guard let event = candidates.max(by: { ($0.eventTime ?? .distantPast) < ($1.eventTime ?? .distantPast) }) else {
            prefill.problems.append("no CloudTrail events were read")
            return prefill
        }
        if denied.isEmpty {
            prefill.notes.append("no event has an access-denied error code; using the latest event (\(event.eventName ?? "?"))")
        } else if denied.count > 1 {
            prefill.notes.append("\(denied.count) denied events found; using the latest (event \(event.shortID), \(event.eventName ?? "?"))")
        }
        if result.totalProblemCount > 0 {
            prefill.notes.append("\(result.totalProblemCount) malformed record(s) were skipped")
        }
        prefill.notes += result.notes
        prefill.fill(from: event, now: now)
        prefill.evidence = .cloudTrail(eventID: event.eventID, formats: result.formats)
        return prefill
    }

    mutating func fill(from event: CloudTrailEvent, now: Date) {
        let tag = "event \(event.shortID)"
        if let identity = event.userIdentity {
            let principal = identity.principal
            if identity.type == "AssumedRole" || principal?.kind == .assumedRole, let role = identity.policyHolderArn {
                let fromIssuer = identity.sessionContext?.sessionIssuer?.arn == role
                set(RunbookParameterName.principal, role,
                    source: .cloudTrailEvent, origin: "\(tag): userIdentity.\(fromIssuer ? "sessionContext.sessionIssuer.arn" : "arn (role of the session)")")
                notes.append("assumed-role session '\(identity.sessionName ?? "?")' of role \(role.split(separator: "/").last.map(String.init) ?? role): policies attach to the role, not the session (session ARN \(identity.arn ?? "?"))")
            } else if let arn = identity.arn {
                set(RunbookParameterName.principal, arn, source: .cloudTrailEvent, origin: "\(tag): userIdentity.arn")
            } else if let service = identity.invokedBy {
                notes.append("the call was made by the AWS service \(service) (userIdentity.invokedBy); no IAM principal to check")
            }
            set(RunbookParameterName.accountId, identity.accountId, source: .cloudTrailEvent, origin: "\(tag): userIdentity.accountId")
        }
        set(RunbookParameterName.accountId, event.recipientAccountId, source: .cloudTrailEvent, origin: "\(tag): recipientAccountId")
        set(RunbookParameterName.region, event.awsRegion, source: .cloudTrailEvent, origin: "\(tag): awsRegion")
        if let time = event.eventTime {
            let frame = TimeFrame.around(time, margin: Self.eventTimeMargin, now: now)
            set(RunbookParameterName.timeFrame, frame.canonical, source: .cloudTrailEvent, origin: "\(tag): eventTime \(event.eventTimeText ?? Timestamp.format(time)) ± 15 minutes")
            if frame.exceedsLookupWindow { notes.append(contentsOf: frame.warnings) }
        }
        // The denial text names the action and resource exactly as IAM evaluated them.
        let denial = EventDenial(event)
        refineFromEventMessage(denial, tag: tag)
        if let first = denial.resolved {
            set(RunbookParameterName.resource, first.arn, source: .cloudTrailEvent, origin: "\(tag): \(first.origin)")
            if let note = first.note { notes.append("resource: \(note)") }
        }
        if let message = event.errorMessage {
            set(RunbookParameterName.errorMessage, String(message.prefix(Self.maximumErrorMessageLength)), source: .cloudTrailEvent, origin: "\(tag): errorMessage")
        } else if let code = event.errorCode {
            set(RunbookParameterName.errorMessage, code, source: .cloudTrailEvent, origin: "\(tag): errorCode (the event has no errorMessage)")
        }
        if let source = event.eventSource, let name = event.eventName,
           let action = IAMActionName.action(eventSource: source, eventName: name) {
            set(RunbookParameterName.action, action, source: .cloudTrailEvent, origin: "\(tag): eventSource + eventName (\(source) \(name))")
        }
    }
}
