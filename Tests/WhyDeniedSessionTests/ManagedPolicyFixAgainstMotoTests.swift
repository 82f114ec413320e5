import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedReport
import WhyDeniedRunner
import WhyDeniedSandbox
@testable import WhyDeniedSession
import WhyDeniedTestSupport

/// The implement step end to end against moto through the real `aws` CLI: a managed policy that
/// already has five versions gets the fix as a new default version. The plan deletes the oldest
/// non-default version after backing it up; the change is verified by reading the new default
/// back and evaluating the denied request on it; the rollback command restores the old default.
@Suite struct ManagedPolicyFixAgainstMotoTests {
    struct CLIError: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    func aws(_ runner: AWSCommandRunner, _ argv: [String], mutates: Bool = false) async throws -> JSONValue {
        let outcome = await runner.run(CommandRequest(argv: argv, mutates: mutates))
        guard outcome.succeeded else { throw CLIError(description: "\(argv.joined(separator: " ")) failed: \(outcome.stderr)") }
        let text = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .null : try JSONValue.parse(text)
    }

    func statement(_ action: String, _ resource: String) -> (action: String, resource: String) { (action, resource) }

    @Test func fiveVersionsFixIsBackedUpAppliedVerifiedAndRolledBack() async throws {
        // The empty sandbox this test process shares: role app-role and policy app are this test's.
        try await SharedSandboxes.reading(scenario: nil) { sandbox, _ in
            let runner = sandbox.runner()
            let account = MotoSandbox.accountID
            let roleARN = "arn:aws:iam::\(account):role/app-role"

            // Seed: the role, and policy "app" with five versions; v3 is the default, so the oldest
            // non-default version is v1.
            try await aws(runner, ["aws", "iam", "create-role", "--role-name", "app-role", "--assume-role-policy-document",
                                   #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#])
            let documents = (1...5).map { policy([statement("s3:ListBucket", "arn:aws:s3:::bucket-v\($0)")]) }
            let created = try await aws(runner, ["aws", "iam", "create-policy", "--policy-name", "app", "--policy-document", documents[0].serialized()])
            let policyARN = try #require(created["Policy"]?["Arn"]?.stringValue)
            for index in 1..<5 {
                try await aws(runner, ["aws", "iam", "create-policy-version", "--policy-arn", policyARN,
                                       "--policy-document", documents[index].serialized()] + (index == 2 ? ["--set-as-default"] : []))
            }
            try await aws(runner, ["aws", "iam", "attach-role-policy", "--role-name", "app-role", "--policy-arn", policyARN])
            // The limit is real: a sixth version is refused while five exist.
            let refused = await runner.run(CommandRequest(argv: ["aws", "iam", "create-policy-version", "--policy-arn", policyARN,
                                                                  "--policy-document", documents[0].serialized()], mutates: true))
            #expect(!refused.succeeded)
            #expect(refused.stderr.contains("LimitExceeded"))

            // What the implement step reads before planning.
            var versions = ManagedPolicyVersion.list(fromListPolicyVersionsOutput: try await aws(runner, ["aws", "iam", "list-policy-versions", "--policy-arn", policyARN]))
            #expect(versions.count == 5)
            #expect(versions.first(where: \.isDefault)?.id == "v3")
            let oldest = try #require(ManagedPolicyVersion.oldestNonDefault(in: versions))
            #expect(oldest.id == "v1")
            for index in versions.indices where versions[index].isDefault || versions[index].id == oldest.id {
                let read = try await aws(runner, ["aws", "iam", "get-policy-version", "--policy-arn", policyARN, "--version-id", versions[index].id])
                versions[index].document = read["PolicyVersion"]?["Document"].flatMap(CLIPolicyDocument.decode)
            }
            let currentDocument = try #require(versions.first(where: \.isDefault)?.document)
            #expect(currentDocument == documents[2])

            // The denied request, evaluated on the current policies: no statement allows it.
            let request = AuthorizationRequest(principal: RequestPrincipal(arn: roleARN), action: "s3:GetObject",
                                               resource: RequestResource(arn: "arn:aws:s3:::reports/q3.csv", account: account))
            var before = PolicySet()
            before.identityPolicies = [AttachedPolicy(name: "app", arn: policyARN, document: try PolicyDocument.parse(json: currentDocument),
                                                      attachment: PolicyAttachment(holder: .role, holderName: "app-role", isManaged: true))]
            #expect(PolicyEvaluator().evaluate(request, against: before).decision == .implicitDeny)

            // Plan.
            let home = try TemporaryStateHome()
            defer { home.remove() }
            let folder = try home.store.createSession()
            let journal = try JournalWriter(folder: folder)
            try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: true))
            let newDocument = policy([statement("s3:ListBucket", "arn:aws:s3:::bucket-v3"), statement("s3:GetObject", "arn:aws:s3:::reports/*")])
            let target = PolicyChangeTarget.managedPolicy(arn: policyARN, versions: versions)
            let plan = try PolicyChangePlanner(folder: folder).plan(
                target: target, newDocument: newDocument,
                verification: VerificationRequest(principalARN: roleARN, actions: ["s3:GetObject"], resourceARNs: ["arn:aws:s3:::reports/q3.csv"]))
            #expect(plan.canApply)
            let versionLimit = try #require(plan.limits.first { $0.quota == .managedPolicyVersions })
            #expect(versionLimit.isHit && versionLimit.resolvedByPlan)
            #expect(versionLimit.whatToDo?.contains("v1") == true)
            #expect(plan.commands.first?.argv == ["aws", "iam", "delete-policy-version", "--policy-arn", policyARN, "--version-id", "v1"])
            #expect(plan.diff.unified().contains("+      \"Action\": \"s3:GetObject\","))

            // Back up first, then run each command through the journal's propose/confirm/start/finish.
            try plan.writeFiles(to: folder)
            let backup = try JSONValue.parse(try String(contentsOf: folder.resolve("backups/app-v1.json"), encoding: .utf8))
            #expect(backup == documents[0])
            #expect(try permissions(folder.resolve("backups/app-v1.json")) == 0o600)
            var createdVersion: String?
            for (index, command) in plan.commands.enumerated() {
                let ref = CommandRef(step: "implement", command: "apply-\(index + 1)")
                try journal.append(.commandProposed(ref, argv: command.argv, mutates: command.mutates))
                try journal.append(.commandConfirmed(ref))
                try journal.append(.commandStarted(ref, argv: command.argv))
                let outcome = await runner.run(CommandRequest(argv: command.argv, mutates: command.mutates))
                try journal.recordFinished(ref, outcome: outcome, in: folder)
                #expect(outcome.succeeded, "\(command.argv): \(outcome.stderr)")
                if command.argv[2] == "create-policy-version" {
                    createdVersion = try JSONValue.parse(outcome.stdout)["PolicyVersion"]?["VersionId"]?.stringValue
                }
            }
            let newVersion = try #require(createdVersion)
            try journal.append(.changeApplied(plan.appliedChange(step: "implement", summary: "New default version \(newVersion) of app")))

            // After: v1 is gone, the new version is the default, and it holds the fixed document.
            let after = ManagedPolicyVersion.list(fromListPolicyVersionsOutput: try await aws(runner, ["aws", "iam", "list-policy-versions", "--policy-arn", policyARN]))
            #expect(after.count == 5)
            #expect(!after.contains { $0.id == "v1" })
            #expect(after.first(where: \.isDefault)?.id == newVersion)
            let readBack = try await aws(runner, ["aws", "iam", "get-policy-version", "--policy-arn", policyARN, "--version-id", newVersion])
            let appliedDocument = try #require(readBack["PolicyVersion"]?["Document"].flatMap(CLIPolicyDocument.decode))
            #expect(appliedDocument == newDocument)

            // Verify: the evaluator on the document as AWS now holds it allows the request.
            let verified = try ChangeVerification.evaluate(request, policies: before, replacing: target, with: appliedDocument)
            #expect(verified.decision == .allowed)
            #expect(plan.verification.first?.argv.prefix(3) == ["aws", "iam", "simulate-principal-policy"])
            #expect(plan.notes.contains(PolicyChangePlan.propagationReminder))

            // Roll back with the plan's command: the previous default is the default again.
            for command in plan.rollback {
                let outcome = await runner.run(CommandRequest(argv: command.argv, mutates: true))
                #expect(outcome.succeeded, "\(command.argv): \(outcome.stderr)")
            }
            let restored = try await aws(runner, ["aws", "iam", "get-policy", "--policy-arn", policyARN])
            #expect(restored["Policy"]?["DefaultVersionId"]?.stringValue == "v3")

            // The journal holds the whole change, and the report shows backups and rollback.
            let session = RecordedSession(id: folder.id, reading: try JournalReading(contentsOf: folder.journalURL))
            #expect(session.restoredResults.count == 2)
            #expect(session.changes.first?.backupPaths == ["backups/app-v3.json", "backups/app-v1.json"])
            let markdown = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false).text
            #expect(markdown.contains("aws iam set-default-policy-version --policy-arn \(policyARN) --version-id v3"))
            #expect(markdown.contains("`backups/app-v1.json`"))
        }
    }
}
