import Foundation
import WhyDeniedJSON

/// Reads CloudTrail records from whatever an operator has: one record, `{"Records": [...]}`,
/// a JSON list, newline-delimited or concatenated records, `aws cloudtrail lookup-events`
/// output, `aws logs filter-log-events` output, gzip-compressed variants of all of these, and
/// (see `CloudTrailReader.read(path:)`) files and directories of trail files.
///
/// A malformed record is reported with its position and skipped; the rest is still read. Input
/// that holds no CloudTrail at all (binary, plain text, other JSON) throws a
/// `CloudTrailInputError` saying what was found.
///
/// ```swift
/// let result = try CloudTrailReader.read(text: #"{"Records": [{"eventName": "GetObject", ...}]}"#)
/// result.formats        // [.recordsObject]
/// result.deniedEvents   // the records with an access-denied error code
/// ```
public enum CloudTrailReader {
    /// Problems kept with full detail; any more are only counted.
    public static let maximumProblemsKept = 100
    /// Line-by-line reading gives up when this many lines in a row fail before any succeeds.
    static let linesBeforeGivingUp = 20
    /// Resynchronisation attempts after malformed records in one list.
    static let maximumRecoveries = 200

    public static func read(text: String, source: String = "pasted text") throws(CloudTrailInputError) -> CloudTrailReadResult {
        try read(bytes: Array(text.utf8), source: source)
    }

    public static func read(bytes input: [UInt8], source: String) throws(CloudTrailInputError) -> CloudTrailReadResult {
        var bytes = input
        if GzipInflater.isGzip(bytes) {
            do {
                bytes = try GzipInflater.decompress(bytes)
            } catch {
                throw CloudTrailInputError(source: source, message: "\(error)")
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            throw CloudTrailInputError(source: source, message: "the input is empty")
        }
        if bytes.prefix(65_536).contains(0) {
            throw CloudTrailInputError(source: source, message: "binary data, not text: expected CloudTrail JSON (or a .json.gz file)")
        }
        var result = try readText(bytes, source: source)
        // Invalid UTF-8 becomes U+FFFD when the JSON is read: say which fields it changed.
        if String(validating: bytes, as: UTF8.self) == nil {
            result.notes += InvalidUTF8Fields.notes(in: result)
        }
        return result
    }

    /// Reads JSON text (not compressed, not empty, not binary) in whichever layout it has.
    static func readText(_ bytes: [UInt8], source: String) throws(CloudTrailInputError) -> CloudTrailReadResult {
        let firstError: JSONParseError
        do {
            let value = try JSONValue.parse(bytes)
            return try interpretDocument(value, bytes: bytes, source: source)
        } catch let error as JSONParseError {
            firstError = error
        } catch let error as CloudTrailInputError {
            throw error
        } catch {
            throw CloudTrailInputError(source: source, message: "\(error)")
        }

        // Text hard-wrapped by a terminal or a document: line breaks inside strings.
        if firstError.message.contains("control character"),
           let repaired = JSONTextLayout.removingLineBreaksInsideStrings(bytes),
           let value = try? JSONValue.parse(repaired) {
            var result = try interpretDocument(value, bytes: repaired, source: source)
            result.notes.append("line breaks inside JSON strings were removed (the text looked hard-wrapped)")
            return result
        }
        if let result = readConcatenatedDocuments(bytes, source: source) { return result }
        let layout = JSONTextLayout(bytes)
        if let list = layout.listStart(forKeys: ["Records", "Events", "events", "logEvents"]) {
            let recovered = recoverList(bytes, arrayStart: list.offset, container: Container(listKey: list.key), source: source)
            if recovered.events.isEmpty, let first = recovered.problems.first {
                throw CloudTrailInputError(source: source, message: "not valid JSON, and no record could be read: \(first.position.recordIndex.map { "record \($0)" } ?? "")\(first.position.line.map { " at line \($0)" } ?? ""): \(first.message)")
            }
            return recovered
        }
        if bytes.contains(0x0A) {
            return try readLines(bytes, source: source, firstError: firstError)
        }
        throw CloudTrailInputError(source: source, message: "not valid JSON (\(firstError)); expected CloudTrail JSON")
    }

    // MARK: - Containers

    /// What kind of list the elements come from, which decides how an element holds its record.
    enum Container {
        case records, list, lookupEvents, filterLogEvents, logsSubscription

        init(listKey: String?) {
            switch listKey {
            case "Records": self = .records
            case "Events": self = .lookupEvents
            case "events": self = .filterLogEvents
            case "logEvents": self = .logsSubscription
            default: self = .list
            }
        }

        var key: String? {
            switch self {
            case .records: return "Records"
            case .lookupEvents: return "Events"
            case .filterLogEvents: return "events"
            case .logsSubscription: return "logEvents"
            case .list: return nil
            }
        }

        var format: CloudTrailInputFormat {
            switch self {
            case .records: return .recordsObject
            case .list: return .recordList
            case .lookupEvents: return .lookupEvents
            case .filterLogEvents: return .filterLogEvents
            case .logsSubscription: return .logsSubscription
            }
        }

        func elementName(_ index: Int) -> String {
            "\(key ?? "")[\(index)]"
        }

        /// True when a value parsed after a malformed element looks like the next element.
        func looksLikeElement(_ value: JSONValue) -> Bool {
            guard case .object(let object) = value else { return false }
            switch self {
            case .records, .list: return CloudTrailEvent.looksLikeRecord(object) || object["event"]?.objectValue.map(CloudTrailEvent.looksLikeRecord) == true
            case .lookupEvents: return object["CloudTrailEvent"] != nil || object["EventId"] != nil
            case .filterLogEvents, .logsSubscription: return object["message"] != nil
            }
        }
    }

    static func interpretDocument(_ value: JSONValue, bytes: [UInt8], source: String) throws(CloudTrailInputError) -> CloudTrailReadResult {
        var result = CloudTrailReadResult()
        switch value {
        case .array(let items):
            readList(items, container: .list, bytes: bytes, source: source, into: &result)
        case .object(let object):
            for container in [Container.records, .lookupEvents, .filterLogEvents, .logsSubscription] {
                guard let key = container.key, let found = object[key] else { continue }
                guard case .array(let items) = found else {
                    throw CloudTrailInputError(source: source, message: "\(key) is \(RecordFieldReader.describe(found)), a list was expected")
                }
                readList(items, container: container, bytes: bytes, source: source, into: &result)
                return result
            }
            do {
                let event = try record(from: value)
                result.noteFormat(.singleRecord)
                result.add(event, at: CloudTrailRecordPosition(source: source, recordIndex: 0, line: 1))
            } catch {
                throw CloudTrailInputError(source: source, message: "JSON, but not CloudTrail: the object \(error.problem.replacingOccurrences(of: "is not a CloudTrail record: ", with: "")). Expected a record, {\"Records\": [...]}, lookup-events output (Events[].CloudTrailEvent), filter-log-events output (events[].message) or a list of records")
            }
        case .string(let inner):
            // The record itself was pasted as a JSON string (quoted and escaped).
            let trimmed = inner.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else {
                throw CloudTrailInputError(source: source, message: "a JSON string, not CloudTrail JSON")
            }
            return try read(text: trimmed, source: source)
        default:
            throw CloudTrailInputError(source: source, message: "JSON \(RecordFieldReader.describe(value)), not CloudTrail JSON")
        }
        return result
    }

    static func readList(_ items: [JSONValue], container: Container, bytes: [UInt8], source: String, into result: inout CloudTrailReadResult) {
        result.noteFormat(container.format)
        var layout = JSONTextLayout(bytes)
        var starts: [Int]?
        func position(_ index: Int) -> CloudTrailRecordPosition {
            if starts == nil {
                let arrayStart = layout.listStart(forKeys: container.key.map { [$0] } ?? [])?.offset
                starts = arrayStart.map { layout.elementStarts(arrayStart: $0) } ?? []
            }
            let line = (starts?.count == items.count) ? starts.map { layout.line(at: $0[index]) } : nil
            return CloudTrailRecordPosition(source: source, recordIndex: index, line: line)
        }
        for (index, item) in items.enumerated() {
            switch decodeElement(item, container: container, index: index) {
            case .success(let event): result.add(event, at: position(index))
            case .failure(let problem): result.report(CloudTrailReadProblem(position: position(index), message: problem.description))
            }
        }
    }

    /// Decodes one list element into a record, according to the list it came from.
    static func decodeElement(_ item: JSONValue, container: Container, index: Int) -> Result<CloudTrailEvent, CloudTrailRecordError> {
        let name = container.elementName(index)
        do throws(CloudTrailRecordError) {
            switch container {
            case .records, .list:
                return .success(try record(from: item))
            case .lookupEvents:
                guard case .object(let entry) = item else {
                    throw CloudTrailRecordError(field: name, problem: "is \(RecordFieldReader.describe(item)), an event object was expected")
                }
                guard let embedded = entry["CloudTrailEvent"]?.stringValue else {
                    throw CloudTrailRecordError(field: "\(name).CloudTrailEvent", problem: "is missing or not a string")
                }
                var event = try embeddedRecord(embedded, field: "\(name).CloudTrailEvent")
                if event.eventTime == nil, let outer = entry["EventTime"] {
                    event.eventTime = outer.doubleValue.flatMap { Timestamp.epoch($0) } ?? outer.stringValue.flatMap(Timestamp.parseISO)
                }
                return .success(event)
            case .filterLogEvents, .logsSubscription:
                guard case .object(let entry) = item else {
                    throw CloudTrailRecordError(field: name, problem: "is \(RecordFieldReader.describe(item)), a log event object was expected")
                }
                guard let message = entry["message"]?.stringValue else {
                    throw CloudTrailRecordError(field: "\(name).message", problem: "is missing or not a string")
                }
                return .success(try embeddedRecord(message, field: "\(name).message"))
            }
        } catch {
            if container == .records || container == .list, error.field.isEmpty {
                return .failure(CloudTrailRecordError(field: name.isEmpty ? "" : name, problem: error.problem))
            }
            return .failure(error)
        }
    }

    /// A record held as a JSON string inside another document.
    static func embeddedRecord(_ text: String, field: String) throws(CloudTrailRecordError) -> CloudTrailEvent {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            if let repaired = JSONTextLayout.removingLineBreaksInsideStrings(Array(text.utf8)), let fixed = try? JSONValue.parse(repaired) {
                value = fixed
            } else {
                throw CloudTrailRecordError(field: field, problem: "is not valid JSON (\(error))")
            }
        }
        do {
            return try record(from: value)
        } catch {
            throw CloudTrailRecordError(field: error.field.isEmpty ? field : "\(field) \(error.field)", problem: error.problem)
        }
    }

    /// A record, or a record wrapped with provenance as `{"event": {...}}` (Panther test files).
    static func record(from value: JSONValue) throws(CloudTrailRecordError) -> CloudTrailEvent {
        if case .object(let object) = value, !CloudTrailEvent.looksLikeRecord(object),
           let inner = object["event"], case .object(let innerObject) = inner, CloudTrailEvent.looksLikeRecord(innerObject) {
            do {
                return try CloudTrailEvent(record: inner)
            } catch {
                throw CloudTrailRecordError(field: error.field.isEmpty ? "event" : "event.\(error.field)", problem: error.problem)
            }
        }
        return try CloudTrailEvent(record: value)
    }

    // MARK: - Recovery from broken text

    /// Several JSON documents one after another (NDJSON, or concatenated records). Nil unless
    /// every document parses.
    static func readConcatenatedDocuments(_ bytes: [UInt8], source: String) -> CloudTrailReadResult? {
        var documents: [(value: JSONValue, offset: Int)] = []
        var offset = 0
        while true {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
            if offset >= bytes.count { break }
            guard let (value, end) = try? JSONValue.parsePrefix(bytes, from: offset) else { return nil }
            documents.append((value, offset))
            offset = end
        }
        guard documents.count >= 2 else { return nil }
        var layout = JSONTextLayout(bytes)
        var result = CloudTrailReadResult()
        for (index, document) in documents.enumerated() {
            readDocumentInSequence(document.value, index: index, line: layout.line(at: document.offset), source: source, into: &result)
        }
        return result
    }

    static func readDocumentInSequence(_ value: JSONValue, index: Int, line: Int, source: String, into result: inout CloudTrailReadResult) {
        let position = CloudTrailRecordPosition(source: source, recordIndex: index, line: line)
        if case .object(let object) = value, !CloudTrailEvent.looksLikeRecord(object),
           object["Records"] != nil || object["Events"] != nil || object["events"] != nil || object["logEvents"] != nil {
            // A whole Records file per line: positions inside it carry the line it started on.
            if let inner = try? interpretDocument(value, bytes: [], source: source) {
                for (event, innerPosition) in zip(inner.events, inner.positions) {
                    result.add(event, at: CloudTrailRecordPosition(source: source, recordIndex: innerPosition.recordIndex, line: line))
                }
                for problem in inner.problems {
                    result.report(CloudTrailReadProblem(position: CloudTrailRecordPosition(source: source, recordIndex: problem.position.recordIndex, line: line), message: problem.message))
                }
                for format in inner.formats { result.noteFormat(format) }
                return
            }
        }
        result.noteFormat(.recordLines)
        do {
            result.add(try record(from: value), at: position)
        } catch {
            result.report(CloudTrailReadProblem(position: position, message: error.description))
        }
    }

    /// One document per line; a line that is not JSON is reported and skipped.
    static func readLines(_ bytes: [UInt8], source: String, firstError: JSONParseError) throws(CloudTrailInputError) -> CloudTrailReadResult {
        var result = CloudTrailReadResult()
        var succeeded = 0
        var failedBeforeAnySuccess = 0
        var documentIndex = 0
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            lineNumber += 1
            guard line.contains(where: { ![0x20, 0x0D, 0x09].contains($0) }) else { continue }
            defer { documentIndex += 1 }
            do {
                let value = try JSONValue.parse(Array(line))
                let before = result.events.count
                readDocumentInSequence(value, index: documentIndex, line: lineNumber, source: source, into: &result)
                if result.events.count > before { succeeded += 1 }
                if result.events.count == before, succeeded == 0 { failedBeforeAnySuccess += 1 }
            } catch {
                result.report(CloudTrailReadProblem(position: CloudTrailRecordPosition(source: source, recordIndex: documentIndex, line: lineNumber),
                                                    message: "not valid JSON (column \(error.column): \(error.message))"))
                if succeeded == 0 { failedBeforeAnySuccess += 1 }
            }
            if succeeded == 0, failedBeforeAnySuccess >= linesBeforeGivingUp { break }
        }
        guard succeeded > 0 else {
            var message = "not valid JSON (\(firstError)); expected CloudTrail JSON"
            if let first = result.problems.first, result.formats.contains(.recordLines) {
                message = "no CloudTrail record in the first lines; \(first.description)"
            }
            throw CloudTrailInputError(source: source, message: message)
        }
        result.noteFormat(.recordLines)
        return result
    }

    /// A list whose text is broken somewhere: reads element by element, reports each broken
    /// element with its position, and resumes at the next element that parses.
    static func recoverList(_ bytes: [UInt8], arrayStart: Int, container: Container, source: String) -> CloudTrailReadResult {
        var result = CloudTrailReadResult()
        result.noteFormat(container.format)
        var layout = JSONTextLayout(bytes)
        var offset = arrayStart + 1
        var index = 0
        var recoveries = 0
        func skipWhitespace() {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
        }
        reading: while offset < bytes.count {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] != UInt8(ascii: "]") else { break }
            let start = offset
            let position = CloudTrailRecordPosition(source: source, recordIndex: index, line: layout.line(at: start))
            do {
                let (value, end) = try JSONValue.parsePrefix(bytes, from: start)
                switch decodeElement(value, container: container, index: index) {
                case .success(let event): result.add(event, at: position)
                case .failure(let problem): result.report(CloudTrailReadProblem(position: position, message: problem.description))
                }
                index += 1
                offset = end
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { break }
                result.report(CloudTrailReadProblem(position: CloudTrailRecordPosition(source: source, recordIndex: index, line: layout.line(at: offset)),
                                                    message: "',' or ']' was expected after \(container.elementName(index - 1))"))
            } catch {
                result.report(CloudTrailReadProblem(position: position, message: "malformed JSON (line \(error.line), column \(error.column): \(error.message))"))
                index += 1
            }
            // Resume at the next `}, {` whose object looks like an element of this list.
            recoveries += 1
            guard recoveries <= maximumRecoveries else {
                result.report(CloudTrailReadProblem(position: CloudTrailRecordPosition(source: source, recordIndex: index, line: layout.line(at: offset)),
                                                    message: "too many malformed records; the rest was not read"))
                break
            }
            for candidate in layout.nextElementCandidates(after: start) {
                if let (value, _) = try? JSONValue.parsePrefix(bytes, from: candidate), container.looksLikeElement(value) {
                    offset = candidate
                    continue reading
                }
            }
            break
        }
        return result
    }
}
