import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// A runbook exercising each engine feature; the line numbers don't matter here.
let engineRunbook = """
schema: whydenied/runbook@1
id: engine-test
title: Engine test
parameters:
  - {name: principal, label: Principal, required: true}
  - {name: region, label: Region, required: true}
  - {name: resource, label: Resource}
steps:
  - id: verify
    title: Verify
    guidance: g
    checks: [{tool: aws}]
    commands:
      - id: caller
        why: w
        argv: [aws, sts, get-caller-identity]
        capture: [{name: caller_arn, select: Arn, type: string}]
  - id: lookup
    title: Lookup
    guidance: g
    strategy: first_success
    on_failure: {goto: iam}
    commands:
      - id: history
        why: w
        argv: [aws, cloudtrail, lookup-events, --region, "{{params.region}}"]
        fallback_on: ["500", InvalidAction]
        parser: cloudtrail_events
        capture: [{name: events, from: parser, type: list}]
      - id: logs
        why: w
        argv: [aws, logs, filter-log-events, --log-group-name, grp]
        fallback_on: [ResourceNotFoundException]
        parser: cloudtrail_events
        capture: [{name: log_events, from: parser, type: list}]
  - id: parse
    title: Parse
    guidance: g
    analysis: summarize_denials
  - id: iam
    title: IAM
    guidance: g
    on_failure: continue
    commands:
      - id: user_groups
        why: w
        when: {fact: principal.kind, equals: user}
        argv: [aws, iam, list-groups-for-user, --user-name, "{{facts.principal.name}}"]
        capture: [{name: group_names, select: "Groups[*].GroupName", type: list}]
      - id: group_policies
        why: w
        when: {fact: principal.kind, equals: user}
        foreach: {items: captures.group_names, as: group, max_items: 3}
        argv: [aws, iam, list-group-policies, --group-name, "{{group}}"]
        capture: [{name: group_policy_names, select: PolicyNames, type: list, keep_item: true}]
      - id: group_policy
        why: w
        foreach: {items: captures.group_policy_names, as: entry}
        argv: [aws, iam, get-group-policy, --group-name, "{{entry.item}}", --policy-name, "{{entry.value}}"]
      - id: role
        why: w
        when: {fact: principal.kind, in: [role, assumed_role]}
        argv: [aws, iam, get-role, --role-name, "{{facts.principal.name}}"]
    analysis: evaluate_identity_policies
  - id: resource
    title: Resource
    guidance: g
    when: {param: resource, present: true}
    commands:
      - id: bucket
        why: w
        argv: [aws, s3api, get-bucket-policy, --bucket, "{{params.resource}}"]
        answered_by: [NoSuchBucketPolicy]
  - id: implement
    title: Implement
    guidance: g
    when: {fact: fix.kind, equals: role_inline_policy}
    commands:
      - id: put
        why: w
        mutates: true
        argv: [aws, iam, put-role-policy, --role-name, "{{facts.principal.name}}", --policy-name, x,
               --policy-document, "{{facts.fix.policy_document}}"]
"""

func makeEngine(kind: String = "user", parameters: [String: String] = [:]) throws -> StepEngine {
    let runbook = try RunbookLoader.load(text: engineRunbook, file: "engine.yaml")
    var given = ["principal": "ana", "region": "us-east-1"]
    given.merge(parameters) { _, new in new }
    return StepEngine(runbook: runbook, parameters: given, textFacts: ["principal.kind": kind, "principal.name": "ana"])
}

func proposedCommand(_ engine: StepEngine) -> ProposedCommand? {
    if case .command(let command) = engine.next() { return command }
    return nil
}

func json(_ text: String) -> JSONValue { try! JSONValue.parse(text) }

@Suite("Step engine")
struct StepEngineTests {
    /// Runs the engine through verify, lookup (history answers), parse.
    func engineAtIAM(kind: String) throws -> StepEngine {
        var engine = try makeEngine(kind: kind)
        #expect(engine.next() == .checkTools(ToolCheckRequest(stepID: "verify", tools: ["aws"])))
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "arn:aws:iam::1:user/me"}"#)))
        #expect(engine.captures["caller_arn"] == .string("arn:aws:iam::1:user/me"))
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 0, output: json("{}"),
                                         parserCaptures: ["events": .array([.string("e1")])]))
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "parse", name: "summarize_denials")))
        try engine.recordAnalysis(step: "parse", facts: ["denial.action": .string("s3:GetObject")])
        return engine
    }

    @Test func walksStepsInOrderAndCapturesValues() throws {
        let engine = try engineAtIAM(kind: "role")
        #expect(engine.state(of: "lookup") == .completed)
        #expect(engine.captures["events"] == .array([.string("e1")]))
        #expect(engine.facts["denial.action"] == .string("s3:GetObject"))
        // A role skips the user-only commands and the (empty) foreach.
        #expect(proposedCommand(engine)?.id == "iam.role")
        #expect(proposedCommand(engine)?.argv == ["aws", "iam", "get-role", "--role-name", "ana"])
    }

    @Test func foreachExpandsCapturedListsAndPairsItems() throws {
        var engine = try engineAtIAM(kind: "user")
        #expect(proposedCommand(engine)?.argv == ["aws", "iam", "list-groups-for-user", "--user-name", "ana"])
        try engine.record(CommandResult(commandID: "iam.user_groups", exitStatus: 0, output: json(
            #"{"Groups": [{"GroupName": "dev"}, {"GroupName": "ops"}, {"GroupName": "dev"}, {"GroupName": "extra"}, {"GroupName": "cut"}]}"#)))
        #expect(engine.captures["group_names"] == json(#"["dev", "ops", "dev", "extra", "cut"]"#))
        // Duplicates dropped, cut at max_items 3.
        let first = try #require(proposedCommand(engine))
        #expect(first.id == "iam.group_policies#1")
        #expect(first.argv == ["aws", "iam", "list-group-policies", "--group-name", "dev"])
        #expect(first.item == .string("dev"))
        try engine.record(CommandResult(commandID: "iam.group_policies#1", exitStatus: 0, output: json(#"{"PolicyNames": ["a", "b"]}"#)))
        #expect(proposedCommand(engine)?.id == "iam.group_policies#2")
        try engine.record(CommandResult(commandID: "iam.group_policies#2", exitStatus: 0, output: json(#"{"PolicyNames": ["c"]}"#)))
        #expect(proposedCommand(engine)?.argv == ["aws", "iam", "list-group-policies", "--group-name", "extra"])
        try engine.record(CommandResult(commandID: "iam.group_policies#3", exitStatus: 0, output: json(#"{"PolicyNames": []}"#)))
        let argvs = try (1...3).map { number -> [String] in
            let command = try #require(proposedCommand(engine))
            #expect(command.id == "iam.group_policy#\(number)")
            try engine.record(CommandResult(commandID: command.id, exitStatus: 0, output: json("{}")))
            return command.argv
        }
        #expect(argvs == [
            ["aws", "iam", "get-group-policy", "--group-name", "dev", "--policy-name", "a"],
            ["aws", "iam", "get-group-policy", "--group-name", "dev", "--policy-name", "b"],
            ["aws", "iam", "get-group-policy", "--group-name", "ops", "--policy-name", "c"],
        ])
        // The role command doesn't apply to a user; the step's analysis comes next.
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "iam", name: "evaluate_identity_policies")))
    }

    @Test func firstSuccessFallsBackOnListedCodesAndStopsAtTheFirstAnswer() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        // moto answers lookup-events with HTTP 500: fall back to the logs command.
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        #expect(proposedCommand(engine)?.id == "lookup.logs")
        try engine.record(CommandResult(commandID: "lookup.logs", exitStatus: 0, output: json("{}"),
                                         parserCaptures: ["log_events": .array([.string("e")])]))
        #expect(engine.state(of: "lookup") == .completed)
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "parse", name: "summarize_denials")))
        #expect(engine.history.map(\.result) == [.succeeded, .fellBack("500"), .succeeded])
        // A later step that would ask the same API again can know it failed (the fact names it);
        // a source that answered is not marked.
        #expect(engine.facts["unavailable.cloudtrail.lookup-events"] == .string("500"))
        #expect(engine.facts["unavailable.logs.filter-log-events"] == nil)
        #expect(FactCatalog.isKnown("unavailable.cloudtrail.lookup-events"))
        #expect(!FactCatalog.isKnown("unavailable.cloudtrail") && !FactCatalog.isKnown("unavailable..x"))
    }

    @Test func firstSuccessWithNoAnswerFollowsGoto() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 255, errorCode: "500"))
        try engine.record(CommandResult(commandID: "lookup.logs", exitStatus: 255, errorCode: "ResourceNotFoundException"))
        // on_failure: {goto: iam} passes over parse.
        guard case .failed(let reason)? = engine.state(of: "lookup") else { Issue.record("lookup should fail"); return }
        #expect(reason.contains("lookup.history: 500"))
        #expect(engine.state(of: "parse") == .skipped("jumped to iam after lookup failed"))
        #expect(proposedCommand(engine)?.id == "iam.user_groups")
    }

    /// Issue 16 §2: a source the operator cancelled (x, Ctrl-C on the command) is passed over for
    /// the next one, as a source that is unavailable is; outside first_success it still fails.
    @Test func aCancelledSourceFallsBackToTheNextSource() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 130, cancelledByOperator: true))
        #expect(proposedCommand(engine)?.id == "lookup.logs")
        #expect(engine.history.last?.result == .fellBack(StepEngine.cancelledCode))
        // Cancelled is not "unavailable": a later step may still ask the same API.
        #expect(engine.facts["unavailable.cloudtrail.lookup-events"] == nil)

        var other = try makeEngine()
        try other.recordToolCheck(step: "verify", missing: [])
        try other.record(CommandResult(commandID: "verify.caller", exitStatus: 130, cancelledByOperator: true))
        guard case .failed(let reason)? = other.state(of: "verify") else { Issue.record("verify should fail"); return }
        #expect(reason.contains("verify.caller"))
    }

    @Test func failureThatIsNotAFallbackCodeAlsoFollowsOnFailure() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 254, errorCode: "AccessDenied"))
        #expect(proposedCommand(engine)?.id == "iam.user_groups")
    }

    @Test func stopPolicyHaltsAndTheOperatorDecides() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 255, errorCode: "ExpiredToken"))
        let halt = Halt(stepID: "verify", at: "verify.caller", reason: "verify.caller failed with exit status 255 (ExpiredToken)")
        #expect(engine.next() == .halted(halt))
        #expect(throws: StepEngineError.self) { try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0)) }
        // Retry proposes the same command again.
        engine.retryCurrent()
        #expect(proposedCommand(engine)?.id == "verify.caller")
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        #expect(engine.state(of: "verify") == .completed)
        #expect(proposedCommand(engine)?.id == "lookup.history")
    }

    @Test func missingToolFollowsOnFailure() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: ["aws"])
        #expect(engine.next() == .halted(Halt(stepID: "verify", at: "verify@checks", reason: "not found on PATH: aws")))
        try engine.skipStep("verify", reason: "operator")
        #expect(engine.state(of: "verify") == .skipped("operator"))
        #expect(proposedCommand(engine)?.id == "lookup.history")
    }

    @Test func continuePolicyNotesTheFailureAndGoesOn() throws {
        var engine = try engineAtIAM(kind: "user")
        try engine.record(CommandResult(commandID: "iam.user_groups", exitStatus: 254, errorCode: "AccessDenied"))
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "iam", name: "evaluate_identity_policies")))
        try engine.recordAnalysis(step: "iam", facts: [:])
        #expect(engine.state(of: "iam") == .completedWithFailures)
    }

    @Test func answeredByCodeIsAnAnswerAndWhenGatesSteps() throws {
        var engine = try makeEngine(kind: "role", parameters: ["resource": "my-bucket"])
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0, output: json(#"{"Arn": "x"}"#)))
        try engine.skipStep("lookup", reason: "using a pasted event")
        try engine.recordAnalysis(step: "parse", facts: [:])
        try engine.record(CommandResult(commandID: "iam.role", exitStatus: 0, output: json("{}")))
        try engine.recordAnalysis(step: "iam", facts: [:])
        #expect(proposedCommand(engine)?.argv == ["aws", "s3api", "get-bucket-policy", "--bucket", "my-bucket"])
        try engine.record(CommandResult(commandID: "resource.bucket", exitStatus: 254, errorCode: "NoSuchBucketPolicy"))
        #expect(engine.state(of: "resource") == .completed)
        // No fix.kind fact: implement doesn't apply, and the run is over.
        #expect(engine.state(of: "implement") == .notApplicable)
        #expect(engine.next() == .finished(.completed))
        #expect(engine.history.last?.result == .answered("NoSuchBucketPolicy"))
    }

    @Test func optionalParameterAbsentSkipsStep() throws {
        var engine = try engineAtIAM(kind: "role")
        try engine.record(CommandResult(commandID: "iam.role", exitStatus: 0, output: json("{}")))
        try engine.recordAnalysis(step: "iam", facts: ["fix.kind": .string("role_inline_policy"),
                                                       "fix.policy_document": json(#"{"Version": "2012-10-17", "Statement": []}"#)])
        #expect(engine.state(of: "resource") == .notApplicable)
        let put = try #require(proposedCommand(engine))
        #expect(put.mutates)
        #expect(put.argv == ["aws", "iam", "put-role-policy", "--role-name", "ana", "--policy-name", "x",
                             "--policy-document", #"{"Version":"2012-10-17","Statement":[]}"#])
    }

    @Test func unresolvedPlaceholderBlocksUntilSkipped() throws {
        let runbook = try RunbookLoader.load(text: engineRunbook, file: "engine.yaml")
        var engine = StepEngine(runbook: runbook, parameters: ["principal": "ana", "region": "us-east-1"],
                                textFacts: ["principal.kind": "role"])
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0))
        try engine.skipStep("lookup", reason: "no events")
        try engine.recordAnalysis(step: "parse", facts: [:])
        #expect(engine.next() == .blocked(BlockedCommand(id: "iam.role", stepID: "iam", commandID: "role",
                                                         reason: "{{facts.principal.name}} has no value")))
        try engine.skip(command: "iam.role", reason: "no principal name")
        #expect(engine.next() == .analysis(AnalysisRequest(stepID: "iam", name: "evaluate_identity_policies")))
        #expect(engine.history.last?.result == .skipped("no principal name"))
    }

    @Test func rerunStepForgetsItsCapturesAndRunsOnFromThere() throws {
        var engine = try engineAtIAM(kind: "user")
        try engine.record(CommandResult(commandID: "iam.user_groups", exitStatus: 0, output: json(#"{"Groups": []}"#)))
        try engine.rerunStep("lookup")
        #expect(engine.captures["events"] == nil)
        #expect(engine.captures["caller_arn"] != nil)
        #expect(engine.state(of: "lookup") == .active)
        #expect(engine.state(of: "iam") == .pending)
        #expect(proposedCommand(engine)?.id == "lookup.history")
        #expect(throws: StepEngineError.unknownStep("nope")) { try engine.rerunStep("nope") }
    }

    @Test func stopEndsTheRun() throws {
        var engine = try makeEngine()
        try engine.recordToolCheck(step: "verify", missing: [])
        engine.stop()
        #expect(engine.next() == .finished(.stoppedByOperator))
        #expect(engine.state(of: "verify") == .skipped("stopped by the operator"))
        #expect(engine.currentStepID == nil)
        #expect(throws: StepEngineError.self) { try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0)) }
    }

    @Test func recordingSomethingNotProposedIsRefused() throws {
        var engine = try makeEngine()
        #expect(throws: StepEngineError.notProposed(expected: "verify@checks", got: "lookup.history")) {
            try engine.record(CommandResult(commandID: "lookup.history", exitStatus: 0))
        }
    }

    @Test func sameInputsGiveTheSameEngine() throws {
        let first = try engineAtIAM(kind: "user")
        let second = try engineAtIAM(kind: "user")
        #expect(first == second)
        #expect(first.next() == second.next())
    }
}

@Suite("Placeholder safety")
struct PlaceholderSafetyTests {
    static let hostile = [
        "my bucket", "it's \"quoted\"", "a; rm -rf /", "$(touch /tmp/pwned)", "`id`", "line1\nline2",
        "--region", "x' || true #", "*", "{{params.region}}",
    ]

    @Test(arguments: hostile)
    func hostileParameterStaysOneArgvElement(_ value: String) throws {
        let runbook = try RunbookLoader.load(text: engineRunbook, file: "engine.yaml")
        var engine = StepEngine(runbook: runbook, parameters: ["principal": "ana", "region": value, "resource": value],
                                textFacts: ["principal.kind": "role", "principal.name": value])
        try engine.recordToolCheck(step: "verify", missing: [])
        try engine.record(CommandResult(commandID: "verify.caller", exitStatus: 0))
        #expect(proposedCommand(engine)?.argv == ["aws", "cloudtrail", "lookup-events", "--region", value])
        try engine.skipStep("lookup", reason: "test")
        try engine.recordAnalysis(step: "parse", facts: [:])
        #expect(proposedCommand(engine)?.argv == ["aws", "iam", "get-role", "--role-name", value])
    }

    @Test func embeddedPlaceholderStaysInsideItsElement() throws {
        let template = try ArgumentTemplate("AttributeKey=Username,AttributeValue={{facts.principal.event_username}}")
        let result = template.resolve { _ in .string("a b; $(x)\n") }
        #expect(result == .success(["AttributeKey=Username,AttributeValue=a b; $(x)\n"]))
        // The value is not scanned for placeholders again.
        #expect(template.resolve { _ in .string("{{params.region}}") } == .success(["AttributeKey=Username,AttributeValue={{params.region}}"]))
    }

    @Test func wholeListIsSplicedButNeverEmbedded() throws {
        let whole = try ArgumentTemplate("{{captures.names}}")
        #expect(whole.resolve { _ in json(#"["a b", "c;d"]"#) } == .success(["a b", "c;d"]))
        #expect(whole.resolve { _ in .array([]) }.isFailure)
        let embedded = try ArgumentTemplate("x={{captures.names}}")
        #expect(embedded.resolve { _ in json(#"["a", "b"]"#) }.isFailure)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
