import ArgumentParser
import Foundation
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedSession

/// `whydenied analyze --events-file F [--account-snapshot DIR | --live] [--json]`: every denied
/// event in a file (or every pasted message, `--message`), analysed against an account snapshot
/// on disk or read live, one result per event.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Explain every denied event in a CloudTrail file and propose the least-privilege fix.",
        discussion: """
        Reads CloudTrail records ({"Records": [...]}, one record, JSON lines, LookupEvents output, \
        .json.gz). Each denied event is evaluated against the policies in --account-snapshot \
        (see docs/analysis.md for the directory format). Without a snapshot only the error \
        message is read. A file or folder with no CloudTrail events is an error (exit status 64, \
        like any unreadable --events-file). --json prints one JSON object per event in the shape Access Undenied \
        prints (EventId, AssessmentResult, ResultDetails) plus whydenied's fields (Decision, \
        DecidingPolicy, DecidingStatement, Explanation, Fix). One bad event never stops the rest. \
        --message FILE|- reads pasted AccessDenied messages instead, one per blank-line-separated \
        block. --live reads the policies of the callers and resources the events name from AWS \
        with read-only aws commands (each printed on standard error, each run once) instead of \
        --account-snapshot.

        Examples:
          whydenied analyze --events-file docs/examples/seed-denied-event.json \\
            --account-snapshot docs/examples/snapshot-seed
          # the denied s3:GetObject, the statement that denied it, and the fix
          whydenied analyze --message error.txt --live --json
        """
    )

    @Option(name: .customLong("events-file"), help: "CloudTrail events: a file or a folder of trail files.")
    var eventsFile: String?

    @Option(help: "Pasted AccessDenied messages, one per blank-line-separated block: a file, or - for standard input.")
    var message: String?

    @Flag(help: "Read the policies of the callers and resources the events name from AWS (read-only) instead of --account-snapshot.")
    var live = false

    @OptionGroup var liveReads: LiveReadOptions

    @Option(name: .customLong("account-snapshot"), help: "Folder holding the account snapshot (index.json and policy files).")
    var accountSnapshot: String?

    @Flag(help: "Print one JSON object per event instead of text.")
    var json = false

    @Option(name: .customLong("output-file"), help: "Also write {\"Results\": [...]} to this file.")
    var outputFile: String?

    func validate() throws {
        if (eventsFile == nil) == (message == nil) { throw ValidationError("give one of --events-file or --message") }
        if live && accountSnapshot != nil { throw ValidationError("--live and --account-snapshot exclude each other: --live reads the policies itself") }
    }

    func run() async throws {
        // The CLI drivers start while the events are read and their targets worked out.
        let commandLauncher = live ? try await LiveAccountReads.commandLauncher(options: liveReads) : nil
        let input: Input = try message.map { .messages(try readMessages($0)) } ?? .events(try readEvents())
        // What the reader had to repair or could not read in a field (invalid UTF-8, …).
        if case .events(let read) = input {
            for note in read.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        }
        var sets: SnapshotPolicySets?
        // With --live: the analysis of the first reads, final when no bucket had to be read in full.
        var firstPass: BatchAnalysis?
        if live {
            let targets = input.liveReadTargets
            let read = try await LiveAccountReads.read(principals: targets.principals, resources: targets.resources,
                                                       vpcEndpoints: targets.vpcEndpoints, objectACLs: false, options: liveReads,
                                                       commandLauncher: commandLauncher) { snapshot in
                let batch = input.analyse(with: DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot)))
                let buckets = DeferredBucketSettings.bucketsToRead(after: batch.results)
                firstPass = buckets.isEmpty ? batch : nil
                return buckets
            }
            for note in read.notes { LiveAccountReads.printError("note: \(note)") }
            LiveAccountReads.printError(read.summary)
            sets = SnapshotPolicySets(read.snapshot)
        } else if let accountSnapshot {
            do {
                sets = SnapshotPolicySets(try AccountSnapshot.load(from: URL(fileURLWithPath: accountSnapshot)))
            } catch {
                throw ValidationError("--account-snapshot \(accountSnapshot): \(error)")
            }
            for (file, problem) in sets?.invalidPolicies ?? [] {
                FileHandle.standardError.write(Data(Redactor().redact("warning: snapshot policy \(file) is not valid (\(problem)); events that need it are reported as errors\n").utf8))
            }
        }
        let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: sets)
        let batch = firstPass ?? input.analyse(with: analyzer)

        let output = BufferedStandardOutput()
        let redactor = Redactor()
        // Each result through the redactor and the JSON writer once, on every core: standard output
        // and the file are the same serialized results.
        let serialized = json || outputFile != nil
            ? OrderedParallelMap.map(batch.results) { redactor.redact($0.json).serialized(pretty: true) } : []
        let printed = json ? serialized.map { $0 + "\n" }
            : OrderedParallelMap.map(batch.results) { redactor.redact(Self.text($0)) }
        for text in printed { output.write(text) }
        output.flush()
        if let outputFile {
            do {
                let file = JSONValue.prettyObject(key: BatchAnalysis.resultsKey, arrayOfPretty: serialized)
                try Data((file + "\n").utf8).write(to: URL(fileURLWithPath: outputFile))
            } catch {
                throw ValidationError("--output-file \(outputFile): \(error.localizedDescription)")
            }
        }
        let summary = switch input {
        case .events: "analyzed \(batch.results.count) denied event(s); \(batch.skippedNotDenied) not denied, skipped; \(batch.unreadableRecords) unreadable record(s)\n"
        case .messages(let read): "analyzed \(read.messages.count) reported request(s) from pasted messages (no event); \(batch.unreadableRecords) block(s) not an authorization error\n"
        }
        FileHandle.standardError.write(Data(summary.utf8))
        // Undecided is never "allowed": 3, as `evaluate` and `run` say it. The process ends here,
        // its batch not freed value by value (every output is written and flushed above; the CLI
        // drivers end by themselves when their sockets close, the forked ones reaped by the first).
        Foundation.exit(batch.results.contains(where: { $0.decision == .undecided }) ? 3 : 0)
    }

    /// What is analysed: the events of --events-file, or the requests pasted messages report.
    enum Input {
        case events(CloudTrailReadResult)
        case messages(PastedMessages.Read)

        /// Each message's request, built once from the parser's reading (no made-up event).
        var reported: [(message: PastedMessages.Message, built: Result<DeniedRequest, DeniedRequestError>)] {
            guard case .messages(let read) = self else { return [] }
            return read.messages.map { message in
                do {
                    let request = try ReportedDenial.request(message: message.denial, parameters: [:], facts: [:])
                    return (message, .success(try DeniedRequest(reported: request, catalog: .bundled)))
                } catch let error as DeniedRequestError {
                    return (message, .failure(error))
                } catch {
                    return (message, .failure(DeniedRequestError(eventID: nil, problem: "\(error)")))
                }
            }
        }

        var liveReadTargets: LiveReadTargets {
            switch self {
            case .events(let read): LiveReadTargets(read.events.filter(\.isDenied), catalog: .bundled)
            case .messages: LiveReadTargets(requests: reported.compactMap { try? $0.built.get() })
            }
        }

        func analyse(with analyzer: DeniedEventAnalyzer) -> BatchAnalysis {
            switch self {
            case .events(let read): BatchAnalysis.run(read, analyzer: analyzer)
            case .messages(let read): BatchAnalysis.run(reported: reported, problems: read.problems, analyzer: analyzer)
            }
        }
    }

    /// The pasted messages of --message, one per blank-line-separated block.
    func readMessages(_ message: String) throws -> PastedMessages.Read {
        let text: String
        if message == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            do { text = try String(contentsOfFile: message, encoding: .utf8) } catch {
                throw ValidationError("--message \(message): \(error.localizedDescription)")
            }
        }
        let read = PastedMessages.read(text, source: message == "-" ? "standard input" : message)
        guard !read.messages.isEmpty else {
            let why = read.problems.prefix(3).map(\.description)
            throw ValidationError("--message \(message): no AccessDenied message in it" + (why.isEmpty ? "" : " (\(why.joined(separator: "; ")))"))
        }
        return read
    }

    /// The events of --events-file.
    func readEvents() throws -> CloudTrailReadResult {
        let eventsFile = eventsFile ?? ""
        let input: CloudTrailReadResult
        do {
            input = try CloudTrailReader.read(path: eventsFile)
        } catch {
            throw ValidationError("--events-file: \(error.description)")
        }
        guard !input.events.isEmpty else {
            let why = input.problems.prefix(3).map(\.description)
            throw ValidationError("--events-file: \(eventsFile): no CloudTrail events in it" + (why.isEmpty ? "" : " (\(why.joined(separator: "; ")))"))
        }
        return input
    }

    /// A few lines per event for a person: verdict, why, and the fix with its commands.
    static func text(_ result: EventAnalysis) -> String {
        var lines: [String] = []
        let call = result.denied.map { "\($0.eventSource) \($0.eventName) by \($0.principal.arn)" } ?? ""
        if let reported = result.reportedFrom {
            lines.append(result.denied == nil
                ? "Pasted message at \(reported): not analysed"
                : "Reported request (no event; from the pasted message at \(reported))  \(call)")
        } else {
            lines.append("Event \(result.eventID ?? "(no eventID)")  \(call)")
        }
        lines.append("  \(result.assessment)")
        if let deciding = result.deciding { lines.append("  Why: \(deciding.result.deciding.summary)") }
        if let message = result.errorMessage { lines.append("  \(message)") }
        if let fix = result.fix {
            lines.append("  Fix: \(fix.summary)")
            for condition in fix.failedConditions {
                lines.append("    condition \(condition.operator) \(condition.key) \(condition.expectedValues.joined(separator: ", ")); request had \(condition.requestValues?.joined(separator: ", ") ?? "no value")")
            }
            for add in fix.policiesToAdd {
                lines.append("    add to \(add.attachmentTargetArn) (\(add.target.operatorWords)):")
                if let placement = result.placements.first(where: { $0.targetArn == add.attachmentTargetArn }) {
                    lines.append("    owner: \(placement.owner.whereTheChangeBelongs)")
                    if placement.code != nil { lines.append("    (Terraform and CloudFormation for it: --json, FixPlacements)") }
                }
                lines.append(add.policy.serialized(pretty: true).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
                for reason in add.reasons { lines.append("      - \(reason.element) = \(reason.value): \(reason.reason)") }
            }
            for edit in fix.denyEdits {
                lines.append("    \(edit.description)")
            }
            for warning in fix.warnings { lines.append("    warning: \(warning)") }
            for extra in fix.possibleExtraActions { lines.append("    may also need \(extra.action) when \(extra.when)") }
            for command in fix.commands {
                lines.append("    \(command.alternative ? "(alternative) " : "")\(command.purpose):")
                lines.append("      " + ArgvDisplay.line(command.argv))
            }
        }
        for note in result.notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n") + "\n\n"
    }
}
