import Foundation
import WhyDeniedJSON

/// What `whydenied parse` prints for a piece of evidence: the fields of an error message, or the
/// (denied) events of CloudTrail content, plus the runbook parameters they fill, each with where
/// it came from. Pure: text in, rows and JSON out.
///
/// ```swift
/// let summary = EvidenceSummary.read(text: pasted, now: Date())
/// print(summary.table())
/// summary.json().serialized(pretty: true)
/// ```
public struct EvidenceSummary: Sendable {
    public enum Kind: String, Sendable {
        case errorMessage = "error_message"
        case cloudTrail = "cloudtrail"
        case decodedMessage = "decoded_authorization_message"
        case unreadable
    }

    public var kind: Kind
    /// Set for `.errorMessage`.
    public var error: AuthorizationError?
    /// Set for `.decodedMessage`: pasted `sts decode-authorization-message` output.
    public var decoded: DecodedAuthorization?
    /// Set for `.cloudTrail`: the events shown (denied ones unless all were asked for).
    public var events: [EventRow] = []
    public var eventsRead = 0
    public var deniedCount = 0
    public var formats: [CloudTrailInputFormat] = []
    /// Malformed records with their positions, and why nothing could be read.
    public var problems: [String] = []
    public var prefill = Prefill()

    /// One CloudTrail event as the operator needs to see it.
    public struct EventRow: Sendable, Hashable {
        public var time: String
        public var eventID: String
        public var eventSource: String
        public var eventName: String
        /// The IAM action(s) the call needs, e.g. `s3:GetObject`.
        public var actions: [String]
        public var principalArn: String
        public var principalType: String
        public var accessKeyId: String?
        public var errorCode: String
        public var errorMessage: String
        public var region: String
        public var sourceIPAddress: String
        public var vpcEndpointId: String?
        public var resources: [String]
        public var recipientAccountId: String
        public var userAgent: String
        public var readOnly: Bool?

        init(_ event: CloudTrailEvent) {
            time = event.eventTime.map(Timestamp.format) ?? event.eventTimeText ?? "?"
            eventID = event.eventID ?? ""
            eventSource = event.eventSource ?? ""
            eventName = event.eventName ?? ""
            actions = IAMActionName.actions(eventSource: eventSource, eventName: eventName)
            principalArn = event.userIdentity?.arn ?? event.userIdentity?.invokedBy ?? ""
            principalType = event.userIdentity?.type ?? ""
            // Key type stays visible (AKIA long-term, ASIA temporary); the rest is a secret's handle.
            accessKeyId = event.userIdentity?.accessKeyId.map { $0.count > 8 ? String($0.prefix(4)) + "…" + String($0.suffix(4)) : "…" }
            errorCode = event.errorCode ?? ""
            errorMessage = event.errorMessage ?? ""
            region = event.awsRegion ?? ""
            sourceIPAddress = event.sourceIPAddress ?? ""
            vpcEndpointId = event.vpcEndpointId
            resources = ResourceResolver.resolve(event).map(\.arn)
            recipientAccountId = event.recipientAccountId ?? ""
            userAgent = event.userAgent ?? ""
            readOnly = event.readOnly
        }
    }

    /// Reads pasted or piped text: CloudTrail JSON when it holds records, else an error message.
    public static func read(text: String, now: Date, allEvents: Bool = false) -> EvidenceSummary {
        let first = text.utf8.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        var cloudTrailProblem: String?
        if let first, first == UInt8(ascii: "{"), text.utf8.count <= DecodedAuthorization.largestOutput,
           let json = try? JSONValue.parse(text), DecodedAuthorization.looksDecoded(json) {
            do {
                var summary = EvidenceSummary(kind: .decodedMessage)
                summary.decoded = try DecodedAuthorization.read(json)
                summary.prefill = Prefill.from(text: text, now: now)
                return summary
            } catch {
                var summary = EvidenceSummary(kind: .unreadable)
                summary.problems.append(error.description)
                return summary
            }
        }
        if let first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            do {
                let result = try CloudTrailReader.read(text: text, source: "input")
                if !result.events.isEmpty { return read(result, now: now, allEvents: allEvents) }
                cloudTrailProblem = "the JSON holds no CloudTrail events"
                if !result.problems.isEmpty {
                    cloudTrailProblem! += " (" + result.problems.prefix(3).map(\.description).joined(separator: "; ") + ")"
                }
            } catch {
                cloudTrailProblem = error.description
            }
        }
        switch AuthorizationErrorParser.parse(text) {
        case .success(let error):
            var summary = EvidenceSummary(kind: .errorMessage)
            summary.error = error
            summary.prefill = Prefill.from(text: text, now: now)
            return summary
        case .failure(let notAnError):
            var summary = EvidenceSummary(kind: .unreadable)
            if let cloudTrailProblem { summary.problems.append("not CloudTrail content: \(cloudTrailProblem)") }
            summary.problems.append("not an AWS authorization error: \(notAnError.description)")
            return summary
        }
    }

    /// Reads a file or a folder. A folder, a gzip file and a file named like a trail file
    /// (`.json.gz`, `.gz`, `.json`, `.jsonl`, `.ndjson`) are CloudTrail input: what the CloudTrail
    /// reader says is wrong with them is the answer (a corrupt, truncated or non-gzip `.json.gz`),
    /// as `analyze` reports it. Any other file is read like pasted text: CloudTrail JSON, else an
    /// error message.
    ///
    /// ```swift
    /// try EvidenceSummary.read(path: "trail.json.gz", now: .now)  // throws "trail.json.gz: gzip data ends early …"
    /// ```
    public static func read(path: String, now: Date, allEvents: Bool = false) throws(CloudTrailInputError) -> EvidenceSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CloudTrailInputError(source: path, message: "no such file or folder")
        }
        if isDirectory.boolValue { return try read(CloudTrailReader.read(path: path), now: now, allEvents: allEvents) }
        let bytes = try CloudTrailReader.readFile(path)
        // Saved decode-authorization-message output is .json too, but not CloudTrail.
        if !GzipInflater.isGzip(bytes), bytes.count <= DecodedAuthorization.largestOutput,
           let json = try? JSONValue.parse(bytes), DecodedAuthorization.looksDecoded(json) {
            return read(text: String(decoding: bytes, as: UTF8.self), now: now, allEvents: allEvents)
        }
        if GzipInflater.isGzip(bytes) || CloudTrailReader.isTrailFileName(path) {
            var result = try CloudTrailReader.read(bytes: bytes, source: path)
            result.filesRead = 1
            return read(result, now: now, allEvents: allEvents)
        }
        var summary = read(text: String(decoding: bytes, as: UTF8.self), now: now, allEvents: allEvents)
        summary.problems = summary.problems.map { "\(path): \($0)" }
        return summary
    }

    /// Summarises events read from files or text.
    public static func read(_ result: CloudTrailReadResult, now: Date, allEvents: Bool = false) -> EvidenceSummary {
        var summary = EvidenceSummary(kind: .cloudTrail)
        summary.eventsRead = result.events.count
        summary.deniedCount = result.deniedEvents.count
        summary.formats = result.formats
        summary.events = (allEvents ? result.events : result.deniedEvents).map(EventRow.init)
        summary.problems = result.problems.map(\.description)
        if result.uncountedProblemCount > 0 {
            summary.problems.append("… and \(result.uncountedProblemCount) more malformed record(s)")
        }
        summary.prefill = Prefill.from(events: result, now: now)
        if result.events.isEmpty {
            // Read as CloudTrail, but nothing in it: say so (the caller exits non-zero).
            summary.kind = .unreadable
            summary.problems.insert("no CloudTrail events in the input", at: 0)
        }
        return summary
    }

    // MARK: Text

    /// Aligned `field  value  (where)` rows, then events, parameters, notes and problems.
    public func table() -> String {
        var lines: [String] = []
        switch kind {
        case .errorMessage:
            guard let error else { break }
            lines.append("AWS authorization error")
            lines.append(contentsOf: Self.aligned(errorFields(error)))
        case .cloudTrail:
            let formatNames = formats.map(\.rawValue).joined(separator: ", ")
            lines.append("CloudTrail: \(eventsRead) event(s) read (\(formatNames)), \(deniedCount) denied")
            for row in events {
                lines.append("")
                lines.append("\(row.time)  \(row.eventSource) \(row.eventName)  \(row.errorCode.isEmpty ? "(no error)" : row.errorCode)")
                lines.append(contentsOf: Self.aligned(eventFields(row)).map { "  " + $0 })
            }
        case .decodedMessage:
            guard let decoded else { break }
            lines.append("Decoded authorization message (sts decode-authorization-message)")
            lines.append(contentsOf: Self.aligned(decodedFields(decoded)))
        case .unreadable:
            lines.append("Nothing could be read.")
        }
        if !prefill.parameters.isEmpty {
            lines.append("")
            lines.append("Runbook parameters")
            lines.append(contentsOf: Self.aligned(prefill.parameters.map { ($0.name, Self.oneLine($0.value), $0.origin) }))
        }
        for note in prefill.notes { lines.append("note: \(note)") }
        for problem in problems { lines.append("problem: \(problem)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func errorFields(_ error: AuthorizationError) -> [(String, String, String)] {
        func origin(_ field: AuthorizationErrorField) -> String {
            error.origins[field].map { "← \"\(Self.oneLine($0.snippet, limit: 60))\"" } ?? ""
        }
        var rows: [(String, String, String)] = []
        func add(_ name: String, _ value: String?, _ field: AuthorizationErrorField?) {
            guard let value, !value.isEmpty else { return }
            rows.append((name, Self.oneLine(value), field.map(origin) ?? ""))
        }
        add("code", error.code, .code)
        add("operation", error.operation, .operation)
        add("principal", error.principal?.arn ?? error.principalText, .principal)
        if error.principal != nil { add("principal kind", error.principalKind.rawValue, nil) }
        if let session = error.principal?.sessionName { add("session name", session, nil) }
        if let role = error.principal?.roleArn, role != error.principal?.arn { add("role", role, nil) }
        add("account id", error.accountId, .accountId)
        add("action", error.action, .action)
        add("resource", error.resource, .resource)
        add("decision", error.decision.rawValue, .decision)
        add("policy type", error.policyType?.rawValue, .policyType)
        add("policy arn", error.policyArn, .policyArn)
        if let encoded = error.encodedAuthorizationMessage {
            add("encoded message", "\(encoded.prefix(24))… (\(encoded.count) chars): can be decoded, read-only, by", .encodedAuthorizationMessage)
            // Whole, on its own row: the operator copies it (an ARN-like blob is not a secret).
            rows.append(("decode with", DecodedAuthorization.decodeCommand(for: encoded).joined(separator: " "), ""))
        }
        return rows
    }

    private func decodedFields(_ decoded: DecodedAuthorization) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        func add(_ name: String, _ value: String?, _ origin: String = "") {
            guard let value, !value.isEmpty else { return }
            rows.append((name, Self.oneLine(value), origin))
        }
        add("decision", decoded.decision.rawValue, "← allowed, explicitDeny")
        add("principal", decoded.principalArn, "← context.principal.arn")
        add("principal id", decoded.principalId, "← context.principal.id")
        add("action", decoded.iamAction ?? decoded.action, "← context.action")
        add("resource", decoded.resource, "← context.resource")
        for statement in decoded.matchedStatements {
            add("matched statement", statement.summary, "← matchedStatements")
        }
        for entry in decoded.conditions {
            add(entry.key, entry.values.joined(separator: ", "), "← context.conditions")
        }
        for failure in decoded.failures { add("failure", failure, "← failures") }
        return rows
    }

    private func eventFields(_ row: EventRow) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        func add(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            rows.append((name, Self.oneLine(value), ""))
        }
        add("event id", row.eventID)
        add("action", row.actions.joined(separator: ", "))
        add("principal", row.principalArn)
        add("identity type", row.principalType)
        add("access key", row.accessKeyId)
        add("region", row.region)
        add("source ip", row.sourceIPAddress)
        add("vpc endpoint", row.vpcEndpointId)
        add("resource", row.resources.joined(separator: ", "))
        add("account", row.recipientAccountId)
        add("message", row.errorMessage)
        return rows
    }

    static func aligned(_ rows: [(String, String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, value, origin in
            // Not Foundation's `padding`: its first call costs `parse` about 0.7 M instructions.
            let head = name + String(repeating: " ", count: width - name.count) + "  " + value
            return origin.isEmpty ? head : head + "  " + origin
        }
    }

    static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    // MARK: JSON

    /// The machine form: `{"kind", "error" | "events", "parameters", "notes", "problems"}`.
    public func json() -> JSONValue {
        var object = JSONObject()
        object["kind"] = .string(kind.rawValue)
        if let error {
            var fields = JSONObject()
            func put(_ key: String, _ value: String?) { if let value { fields[key] = .string(value) } }
            put("code", error.code)
            put("operation", error.operation)
            put("principal", error.principal?.arn ?? error.principalText)
            if error.principal != nil { put("principalKind", error.principalKind.rawValue) }
            put("sessionName", error.principal?.sessionName)
            put("roleArn", error.principal?.roleArn)
            put("accountId", error.accountId)
            put("action", error.action)
            put("resource", error.resource)
            put("decision", error.decision.rawValue)
            put("policyType", error.policyType?.rawValue)
            put("policyArn", error.policyArn)
            put("encodedAuthorizationMessage", error.encodedAuthorizationMessage)
            if let encoded = error.encodedAuthorizationMessage {
                object["decodeCommand"] = .array(DecodedAuthorization.decodeCommand(for: encoded).map(JSONValue.string))
            }
            var origins = JSONObject()
            for field in AuthorizationErrorField.allCases {
                if let origin = error.origins[field] { origins[field.rawValue] = .string(origin.snippet) }
            }
            fields["origins"] = .object(origins)
            object["error"] = .object(fields)
        }
        if let decoded { object["decoded"] = decoded.summaryJSON }
        if kind == .cloudTrail {
            object["eventsRead"] = .number(Double(eventsRead))
            object["denied"] = .number(Double(deniedCount))
            object["formats"] = .array(formats.map { .string($0.rawValue) })
            object["events"] = .array(events.map(Self.json))
        }
        object["parameters"] = .array(prefill.parameters.map { parameter in
            var entry = JSONObject()
            entry["name"] = .string(parameter.name)
            entry["value"] = .string(parameter.value)
            entry["origin"] = .string(parameter.origin)
            return .object(entry)
        })
        object["notes"] = .array(prefill.notes.map(JSONValue.string))
        object["problems"] = .array(problems.map(JSONValue.string))
        return .object(object)
    }

    static func json(_ row: EventRow) -> JSONValue {
        var entry = JSONObject()
        entry["eventTime"] = .string(row.time)
        entry["eventID"] = .string(row.eventID)
        entry["eventSource"] = .string(row.eventSource)
        entry["eventName"] = .string(row.eventName)
        entry["actions"] = .array(row.actions.map(JSONValue.string))
        entry["principalArn"] = .string(row.principalArn)
        entry["identityType"] = .string(row.principalType)
        if let key = row.accessKeyId { entry["accessKeyId"] = .string(key) }
        entry["errorCode"] = .string(row.errorCode)
        entry["errorMessage"] = .string(row.errorMessage)
        entry["awsRegion"] = .string(row.region)
        entry["sourceIPAddress"] = .string(row.sourceIPAddress)
        if let endpoint = row.vpcEndpointId { entry["vpcEndpointId"] = .string(endpoint) }
        entry["resources"] = .array(row.resources.map(JSONValue.string))
        entry["recipientAccountId"] = .string(row.recipientAccountId)
        entry["userAgent"] = .string(row.userAgent)
        if let readOnly = row.readOnly { entry["readOnly"] = .bool(readOnly) }
        return .object(entry)
    }
}
