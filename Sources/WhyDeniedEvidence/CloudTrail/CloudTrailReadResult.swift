import Foundation

/// The shapes of CloudTrail input the reader recognises.
public enum CloudTrailInputFormat: String, Sendable, Hashable, CaseIterable {
    /// One record object, as copied from the console's event view.
    case singleRecord = "single record"
    /// `{"Records": [...]}`, the S3 trail file layout (also inside `.json.gz`).
    case recordsObject = "Records object"
    /// A top-level JSON list of records.
    case recordList = "list of records"
    /// One record per line (NDJSON), or records concatenated one after another.
    case recordLines = "newline-delimited records"
    /// `aws cloudtrail lookup-events` output: `Events[].CloudTrailEvent` holds the record as a string.
    case lookupEvents = "lookup-events output"
    /// `aws logs filter-log-events` output: `events[].message` holds the record as a string.
    case filterLogEvents = "filter-log-events output"
    /// A decoded CloudWatch Logs subscription payload: `logEvents[].message`.
    case logsSubscription = "CloudWatch Logs subscription data"
}

/// Where a record sits in its input: the file (or `pasted text`), its index in the list or
/// the order of records (0-based), and the 1-based line it starts on when known.
public struct CloudTrailRecordPosition: Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var recordIndex: Int?
    public var line: Int?

    public init(source: String, recordIndex: Int? = nil, line: Int? = nil) {
        self.source = source
        self.recordIndex = recordIndex
        self.line = line
    }

    public var description: String {
        var parts: [String] = [source]
        if let recordIndex { parts.append("record \(recordIndex)") }
        if let line { parts.append("line \(line)") }
        return parts.joined(separator: ", ")
    }
}

/// A record that was skipped, where it was, and what was wrong with it.
///
/// ```swift
/// problem.description  // "trail.json, record 0, line 3: ',' or '}' was expected in an object (line 13, column 9)"
/// ```
public struct CloudTrailReadProblem: Sendable, Hashable, CustomStringConvertible {
    public var position: CloudTrailRecordPosition
    public var message: String

    public init(position: CloudTrailRecordPosition, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(message)" }
}

/// Why an input could not be read at all (not JSON, not a CloudTrail shape, unreadable file).
public struct CloudTrailInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// Everything read from one or more inputs: the decoded events in input order (each with its
/// position), the records that were skipped and why, and the formats seen.
///
/// ```swift
/// let result = try CloudTrailReader.read(text: pasted)
/// result.deniedEvents.first?.eventName
/// result.problems.map(\.description)
/// ```
public struct CloudTrailReadResult: Sendable {
    public var events: [CloudTrailEvent] = []
    /// `positions[i]` is where `events[i]` was read.
    public var positions: [CloudTrailRecordPosition] = []
    public var problems: [CloudTrailReadProblem] = []
    /// Problems beyond `CloudTrailReader.maximumProblemsKept` are only counted.
    public var uncountedProblemCount = 0
    public var formats: [CloudTrailInputFormat] = []
    /// Repairs the reader made, e.g. removing line breaks a terminal inserted inside strings.
    public var notes: [String] = []
    public var filesRead = 0

    public init() {}

    public var deniedEvents: [CloudTrailEvent] { events.filter(\.isDenied) }

    public var totalProblemCount: Int { problems.count + uncountedProblemCount }

    mutating func add(_ event: CloudTrailEvent, at position: CloudTrailRecordPosition) {
        events.append(event)
        positions.append(position)
    }

    mutating func report(_ problem: CloudTrailReadProblem) {
        if problems.count < CloudTrailReader.maximumProblemsKept {
            problems.append(problem)
        } else {
            uncountedProblemCount += 1
        }
    }

    mutating func noteFormat(_ format: CloudTrailInputFormat) {
        if !formats.contains(format) { formats.append(format) }
    }

    mutating func merge(_ other: CloudTrailReadResult) {
        events += other.events
        positions += other.positions
        for problem in other.problems { report(problem) }
        uncountedProblemCount += other.uncountedProblemCount
        for format in other.formats { noteFormat(format) }
        notes += other.notes
        filesRead += other.filesRead
    }
}
