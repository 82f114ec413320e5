import Foundation
import WhyDeniedJSON

/// Something the reader noticed while reading a journal back. A truncated last line is what a
/// crash in the middle of a write leaves; it is dropped and the rest kept.
///
/// ```swift
/// JournalNotice.truncatedLastLine(line: 12, byteCount: 37).description
/// // "line 12: the last line was cut short (37 bytes, probably a crash mid-write); dropped"
/// ```
public enum JournalNotice: Sendable, Hashable, CustomStringConvertible {
    case truncatedLastLine(line: Int, byteCount: Int)
    case malformedLine(line: Int, reason: String)

    public var description: String {
        switch self {
        case .truncatedLastLine(let line, let byteCount):
            "line \(line): the last line was cut short (\(byteCount) bytes, probably a crash mid-write); dropped"
        case .malformedLine(let line, let reason):
            "line \(line): skipped, \(reason)"
        }
    }
}

/// A journal read back: the entries that could be read, in order, and what was noticed.
///
/// ```swift
/// let reading = JournalReading(data: try Data(contentsOf: folder.journalURL))
/// reading.entries.count; reading.notices.map(\.description)
/// ```
public struct JournalReading: Sendable, Hashable {
    public var entries: [JournalEntry]
    public var notices: [JournalNotice]

    public init(entries: [JournalEntry], notices: [JournalNotice]) {
        self.entries = entries
        self.notices = notices
    }

    /// Splits on newlines; blank lines are ignored. Never throws: bad lines become notices.
    public init(data: Data) {
        var entries: [JournalEntry] = []
        var notices: [JournalNotice] = []
        let bytes = [UInt8](data)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            let lineEnd = newline ?? bytes.count
            let line = Array(bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                continue
            }
            let isUnterminatedLast = newline == nil
            do {
                let value = try JSONValue.parse(line)
                entries.append(try JournalEntry(jsonValue: value))
            } catch let error as JSONParseError {
                // Every line is written with its newline in one write, so only the last line
                // can lack it; if that line also fails to parse, the write was cut short.
                if isUnterminatedLast {
                    notices.append(.truncatedLastLine(line: lineNumber, byteCount: line.count))
                } else {
                    notices.append(.malformedLine(line: lineNumber, reason: "not JSON: \(error)"))
                }
            } catch let error as JournalLineError {
                notices.append(.malformedLine(line: lineNumber, reason: error.reason))
            } catch {
                notices.append(.malformedLine(line: lineNumber, reason: "\(error)"))
            }
        }
        self.init(entries: entries, notices: notices)
    }

    /// Reads a journal file. Throws only when the file itself cannot be read.
    public init(contentsOf url: URL) throws {
        self.init(data: try Data(contentsOf: url))
    }
}
