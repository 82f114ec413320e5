import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// A lookup step with a plain source, then two grouped alternatives (an asynchronous query that
/// starts, is polled and read), as the access-denied runbook's Athena and Lake paths are.
let groupedRunbook = """
schema: whydenied/runbook@1
id: grouped
title: Grouped
parameters:
  - {name: principal, label: Principal, required: true}
  - {name: region, label: Region, required: true}
steps:
  - id: lookup
    title: Lookup
    guidance: g
    strategy: first_success
    on_failure: {goto: parse}
    commands:
      - id: history
        why: w
        argv: [aws, cloudtrail, lookup-events, --region, "{{params.region}}"]
        fallback_on: ["500"]
        fallback_if_empty: true
        parser: cloudtrail_events
        capture: [{name: events, from: parser, type: list, optional: true}]
      - id: start
        why: w
        group: athena
        argv: [aws, athena, start-query-execution, --query-string, "SELECT 1"]
        fallback_on: ["500"]
        capture: [{name: query_id, select: QueryExecutionId, type: string}]
      - id: wait
        why: w
        group: athena
        when: {capture: query_id, present: true}
        argv: [aws, athena, get-query-execution, --query-execution-id, "{{captures.query_id}}"]
        poll: {select: QueryExecution.Status.State, until: [SUCCEEDED, FAILED], fail_on: [FAILED],
               reason: QueryExecution.Status.StateChangeReason, max_attempts: 12, interval: 500ms..4s}
      - id: results
        why: w
        group: athena
        when: {capture: query_id, present: true}
        argv: [aws, athena, get-query-results, --query-execution-id, "{{captures.query_id}}"]
        paginate: {token_arg: --starting-token, token_field: NextToken, max_pages: 3, items: ResultSet.Rows}
        fallback_if_empty: true
        parser: athena_events
        capture: [{name: athena_events, from: parser, type: list, optional: true}]
      - id: lake
        why: w
        group: lake
        argv: [aws, cloudtrail, start-query, --query-statement, "SELECT 1"]
        fallback_on: ["500"]
        capture: [{name: lake_query_id, select: QueryId, type: string}]
      - id: lake_results
        why: w
        group: lake
        argv: [aws, cloudtrail, get-query-results, --query-id, "{{captures.lake_query_id}}"]
        capture: [{name: lake_events, select: QueryResultRows, type: list}]
  - id: parse
    title: Parse
    guidance: g
    analysis: summarize_denials
"""

@Suite("Polling, groups and fallback_if_empty")
struct PollingAndGroupTests {
    func engine() throws -> StepEngine {
        let runbook = try RunbookLoader.load(text: groupedRunbook, file: "grouped.yaml")
        return StepEngine(runbook: runbook, parameters: ["principal": "ana", "region": "us-east-1"])
    }

    @Test func pollTravelsWithTheProposal() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 0, output: json(#"{"QueryExecutionId": "q-1"}"#)))
        let wait = try #require(proposedCommand(engine))
        #expect(wait.argv == ["aws", "athena", "get-query-execution", "--query-execution-id", "q-1"])
        let polling = try #require(wait.polling)
        #expect(polling.select.description == "QueryExecution.Status.State")
        #expect(polling.until == ["SUCCEEDED", "FAILED"])
        #expect(polling.failOn == ["FAILED"])
        #expect(polling.reason?.description == "QueryExecution.Status.StateChangeReason")
        #expect(polling.maxAttempts == 12)
        #expect(polling.firstIntervalMilliseconds == 500)
        #expect(polling.longestIntervalMilliseconds == 4000)
        try engine.record(CommandResult(commandID: "lookup.wait", exitStatus: 0, output: json("{}")))
        let results = try #require(proposedCommand(engine))
        #expect(results.pagination?.itemsPath?.description == "ResultSet.Rows")
        #expect(results.polling == nil)
    }

    @Test func aGroupRunsToItsEndAndIsTheStepsAnswer() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        // A success inside the group does not end a first_success step ...
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 0, output: json(#"{"QueryExecutionId": "q-1"}"#)))
        #expect(proposedCommand(engine)?.id == "lookup.wait")
        try engine.record(CommandResult(commandID: "lookup.wait", exitStatus: 0, output: json("{}")))
        #expect(proposedCommand(engine)?.id == "lookup.results")
        // ... the group's last success does, and the next alternative (lake) is not tried.
        try engine.record(CommandResult(commandID: "lookup.results", exitStatus: 0, output: json("{}"),
                                         parserCaptures: ["athena_events": .array([.string("e1")])]))
        #expect(engine.state(of: "lookup") == .completed)
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "parse", name: "summarize_denials")))
        #expect(engine.captures["athena_events"] == .array([.string("e1")]))
    }

    @Test func anEmptyAnswerFallsBackToTheNextSourceAndAFallbackLeavesTheGroup() throws {
        var engine = try engine()
        // Event history answered, with nothing: try the next source.
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 0, output: json(#"{"Events": []}"#),
                                         parserCaptures: ["events": .array([])]))
        #expect(proposedCommand(engine)?.id == "lookup.start")
        // Athena is not available: the rest of its group is passed over.
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 255, errorCode: "500"))
        #expect(proposedCommand(engine)?.id == "lookup.lake")
        try engine.record(CommandResult(commandID: "lookup.lake", exitStatus: 0, output: json(#"{"QueryId": "l-1"}"#)))
        #expect(proposedCommand(engine)?.argv == ["aws", "cloudtrail", "get-query-results", "--query-id", "l-1"])
        try engine.record(CommandResult(commandID: "lookup.lake_results", exitStatus: 0, output: json(#"{"QueryResultRows": [[{"a": "b"}]]}"#)))
        #expect(engine.state(of: "lookup") == .completed)
        #expect(engine.history.map(\.result) == [.fellBack(StepEngine.emptyCode), .fellBack("500"), .succeeded, .succeeded])
        #expect(engine.captures["events"] == .array([]))
    }

    @Test func anEmptyLastMemberFallsBackToTheNextGroup() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 0, output: json(#"{"QueryExecutionId": "q-1"}"#)))
        try engine.record(CommandResult(commandID: "lookup.wait", exitStatus: 0, output: json("{}")))
        try engine.record(CommandResult(commandID: "lookup.results", exitStatus: 0, output: json("{}"),
                                         parserCaptures: ["athena_events": .array([])]))
        #expect(proposedCommand(engine)?.id == "lookup.lake")
    }

    @Test func whenEverySourceFindsNothingOrIsUnavailableTheStepFailsSayingSo() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 0, output: json("{}"), parserCaptures: ["events": .array([])]))
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 255, errorCode: "500"))
        try engine.record(CommandResult(commandID: "lookup.lake", exitStatus: 255, errorCode: "500"))
        // No alternative answered with something: on_failure (goto parse) applies, with every reason.
        guard case .failed(let reason)? = engine.state(of: "lookup") else { Issue.record("lookup should fail"); return }
        #expect(reason == "no source answered: lookup.history: nothing found; lookup.start: 500; lookup.lake: 500")
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "parse", name: "summarize_denials")))
    }

    @Test func aFailedPollFollowsOnFailure() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        try engine.record(CommandResult(commandID: "lookup.start", exitStatus: 0, output: json(#"{"QueryExecutionId": "q-1"}"#)))
        try engine.record(CommandResult(commandID: "lookup.wait", exitStatus: 1, errorCode: "FAILED"))
        guard case .failed(let reason)? = engine.state(of: "lookup") else { Issue.record("lookup should fail"); return }
        #expect(reason.contains("lookup.wait failed"))
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "parse", name: "summarize_denials")))
    }

    @Test func skippingAGroupMemberLetsTheGroupGoOn() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        // A read-only session refuses (skips) the first member; the others still run.
        try engine.skip(command: "lookup.start", reason: "read-only")
        // The members that need its capture are passed over; the next alternative follows.
        #expect(proposedCommand(engine)?.id == "lookup.lake")
    }

    // MARK: Loader

    func problems(_ replacing: String, with text: String) -> [String] {
        #expect(groupedRunbook.contains(replacing), "fixture text not found: \(replacing)")
        return lines(groupedRunbook.replacingOccurrences(of: replacing, with: text))
    }

    @Test func theGroupedRunbookLoads() {
        #expect(lines(groupedRunbook) == [])
    }

    @Test func pollNeedsSelectAndUntil() {
        #expect(problems("poll: {select: QueryExecution.Status.State, until: [SUCCEEDED, FAILED], fail_on: [FAILED],",
                         with: "poll: {fail_on: [FAILED],") == [
            "broken.yaml:32: poll is missing the required key \"select\"",
            "broken.yaml:32: poll is missing the required key \"until\"",
            "broken.yaml:32: poll fail_on value \"FAILED\" is not one of until ()",
        ])
    }

    @Test func pollRejectsBadValuesWithTheirLines() {
        #expect(problems("max_attempts: 12, interval: 500ms..4s", with: "max_attempts: 0, interval: 500ms..4s")
                == ["broken.yaml:33: poll max_attempts should be between 1 and 200, found 0"])
        #expect(problems("interval: 500ms..4s", with: "interval: 4s..500ms")
                == ["broken.yaml:33: poll interval \"4s..500ms\" starts longer than it ends"])
        #expect(problems("interval: 500ms..4s", with: "interval: soon")
                == ["broken.yaml:33: poll interval should be a duration such as \"2s\" or a range \"1s..10s\" (each 100ms to 5m), found \"soon\""])
        #expect(problems("fail_on: [FAILED]", with: "fail_on: [BROKEN]")
                == ["broken.yaml:32: poll fail_on value \"BROKEN\" is not one of until (SUCCEEDED, FAILED)"])
        #expect(problems("select: QueryExecution.Status.State,", with: "select: \"QueryExecution..State\",").count == 1)
        #expect(problems("until: [SUCCEEDED, FAILED]", with: "until: [SUCCEEDED, FAILED], every: 2s")
                == ["broken.yaml:32: unknown key \"every\" in poll"])
    }

    @Test func pollAndPaginateTogetherAreRefused() {
        #expect(problems("reason: QueryExecution.Status.StateChangeReason, max_attempts: 12, interval: 500ms..4s}",
                         with: "reason: QueryExecution.Status.StateChangeReason, max_attempts: 12, interval: 500ms..4s}\n        paginate: {max_pages: 2}")
                == ["broken.yaml:32: command \"wait\" has both poll and paginate; read the pages with a following command"])
    }

    @Test func aSplitGroupIsRefused() {
        #expect(problems("        group: lake\n        argv: [aws, cloudtrail, get-query-results",
                         with: "        group: athena\n        argv: [aws, cloudtrail, get-query-results")
                == ["broken.yaml:51: group \"athena\" is split: its commands must follow one another"])
    }

    @Test func fallbackIfEmptyNeedsFirstSuccessAndACapture() {
        #expect(problems("    strategy: first_success\n", with: "").filter { $0.contains("fallback_if_empty") } == [
            "broken.yaml:13: command \"history\": fallback_if_empty needs the step's strategy: first_success",
            "broken.yaml:33: command \"results\": fallback_if_empty needs the step's strategy: first_success",
        ])
        #expect(problems("        parser: cloudtrail_events\n        capture: [{name: events, from: parser, type: list, optional: true}]\n",
                         with: "")
                == ["broken.yaml:14: command \"history\": fallback_if_empty needs a capture to judge emptiness by"])
    }
}
