import WhyDeniedEvidence
import WhyDeniedJSON

/// Analyses every denied event of a CloudTrail read result, in order. Records the reader could
/// not decode become `Error` results naming where they were, so one bad record never hides the
/// rest; events that were not denied are skipped and counted.
///
/// ```swift
/// let batch = BatchAnalysis.run(try CloudTrailFiles.read(path: "events.json"), analyzer: analyzer)
/// batch.results.count        // one per denied event (+ one per unreadable record)
/// ```
public struct BatchAnalysis: Sendable {
    public var results: [EventAnalysis]
    public var skippedNotDenied: Int
    public var unreadableRecords: Int

    public static func run(_ input: CloudTrailReadResult, analyzer: DeniedEventAnalyzer) -> BatchAnalysis {
        let denied = input.events.filter(\.isDenied)
        let skipped = input.events.count - denied.count
        var results = OrderedParallelMap.map(denied) { analyzer.analyse($0) }
        for problem in input.problems {
            results.append(EventAnalysis(eventID: nil, assessment: AssessmentResult.error,
                                         errorMessage: "unreadable record at \(problem.position): \(problem.message)"))
        }
        return BatchAnalysis(results: results, skippedNotDenied: skipped, unreadableRecords: input.totalProblemCount)
    }

    /// Analyses pasted messages, each as the request it reports (`built`: the denied request
    /// made from it, or why none could be); each result names the message it came from.
    public static func run(reported messages: [(message: PastedMessages.Message, built: Result<DeniedRequest, DeniedRequestError>)],
                           problems: [CloudTrailReadProblem], analyzer: DeniedEventAnalyzer) -> BatchAnalysis {
        var results: [EventAnalysis] = OrderedParallelMap.map(messages.map { Reported(message: $0.message, built: $0.built) }) { reported in
            let (message, built) = (reported.message, reported.built)
            var result: EventAnalysis
            switch built {
            case .success(let denied): result = analyzer.analyse(denied, errorMessage: message.denial.normalizedText)
            case .failure(let error): result = EventAnalysis(eventID: nil, assessment: AssessmentResult.error, errorMessage: error.problem)
            }
            result.reportedFrom = message.label
            return result
        }
        for problem in problems {
            var result = EventAnalysis(eventID: nil, assessment: AssessmentResult.error, errorMessage: problem.message)
            result.reportedFrom = PastedMessages.label(of: problem.position)
            results.append(result)
        }
        return BatchAnalysis(results: results, skippedNotDenied: 0, unreadableRecords: problems.count)
    }

    /// A pasted message and the request made from it (a tuple cannot be declared `Sendable`).
    private struct Reported: Sendable {
        var message: PastedMessages.Message
        var built: Result<DeniedRequest, DeniedRequestError>
    }

    /// Access Undenied's `--output-file` shape: `{"Results": [ … ]}`.
    public var json: JSONValue {
        .object(JSONObject([(Self.resultsKey, .array(results.map(\.json)))]))
    }

    public static let resultsKey = "Results"
}
