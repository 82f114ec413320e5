import ArgumentParser
import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedScan

/// `whydenied scan PATH...`: the denied events in trail files and folders, fast.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find denied events in CloudTrail log files (.json.gz/.json) and folders of them.",
        discussion: """
        Folders are walked recursively; in the S3 delivery layout \
        (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/) files outside --since/--until are \
        skipped by their path. --json prints {"Records": [...]}, which `whydenied parse`, \
        `whydenied analyze --events-file` and the guided session read. A file that is not \
        CloudTrail (its first record is not a CloudTrail record) or cannot be read is reported as a \
        problem and the others are scanned. Exit status: 0 scanned, 1 no input held CloudTrail \
        records.

        Examples:
          whydenied scan AWSLogs/ --principal DataAnalystRole \\
            --since '2 days ago' --action 's3:Get*'
          whydenied scan trail.json.gz --json > denied.json
        """
    )

    @Argument(help: "Trail files or folders.")
    var paths: [String]

    @Option(help: "Only events of this principal (user/role ARN, assumed-role session ARN, or name).")
    var principal: String?

    @Option(help: "Only events at or after this time: ISO 8601 (2024-07-30T21:00:00Z), epoch seconds, or relative (2 hours ago, yesterday).")
    var since: String?

    @Option(help: "Only events at or before this time.")
    var until: String?

    @Option(help: "Only this action, service:Action, wildcards allowed (e.g. s3:Get*).")
    var action: String?

    @Flag(help: "Print the denied records as {\"Records\": [...]} instead of a table.")
    var json = false

    @Option(help: "Worker threads (default: one per core).")
    var workers: Int?

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func run() throws {
        let criteria = ScanCriteria(
            principal: principal,
            since: try since.map { try Self.parseTime($0, option: "--since") },
            until: try until.map { try Self.parseTime($0, option: "--until") },
            action: action
        )
        let found: (kept: [TrailFile], pruned: Int)
        do {
            found = try TrailFileFinder.files(in: paths, since: criteria.since, until: criteria.until)
        } catch {
            throw ValidationError(error.description)
        }
        let scanner = TrailScanner(criteria: criteria, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
        let output = BufferedStandardOutput()
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1
        var first = true
        // Redaction runs on what is printed (the denied records only), never on the records scanned past.
        let redactor = Redactor()
        if json { output.write("{\"Records\":[") }
        let asJSON = json
        // Each worker redacts and renders its own file's denials; only the writing is one at a time.
        let summary = scanner.scan(found.kept, render: { denial in
            asJSON ? redactor.redact(denial.record).serialized() : redactor.redact(Self.tableRow(denial))
        }, onRendered: { rendered in
            if asJSON {
                output.write(first ? "\n" : ",\n")
            } else if first {
                output.write(Self.tableHeader)
            }
            output.write(rendered)
            first = false
        }, onProgress: showProgress ? { summary in
            let line = String(format: "\rfiles %d/%d  events %d  denied %d  %.0f events/s ",
                              summary.filesRead, summary.filesTotal, summary.events, summary.denied, summary.eventsPerSecond)
            FileHandle.standardError.write(Data(line.utf8))
        } : nil)
        if json { output.write("\n]}\n") } else if first { output.write("No denied events found.\n") }
        output.flush()
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        var closing = String(format: "scanned %d file(s) (%d skipped by date), %d events, %d denied, in %.2f s\n",
                             summary.filesRead, found.pruned, summary.events, summary.denied, summary.seconds)
        for problem in summary.problems { closing += "problem: \(problem)\n" }
        FileHandle.standardError.write(Data(redactor.redact(closing).utf8))
        // Files were given but none held CloudTrail: an error, not "no denied events".
        if !found.kept.isEmpty, summary.cloudTrailFiles == 0 {
            FileHandle.standardError.write(Data("Error: no input holds CloudTrail records\n".utf8))
            throw ExitCode.failure
        }
    }

    static let tableHeader = "TIME                  ERROR CODE                    ACTION                              PRINCIPAL / EVENT ID\n"

    static func tableRow(_ denial: DeniedRecord) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
        }
        return pad(denial.eventTime, 22) + pad(denial.errorCode, 30) + pad(denial.action, 36)
            + denial.principal + "  " + denial.eventID + "\n"
    }

    /// An instant (ISO 8601 or epoch) as given, or a relative time such as `2 hours ago` / `yesterday`,
    /// meaning where that frame starts.
    static func parseTime(_ text: String, option: String) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let instant = Timestamp.parseISO(trimmed.uppercased()) ?? Timestamp.parseEpoch(trimmed) { return instant }
        do {
            return try TimeFrame.parse(trimmed, now: Date()).start
        } catch {
            throw ValidationError("\(option): \(error.description)")
        }
    }
}
