import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// A denied sts:AssumeRole, against moto through the real `aws` CLI, with and without the event
/// in the trail: the session reads the role's trust policy, names it as the policy that does not
/// allow, and applies the fix (the caller added to the trust policy) with changes enabled and
/// every command confirmed. The backup is read first, the offline re-check says allowed, the
/// report carries the rollback, and running it puts the old trust policy back.
@Suite struct TrustPolicyFixSessionTests {
    static let callerARN = "arn:aws:iam::\(MotoSandbox.accountID):user/ci-deployer"
    static let roleARN = "arn:aws:iam::\(MotoSandbox.accountID):role/DeployRole"

    /// The session with changes enabled, every proposal confirmed (the operator saying yes to
    /// each), changes recorded the way the TUI records them.
    static func runConfirmingEverything(_ parameters: [String: String], runner: AWSCommandRunner,
                                        journal: SessionJournal) async throws -> (GuidedSession, [ChangeRecord]) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: Date(), readOnly: false)
        journal.sessionStarted(session)
        journal.record { $0.changesEnabled() }
        var records: [ChangeRecord] = []
        for _ in 0..<500 {
            switch session.nextStep() {
            case .checkTools(let request):
                var missing: [String] = []
                for tool in request.tools where !(await runner.isToolAvailable(tool)) { missing.append(tool) }
                session.recordTools(step: request.stepID, missing: missing)
            case .run(let command, let request):
                journal.record { $0.proposed(command) }
                journal.record { $0.confirmed(command) }
                journal.record { $0.started(command, argv: command.argv, classification: session.classification(of: command)) }
                let outcome = await runner.run(request)
                journal.record { $0.finished(command, outcome: outcome) }
                session.record(outcome, for: command)
                if command.mutates, outcome.succeeded {
                    records.append(journal.record { session.recordChange(command, outcome: outcome, journal: &$0) })
                }
            case .refuseMutation(let command):
                Issue.record("a session with changes enabled refused \(command.id)")
                session.refuse(command)
            case .analyse(let request):
                session.runAnalysis(request)
            case .blocked(let blocked):
                session.skip(blocked)
            case .halted(let halt):
                Issue.record("halted at \(halt.at): \(halt.reason)")
                journal.record { $0.sessionEnded(reason: "halted") }
                return (session, records)
            case .finished:
                journal.record { $0.sessionEnded(reason: "completed") }
                return (session, records)
            }
        }
        Issue.record("the session did not finish")
        return (session, records)
    }

    func trustPolicy(_ runner: AWSCommandRunner) async throws -> JSONValue {
        let outcome = await runner.run(CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", "DeployRole"]))
        #expect(outcome.succeeded, "\(outcome.stderr)")
        return try #require(try JSONValue.parse(outcome.stdout)["Role"]?["AssumeRolePolicyDocument"].flatMap(CLIPolicyDocument.decode))
    }

    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"),
          arguments: ["trust-policy", "trust-policy-paste"])
    func trustPolicyFixIsAppliedRecheckedAndRolledBack(scenario: String) async throws {
        let store = SessionStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("trust-fix-\(UUID().uuidString.prefix(8))"))
        defer { try? FileManager.default.removeItem(at: store.root) }
        try await MotoTestSandbox.with(scenario: scenario) { sandbox, parameters in
            let runner = sandbox.runner()
            let before = try await trustPolicy(runner)
            let journal = try SessionJournal.create(in: store)
            let (session, records) = try await Self.runConfirmingEverything(parameters, runner: runner, journal: journal)

            // The verdict: the trust policy of DeployRole does not allow the caller.
            let findings = session.findings
            #expect(findings.deniedEventsFound == (scenario == "trust-policy" ? 1 : 0))
            #expect(findings.verdict == .implicitDeny)
            let analysis = try #require(session.analysis)
            let blocked = analysis.deciding?.result.blockedBy ?? []
            #expect(blocked.map(\.policyType) == [.roleTrustPolicy], "\(blocked)")
            #expect(findings.explanation?.contains("trust policy") == true, "\(String(describing: findings.explanation))")
            let add = try #require(findings.fix?.policiesToAdd.first)
            #expect(add.target == .roleTrustPolicy)
            #expect(add.policyName == "trust policy of DeployRole")
            // The missing statement: exactly the caller, exactly sts:AssumeRole.
            let statement = try #require(add.policy["Statement"]?[0])
            #expect(statement["Effect"]?.stringValue == "Allow")
            #expect(statement["Principal"]?["AWS"]?.stringValue == Self.callerARN)
            #expect(statement["Action"]?.stringValue == "sts:AssumeRole")
            #expect(session.engine.facts["fix.kind"]?.stringValue == "trust_policy")

            // Backup read first, then the change, then the read-back.
            let ids = session.transcript.map(\.commandID)
            let backup = try #require(ids.firstIndex(of: "implement.backup_trust_policy"), "\(ids)")
            let change = try #require(ids.firstIndex(of: "implement.update_trust_policy"), "\(ids)")
            #expect(backup < change)
            #expect(ids.contains("implement.verify_trust_policy"))
            #expect(CommandClassifier.bundled.classify(["aws", "iam", "get-role", "--role-name", "DeployRole"]).mutates == false)
            #expect(CommandClassifier.bundled.classify(session.transcript[change].argv).mutates == true)

            // One fix: the trust policy, its old statement kept and the caller's added. (Without
            // an event, the Athena lookup started a query before it: a change too, not the fix.)
            let fixes = records.filter { $0.change.step == "implement" }
            let record = try #require(fixes.first)
            #expect(fixes.count == 1)
            #expect(record.change.target == "trust policy of role DeployRole")
            #expect(record.verification == "Re-evaluated offline with the new document: the denied request is now allowed.")
            let after = try await trustPolicy(runner)
            let sids = (after["Statement"]?.arrayValue ?? []).compactMap { $0["Sid"]?.stringValue }
            #expect(sids.first == "TrustReleaseManagers")
            #expect(sids.count == 2)
            #expect(session.engine.captures["applied_trust_policy"] == after)

            // The backup holds the trust policy as it was; the report names it and the rollback.
            let backupPath = try #require(record.backupPath)
            let saved = try JSONValue.parse(try String(contentsOf: journal.folder.resolve(backupPath), encoding: .utf8))
            #expect(saved["Role"]?["AssumeRolePolicyDocument"].flatMap(CLIPolicyDocument.decode) == before)
            let rollback = try #require(record.change.rollbackArgv.first)
            #expect(Array(rollback.prefix(5)) == ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole"])
            let markdown = try ReportExport.render(folder: journal.folder, format: .markdown, maskAccountIDs: false).text
            #expect(markdown.contains(ArgvDisplay.line(rollback)), "\(markdown)")
            #expect(markdown.contains(backupPath))

            // The rollback puts the old trust policy back.
            let undone = await runner.run(CommandRequest(argv: rollback, mutates: true))
            #expect(undone.succeeded, "\(undone.stderr)")
            #expect(try await trustPolicy(runner) == before)
        }
    }
}
