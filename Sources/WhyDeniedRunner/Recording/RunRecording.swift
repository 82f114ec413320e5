import Foundation

/// A recording file: `RunRecord`s as JSON Lines, in the order the processes ran. Reading reports
/// the line of any bad record.
///
/// ```swift
/// let records = try RunRecording.read(from: URL(fileURLWithPath: "session.runs.jsonl"))
/// ```
public enum RunRecording {
    public struct ReadError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    public static func read(from url: URL) throws -> [RunRecord] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ReadError(file: url.path, line: 0, reason: "cannot read the recording: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String = "<recording>") throws -> [RunRecord] {
        var records: [RunRecord] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                records.append(try decoder.decode(RunRecord.self, from: Data(trimmed.utf8)))
            } catch {
                throw ReadError(file: file, line: index + 1, reason: "not a run record (\(error))")
            }
        }
        return records
    }

    public static func line(for record: RunRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(record)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
