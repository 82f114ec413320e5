import Foundation
import WhyDeniedJSON
import WhyDeniedRedaction

/// Appends events to a session's journal, one redacted JSON line each, and forces every line to
/// disk (fsync) before `append` returns, so the next command never starts before its proposal
/// and confirmation are on disk.
///
/// The file is created 0600; an existing journal is continued (sequence numbers carry on, a
/// cut-short last line is first terminated so the new line starts clean).
///
/// ```swift
/// let journal = try JournalWriter(folder: folder)
/// try journal.append(.commandConfirmed(CommandRef(step: "verify", command: "caller")))
/// ```
public final class JournalWriter: @unchecked Sendable {
    public let url: URL
    public let session: String
    private let handle: FileHandle
    private let lock = NSLock()
    private var nextSequence: Int

    public init(url: URL, session: String) throws {
        self.url = url
        self.session = session
        let manager = FileManager.default
        try SessionStore.makePrivateDirectory(url.deletingLastPathComponent())
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        let existing = try Data(contentsOf: url)
        let reading = JournalReading(data: existing)
        nextSequence = (reading.entries.map(\.sequence).max() ?? 0) + 1
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        if let last = existing.last, last != UInt8(ascii: "\n") {
            try handle.write(contentsOf: Data("\n".utf8))
        }
    }

    public convenience init(folder: SessionFolder) throws {
        try self.init(url: folder.journalURL, session: folder.id)
    }

    deinit {
        try? handle.close()
    }

    /// The sequence number the next appended line will get.
    public var nextSequenceNumber: Int {
        lock.lock()
        defer { lock.unlock() }
        return nextSequence
    }

    /// Appends one event and returns the entry as written (after redaction).
    @discardableResult
    public func append(_ event: JournalEvent, at timestamp: Date = Date()) throws -> JournalEntry {
        lock.lock()
        defer { lock.unlock() }
        let entry = JournalEntry(sequence: nextSequence, timestamp: timestamp, session: session, event: event)
        // Account ids stay: a journal is for resuming, inside the team.
        let line = Redactor(maskAccountIDs: false).redact(entry.jsonValue).serialized() + "\n"
        try handle.write(contentsOf: Data(line.utf8))
        try handle.synchronize()
        nextSequence += 1
        // Return what a reader will get back, not what the caller passed in.
        return (try? JournalEntry(jsonValue: JSONValue.parse(line))) ?? entry
    }
}
