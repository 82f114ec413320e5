import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedRunbook
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// The whole runbook, headless, against moto seeded with a paste-only scenario: the account is
/// staged but the trail has no event, so the session knows the denial only from the pasted
/// message and the parameters, and must still end with a verdict (and a fix where it decides).
@Suite struct PasteOnlySessionTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var scenario: String
        var verdict: Decision
        var statement: String?
        var fixKind: String?
        /// Words the explanation must contain.
        var explains: [String] = []
        /// Why the trail had no event, first reason.
        var whyNoEvent: NoEventDiagnosis.Reason

        var testDescription: String { scenario }
    }

    static let cases: [Expected] = [
        // No source IP without an event: the bucket policy's aws:SourceIp condition decides, so Undecided, naming it.
        Expected(scenario: "seed-paste", verdict: .undecided, statement: "DenyOutsideCorporateNetwork",
                 explains: ["aws:SourceIp", "203.0.113.0/24", "DenyOutsideCorporateNetwork"], whyNoEvent: .dataEventNotSelected),
        Expected(scenario: "user-no-allow-paste", verdict: .implicitDeny, fixKind: "user_inline_policy", whyNoEvent: .dataEventNotSelected),
        Expected(scenario: "group-explicit-deny-paste", verdict: .explicitDeny, statement: "NoDeletes", whyNoEvent: .dataEventNotSelected),
        Expected(scenario: "role-boundary-paste", verdict: .implicitDeny, fixKind: "new_policy_version", whyNoEvent: .dataEventNotSelected),
        // Decrypt is a management event: the trail has it within about 15 minutes.
        Expected(scenario: "kms-key-policy-paste", verdict: .implicitDeny, whyNoEvent: .tooRecent),
        // AssumeRole is a management event too; the trust policy is the side that does not allow.
        Expected(scenario: "trust-policy-paste", verdict: .implicitDeny, fixKind: "trust_policy", whyNoEvent: .tooRecent),
    ]

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: cases)
    func pastedMessageAloneReachesAVerdict(expected: Expected) async throws {
        #expect(try SandboxScenario.named(expected.scenario).stagesEvent == false)
        let recording = try await ScenarioRecordings.shared.recording(expected.scenario)
        let parameters = recording.parameters
        do {
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: recording.replayRunner())
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")
            let findings = session.findings
            #expect(findings.deniedEventsFound == 0)
            #expect(findings.whyNoEvent.first?.reason == expected.whyNoEvent, "\(findings.whyNoEvent)")
            #expect(findings.whyNoEvent.allSatisfy { $0.command != nil })
            #expect(findings.explainedEvent == nil)
            #expect(findings.verdict == expected.verdict, "\(String(describing: findings.explanation)) \(session.analysis?.notes ?? [])")
            if let statement = expected.statement { #expect(findings.decidingStatement == statement) }
            for words in expected.explains {
                #expect(findings.explanation?.contains(words) == true, "\(String(describing: findings.explanation))")
            }
            if expected.verdict != .undecided { #expect(findings.fix != nil) }
            #expect(session.engine.facts["fix.kind"]?.stringValue == expected.fixKind)
            if expected.fixKind == "user_inline_policy" {
                // The report carries who owns the target and the fix as code.
                let placement = try #require(session.recommendationRecord?.placement)
                #expect(placement.owner == "direct")
                #expect(placement.terraform?.contains("resource \"aws_iam_user_policy\"") == true, "\(placement.terraform ?? "")")
                #expect(placement.cloudFormation?.contains("AWS::IAM::UserPolicy") == true)
            }

            // The verdict says which facts the message gave and what an event would have added.
            guard case .reported(let reported)? = findings.evidence else {
                Issue.record("the request was not built from the message: \(String(describing: findings.evidence))")
                return
            }
            #expect(reported.message == session.pastedDenial)
            if case .errorMessage(let snippet)? = reported.sources[.action] {
                #expect(snippet.contains(reported.action))
            } else {
                Issue.record("the action did not come from the message: \(String(describing: reported.sources[.action]))")
            }
            let notes = session.analysis?.notes ?? []
            #expect(notes.contains { $0.contains("A CloudTrail event would have added") && $0.contains("aws:SourceIp") })
        }
    }
}
