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
        came from. Secrets are redacted. A folder, a gzip file or a file named .json.gz, .gz, .json, \
        .jsonl or .ndjson is read as CloudTrail: a corrupt, truncated or non-gzip file is an error \
        that says what is wrong. Exit status: 0 read, 1 nothing could be read (including input \
        with no CloudTrail events).

        Examples:
          whydenied parse docs/examples/seed-denied-event.json
          whydenied parse --json - < error.txt   # a saved message, from stdin
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
        do {
            return try EvidenceSummary.read(path: file, now: now, allEvents: allEvents)
        } catch {
            throw ParseInputError(description: error.description)
        }
    }
}

/// An input that cannot be opened: printed as "Error: <what and where>", exit status 1.
struct ParseInputError: Error, CustomStringConvertible {
    var description: String
}
