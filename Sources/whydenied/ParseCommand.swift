import ArgumentParser
import Foundation
import WhyDeniedEvidence
import WhyDeniedRedaction
import WhyDeniedSession

/// `whydenied parse [FILE]`: reads an error message or CloudTrail content from a file, a folder
/// of trail files or standard input, and prints what it says as a table or `--json`.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read an AWS error message or CloudTrail events and print the extracted fields.",
        discussion: """
        FILE may be an error message, one CloudTrail record, {"Records": [...]}, a JSON array, JSON \
        lines, lookup-events or filter-log-events output, a .json.gz trail file, or a folder of \
        them. Without FILE (or with -) standard input is read. Only denied events are listed \
        unless --all-events. The runbook parameters the evidence fills are printed with where each \
        came from. Secrets are redacted. Exit status: 0 read, 1 nothing could be read.
        """)

    @Argument(help: "A file or folder; - or nothing for standard input.")
    var file: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "List every event, not only denied ones.")
    var allEvents = false

    func run() throws {
        let summary = try read()
        // One choke point: nothing leaves unredacted, whatever the input carried. JSON structurally.
        let redactor = Redactor()
        let text = json ? redactor.redact(summary.json()).serialized(pretty: true) + "\n" : redactor.redact(summary.table())
        FileHandle.standardOutput.write(Data(text.utf8))
        if summary.kind == .unreadable { throw ExitCode.failure }
    }

    private func read() throws -> EvidenceSummary {
        let now = Date()
        guard let file, file != "-" else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return EvidenceSummary.read(text: String(decoding: data, as: UTF8.self), now: now, allEvents: allEvents)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ParseInputError(description: "\(file): no such file or folder")
        }
        if isDirectory.boolValue {
            do {
                return EvidenceSummary.read(try CloudTrailReader.read(path: file), now: now, allEvents: allEvents)
            } catch {
                throw ParseInputError(description: error.description)
            }
        }
        // A file may be a trail file (maybe gzip) or a saved error message: try CloudTrail first.
        if let result = try? CloudTrailReader.read(path: file), !result.events.isEmpty {
            return EvidenceSummary.read(result, now: now, allEvents: allEvents)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ParseInputError(description: "\(file): cannot be read")
        }
        var summary = EvidenceSummary.read(text: String(decoding: data, as: UTF8.self), now: now, allEvents: allEvents)
        summary.problems = summary.problems.map { "\(file): \($0)" }
        return summary
    }
}

/// An input that cannot be opened: printed as "Error: <what and where>", exit status 1.
struct ParseInputError: Error, CustomStringConvertible {
    var description: String
}
