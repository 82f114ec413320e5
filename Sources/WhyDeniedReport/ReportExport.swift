import Foundation
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedSession

/// Writes a session's report: what `whydenied report` and the TUI's `e` key call. Reads the
/// journal, redacts, renders, and writes the file 0600 (default: `report.md` / `report.json`
/// in the session folder).
///
/// ```swift
/// let written = try ReportExport.write(folder: folder, format: .markdown, maskAccountIDs: false)
/// written.url.path    // ~/.local/state/whydenied/sessions/<id>/report.md
/// ```
public enum ReportExport {
    public enum Format: String, Sendable, CaseIterable {
        case markdown = "md", json

        public var fileExtension: String { rawValue }
    }

    public struct Written: Sendable {
        public var url: URL
        public var notices: [JournalNotice]
    }

    /// The report text for a session folder. `runbook`, when it is the one the session ran, gives
    /// the steps' titles and the commands' words in place of their ids.
    public static func render(folder: SessionFolder, format: Format, maskAccountIDs: Bool,
                              runbook: Runbook? = nil) throws -> (text: String, notices: [JournalNotice]) {
        let reading = try JournalReading(contentsOf: folder.journalURL)
        let session = RecordedSession(id: folder.id, reading: reading)
        let redactor = Redactor(maskAccountIDs: maskAccountIDs)
        let report = SessionReport(session: session, redactor: redactor, runbookDefinition: runbook)
        // Second pass over the finished text: anything a renderer added is redacted too.
        let text: String
        switch format {
        case .markdown: text = redactor.redact(report.markdown)
        case .json: text = redactor.redact(report.jsonValue).serialized(pretty: true) + "\n"
        }
        return (text, reading.notices)
    }

    public static func write(folder: SessionFolder, format: Format, maskAccountIDs: Bool, runbook: Runbook? = nil,
                             to destination: URL? = nil) throws -> Written {
        let (text, notices) = try render(folder: folder, format: format, maskAccountIDs: maskAccountIDs, runbook: runbook)
        let url = destination ?? folder.url.appendingPathComponent("report.\(format.fileExtension)")
        let manager = FileManager.default
        if manager.fileExists(atPath: url.path) { try manager.removeItem(at: url) }
        guard manager.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return Written(url: url, notices: notices)
    }
}
