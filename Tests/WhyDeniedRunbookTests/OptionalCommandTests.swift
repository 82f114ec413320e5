import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// A verification step that stops on failure, with one optional confirmation in the middle.
private let verifyRunbook = """
schema: whydenied/runbook@1
id: verify
title: Verify
parameters:
  - {name: principal, label: Principal, required: true}
steps:
  - id: verify
    title: Verify
    guidance: g
    on_failure: stop
    commands:
      - id: reread
        why: w
        argv: [aws, iam, get-role, --role-name, "{{params.principal}}"]
      - id: simulate
        why: w
        optional: true
        argv: [aws, iam, simulate-principal-policy, --policy-source-arn, "{{params.principal}}"]
      - id: bucket
        why: w
        argv: [aws, s3api, get-bucket-policy, --bucket, b]
"""

@Suite("Optional commands")
struct OptionalCommandTests {
    func engine() throws -> StepEngine {
        StepEngine(runbook: try RunbookLoader.load(text: verifyRunbook, file: "verify.yaml"), parameters: ["principal": "ana"])
    }

    @Test func anOptionalFailureIsNotedAndTheStepGoesOn() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "verify.reread", exitStatus: 0, output: json("{}")))
        try engine.record(CommandResult(commandID: "verify.simulate", exitStatus: 255, errorCode: "500"))
        #expect(proposedCommand(engine)?.id == "verify.bucket")
        try engine.record(CommandResult(commandID: "verify.bucket", exitStatus: 0, output: json("{}")))
        #expect(engine.state(of: "verify") == .completedWithFailures)
        guard case .finished = engine.next() else { Issue.record("expected the run to finish, got \(engine.next())"); return }
    }

    @Test func aRequiredFailureStillStops() throws {
        var engine = try engine()
        try engine.record(CommandResult(commandID: "verify.reread", exitStatus: 255, errorCode: "AccessDenied"))
        guard case .halted(let halt) = engine.next() else { Issue.record("expected a halt, got \(engine.next())"); return }
        #expect(halt.at == "verify.reread")
    }

    @Test func anOptionalChangeIsRefused() {
        let text = verifyRunbook.replacingOccurrences(
            of: "        optional: true\n        argv: [aws, iam, simulate-principal-policy, --policy-source-arn, \"{{params.principal}}\"]",
            with: "        optional: true\n        mutates: true\n        argv: [aws, iam, put-role-policy, --role-name, \"{{params.principal}}\"]")
        #expect(text != verifyRunbook)
        #expect(lines(text) == [
            "broken.yaml:17: command \"simulate\" changes the account and cannot be optional: a failed change must stop the step",
        ])
    }
}
