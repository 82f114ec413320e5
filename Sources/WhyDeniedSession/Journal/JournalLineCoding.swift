import Foundation
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedRedaction

/// Why a journal line could not be read back: the field and what was wrong with it.
public struct JournalLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Journal timestamps: ISO 8601 in UTC with milliseconds.
enum JournalTime {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func text(_ date: Date) -> String { date.formatted(style) }

    static func date(_ text: String) -> Date? {
        if let date = try? style.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}

extension JournalEntry {
    /// The entry as the flat JSON object written on one journal line. Field names follow the
    /// journal format in docs/safety.md (`ts`, `session`, `step`, `command`, `event`, `argv`,
    /// `exit_code`, `duration_ms`, `stdout_path`, `stdout_sha256`, ...).
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["seq"] = .number(Double(sequence))
        object["ts"] = .string(JournalTime.text(timestamp))
        object["session"] = .string(session)
        object["event"] = .string(event.kind)
        func put(_ ref: CommandRef) {
            object["step"] = .string(ref.step)
            object["command"] = .string(ref.command)
            if let item = ref.item { object["item"] = .string(item) }
        }
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        switch event {
        case .sessionStarted(let runbook, let changesEnabled):
            object["runbook"] = .string(runbook)
            object["changes_enabled"] = .bool(changesEnabled)
        case .connection(let connection):
            // null: not set (AWS's own endpoints, the default credential chain).
            object["endpoint_url"] = connection.endpointURL.map(JSONValue.string) ?? .null
            object["profile"] = connection.profile.map(JSONValue.string) ?? .null
            object["region"] = connection.region.map(JSONValue.string) ?? .null
        case .changesEnabled:
            break
        case .operatorIdentified(let callerARN):
            object["operator"] = .string(callerARN)
        case .parameterSet(let name, let value, let origin, let secret):
            object["name"] = .string(name)
            object["value"] = .string(secret ? Redactor.placeholder : value)
            object["origin"] = .string(origin.source.rawValue)
            if let detail = origin.detail { object["origin_detail"] = .string(detail) }
            if secret { object["secret"] = .bool(true) }
        case .commandProposed(let ref, let argv, let mutates):
            put(ref)
            object["argv"] = strings(argv)
            object["mutates"] = .bool(mutates)
        case .commandConfirmed(let ref):
            put(ref)
        case .commandDeclined(let ref, let reason):
            put(ref)
            if let reason { object["reason"] = .string(reason) }
        case .commandEdited(let ref, let argv, let classification), .commandStarted(let ref, let argv, let classification):
            put(ref)
            object["argv"] = strings(argv)
            if let classification {
                object["mutates"] = .bool(classification.mutates)
                object["classification"] = .string(classification.reason)
            }
        case .commandFinished(let ref, let outcome):
            put(ref)
            object["exit_code"] = .number(Double(outcome.exitCode))
            object["duration_ms"] = .number(Double(outcome.durationMilliseconds))
            if let path = outcome.stdoutPath { object["stdout_path"] = .string(path) }
            if let digest = outcome.stdoutSHA256 { object["stdout_sha256"] = .string(digest) }
            if let path = outcome.stderrPath { object["stderr_path"] = .string(path) }
            if let digest = outcome.stderrSHA256 { object["stderr_sha256"] = .string(digest) }
        case .captured(let ref, let name, let value):
            put(ref)
            object["name"] = .string(name)
            object["value"] = value
        case .commandSkipped(let ref, let reason):
            put(ref)
            object["reason"] = .string(reason)
        case .toolsChecked(let step, let missing):
            object["step"] = .string(step)
            object["missing"] = strings(missing)
        case .factsLearned(let step, let facts):
            if let step { object["step"] = .string(step) }
            object["facts"] = facts
        case .stepSkipped(let step, let reason):
            object["step"] = .string(step)
            object["reason"] = .string(reason)
        case .stepCompleted(let step):
            object["step"] = .string(step)
        case .stepFailed(let step, let reason):
            object["step"] = .string(step)
            object["reason"] = .string(reason)
        case .analysisRecorded(let step, let name, let result):
            object["step"] = .string(step)
            object["name"] = .string(name)
            object["result"] = result
        case .changeApplied(let change):
            object["step"] = .string(change.step)
            object["summary"] = .string(change.summary)
            object["target"] = .string(change.target)
            object["argv"] = strings(change.argv)
            object["backups"] = strings(change.backupPaths)
            object["rollback_argv"] = .array(change.rollbackArgv.map(strings))
        case .sessionEnded(let reason):
            object["reason"] = .string(reason)
        }
        return .object(object)
    }

    /// Reads an entry back from one parsed journal line.
    public init(jsonValue value: JSONValue) throws(JournalLineError) {
        guard let object = value.objectValue else { throw JournalLineError("the line is not a JSON object") }
        func string(_ key: String) throws(JournalLineError) -> String {
            guard let text = object[key]?.stringValue else { throw JournalLineError("field \"\(key)\" is missing or not a string") }
            return text
        }
        func optionalString(_ key: String) -> String? { object[key]?.stringValue }
        func int(_ key: String) throws(JournalLineError) -> Int {
            guard let number = object[key]?.intValue else { throw JournalLineError("field \"\(key)\" is missing or not an integer") }
            return number
        }
        func strings(_ list: JSONValue?, _ key: String) throws(JournalLineError) -> [String] {
            guard let items = list?.arrayValue else { throw JournalLineError("field \"\(key)\" is missing or not a list") }
            var result: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw JournalLineError("field \"\(key)\" holds a non-string") }
                result.append(text)
            }
            return result
        }
        func ref() throws(JournalLineError) -> CommandRef {
            CommandRef(step: try string("step"), command: try string("command"), item: optionalString("item"))
        }
        func classification() -> CommandClassification? {
            object["mutates"]?.boolValue.map { CommandClassification(mutates: $0, reason: optionalString("classification") ?? "") }
        }

        let timestampText = try string("ts")
        guard let timestamp = JournalTime.date(timestampText) else {
            throw JournalLineError("field \"ts\" is not an ISO 8601 time: \(timestampText)")
        }
        let kind = try string("event")
        let event: JournalEvent
        switch kind {
        case "session_started":
            event = .sessionStarted(runbook: try string("runbook"), changesEnabled: object["changes_enabled"]?.boolValue ?? false)
        case "connection":
            event = .connection(SessionConnection(endpointURL: optionalString("endpoint_url"), profile: optionalString("profile"),
                                                  region: optionalString("region")))
        case "changes_enabled":
            event = .changesEnabled
        case "operator_identified":
            event = .operatorIdentified(callerARN: try string("operator"))
        case "parameter_set":
            let sourceText = try string("origin")
            guard let source = ParameterOrigin.Source(rawValue: sourceText) else {
                throw JournalLineError("field \"origin\" has an unknown value \"\(sourceText)\"")
            }
            event = .parameterSet(name: try string("name"), value: try string("value"),
                                  origin: ParameterOrigin(source: source, detail: optionalString("origin_detail")),
                                  secret: object["secret"]?.boolValue ?? false)
        case "proposed":
            event = .commandProposed(try ref(), argv: try strings(object["argv"], "argv"),
                                     mutates: object["mutates"]?.boolValue ?? false)
        case "confirmed":
            event = .commandConfirmed(try ref())
        case "declined":
            event = .commandDeclined(try ref(), reason: optionalString("reason"))
        case "edited":
            event = .commandEdited(try ref(), argv: try strings(object["argv"], "argv"), classification: classification())
        case "started":
            event = .commandStarted(try ref(), argv: try strings(object["argv"], "argv"), classification: classification())
        case "finished":
            let exitCode = try int("exit_code")
            guard let code = Int32(exactly: exitCode) else { throw JournalLineError("field \"exit_code\" is out of range") }
            event = .commandFinished(try ref(), JournaledOutcome(
                exitCode: code, durationMilliseconds: try int("duration_ms"),
                stdoutPath: optionalString("stdout_path"), stdoutSHA256: optionalString("stdout_sha256"),
                stderrPath: optionalString("stderr_path"), stderrSHA256: optionalString("stderr_sha256")))
        case "captured":
            guard let captured = object["value"] else { throw JournalLineError("field \"value\" is missing") }
            event = .captured(try ref(), name: try string("name"), value: captured)
        case "command_skipped":
            event = .commandSkipped(try ref(), reason: try string("reason"))
        case "tools_checked":
            event = .toolsChecked(step: try string("step"), missing: try strings(object["missing"], "missing"))
        case "facts_learned":
            guard let facts = object["facts"] else { throw JournalLineError("field \"facts\" is missing") }
            event = .factsLearned(step: optionalString("step"), facts: facts)
        case "skipped":
            event = .stepSkipped(step: try string("step"), reason: try string("reason"))
        case "step_completed":
            event = .stepCompleted(step: try string("step"))
        case "step_failed":
            event = .stepFailed(step: try string("step"), reason: try string("reason"))
        case "analysis":
            guard let result = object["result"] else { throw JournalLineError("field \"result\" is missing") }
            event = .analysisRecorded(step: try string("step"), name: try string("name"), result: result)
        case "change_applied":
            guard let rollbackLists = object["rollback_argv"]?.arrayValue else {
                throw JournalLineError("field \"rollback_argv\" is missing or not a list")
            }
            var rollback: [[String]] = []
            for list in rollbackLists { rollback.append(try strings(list, "rollback_argv")) }
            event = .changeApplied(AppliedChange(
                step: try string("step"), summary: try string("summary"), target: try string("target"),
                argv: try strings(object["argv"], "argv"), backupPaths: try strings(object["backups"], "backups"),
                rollbackArgv: rollback))
        case "session_ended":
            event = .sessionEnded(reason: try string("reason"))
        default:
            throw JournalLineError("unknown event \"\(kind)\"")
        }
        self.init(sequence: try int("seq"), timestamp: timestamp, session: try string("session"), event: event)
    }
}
