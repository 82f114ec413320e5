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
        var results: [EventAnalysis] = []
        var skipped = 0
        for event in input.events {
            guard event.isDenied else { skipped += 1; continue }
            results.append(analyzer.analyse(event))
        }
        for problem in input.problems {
            results.append(EventAnalysis(eventID: nil, assessment: AssessmentResult.error,
                                         errorMessage: "unreadable record at \(problem.position): \(problem.message)"))
        }
        return BatchAnalysis(results: results, skippedNotDenied: skipped, unreadableRecords: input.totalProblemCount)
    }

    /// Access Undenied's `--output-file` shape: `{"Results": [ … ]}`.
    public var json: JSONValue {
        .object(JSONObject([("Results", .array(results.map(\.json)))]))
    }
}
