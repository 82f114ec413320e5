import ArgumentParser
import Foundation
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedSession

/// `whydenied report SESSION --format md|json [--out F] [--mask-accounts]`: a session's report,
/// redacted, ready for a ticket (Markdown) or a machine (JSON, schema whydenied/report@1).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Export a session's report as Markdown or JSON (secrets always redacted).",
        discussion: """
        SESSION is a session id (see `whydenied resume`) or the path of a session folder. \
        Without --out the report is printed. --mask-accounts also hides 12-digit account ids, \
        for sharing outside the team. The JSON schema is docs/report.schema.json.

        Examples:
          whydenied report 20260130-101500-seed --format md --out report.md \\
            --mask-accounts
        """
    )

    @Argument(help: "Session id or session folder.")
    var session: String

    @Option(help: "md or json.")
    var format: ReportFormatOption = .md

    @Option(help: "Write the report to this file (created 0600) instead of printing it.")
    var out: String?

    @Flag(help: "Mask 12-digit account ids as ************.")
    var maskAccounts = false

    func run() throws {
        let folder = try SessionLocator.folder(for: session)
        let exportFormat: ReportExport.Format = format == .md ? .markdown : .json
        // The bundled runbook names the steps; without it the report shows their ids.
        let runbook = try? RunbookLoader.load(contentsOf: try RunbookFile.locate(nil), classifier: CommandClassifier.bundled)
        if let out {
            let written = try ReportExport.write(folder: folder, format: exportFormat, maskAccountIDs: maskAccounts,
                                                 runbook: runbook, to: URL(fileURLWithPath: out))
            for notice in written.notices { FileHandle.standardError.write(Data("journal: \(notice)\n".utf8)) }
            print("Report written to \(written.url.path)")
        } else {
            let rendered = try ReportExport.render(folder: folder, format: exportFormat, maskAccountIDs: maskAccounts, runbook: runbook)
            for notice in rendered.notices { FileHandle.standardError.write(Data("journal: \(notice)\n".utf8)) }
            print(rendered.text, terminator: "")
        }
    }
}

enum ReportFormatOption: String, ExpressibleByArgument, CaseIterable {
    case md, json
}

/// Finds a session by id in the state directory, or by the path of its folder.
enum SessionLocator {
    static func folder(for text: String) throws -> SessionFolder {
        let store = SessionStore(environment: ProcessInfo.processInfo.environment)
        if let folder = store.session(id: text) { return folder }
        var url = URL(fileURLWithPath: text)
        if url.lastPathComponent == SessionFolder.journalName { url.deleteLastPathComponent() }
        let journal = url.appendingPathComponent(SessionFolder.journalName)
        if FileManager.default.fileExists(atPath: journal.path) {
            return SessionFolder(id: url.lastPathComponent, url: url)
        }
        throw ValidationError("No session \"\(text)\": not an id under \(store.root.path) nor a folder holding \(SessionFolder.journalName). `whydenied resume` lists the sessions.")
    }
}
