import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedReport
@testable import WhyDeniedSession
import WhyDeniedRunbook

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A whole session whose evidence is full of credentials: the pasted AssumeRole event, the
/// GetSessionToken and GetFederationToken records, CLI output with a Credentials object.
func journalSessionWithCredentials(_ journal: JournalWriter) throws {
    try journalSampleSession(journal)
    let apply = CommandRef(step: "implement", command: "apply")
    try journal.append(.commandFinished(apply, JournaledOutcome(exitCode: 0, durationMilliseconds: 1_530, stdoutPath: "outputs/0009-stdout.txt",
                                                              stdoutSHA256: String(repeating: "b", count: 64))))
    try journal.append(.parameterSet(name: "error_message", value: "User: arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy is not authorized, token \(CredentialSamples.sessionToken)",
                                     origin: ParameterOrigin(source: .typed), secret: false))
    try journal.append(.parameterSet(name: "action", value: "s3:GetObject", origin: ParameterOrigin(source: .cloudTrailEvent, detail: "eventName"), secret: false))
    try journal.append(.parameterSet(name: "resource", value: "arn:aws:s3:::reports/q3.csv", origin: ParameterOrigin(source: .errorMessage), secret: false))
    let rows = [
        DeniedRequestRow(time: "2026-11-20T14:05:00Z", principal: "arn:aws:sts::444455556666:assumed-role/deploy/ana-deploy",
                         action: "s3:GetObject", resource: "arn:aws:s3:::reports/q3.csv", errorCode: "AccessDenied",
                         errorMessage: "with key \(CredentialSamples.accessKeyID) and secret \(CredentialSamples.secretKey)",
                         denyType: "implicit deny", source: "lookup-events"),
    ]
    try journal.append(.analysisRecorded(step: "parse", name: "summarize_denials", result: DeniedRequestsRecord(rows: rows).jsonValue))
    let evaluation = EvaluationRecord(
        verdict: "implicit_deny",
        deciding: nil,
        policies: [ExaminedPolicy(name: "app", arn: "arn:aws:iam::444455556666:policy/app", type: "identity (managed)",
                                  source: "aws iam get-policy-version")],
        trace: [TraceStep(policy: "app", statement: "ReadList", effect: "Allow", outcome: "not matched",
                          reason: "action s3:ListBucket does not match s3:GetObject")],
        undecidedKeys: [UndecidedKey(key: "aws:SourceVpce", why: "the event does not say which VPC endpoint was used")])
    try journal.append(.analysisRecorded(step: "check_iam", name: "evaluate_identity_policies", result: evaluation.jsonValue))
    let recommendation = RecommendationRecord(
        summary: "Allow s3:GetObject on arn:aws:s3:::reports/* in policy app",
        target: "arn:aws:iam::444455556666:policy/app",
        document: policy([("s3:GetObject", "arn:aws:s3:::reports/*")]),
        reasons: [RecommendationReason(element: "Action", reason: "the denied action, nothing more"),
                  RecommendationReason(element: "Resource", reason: "objects of the bucket the request named")],
        placement: FixPlacementRecord(owner: "cloudformation",
                                      whereTheChangeBelongs: "Owned by CloudFormation stack app-stack (resource AppPolicy): change the template and deploy it.",
                                      terraform: "resource \"aws_iam_policy\" \"app\" {}\n",
                                      cloudFormation: "Resources:\n  AppPolicy:\n    Type: \"AWS::IAM::ManagedPolicy\"\n"))
    try journal.append(.analysisRecorded(step: "recommend", name: "recommend_fix", result: recommendation.jsonValue))
    // Raw event evidence kept as an analysis the report does not know: shown as JSON.
    try journal.append(.analysisRecorded(step: "parse", name: "pasted_events", result: .array([
        try JSONValue.parse(CredentialSamples.assumeRoleEvent),
        try JSONValue.parse(CredentialSamples.getSessionTokenEvent),
        try JSONValue.parse(CredentialSamples.getFederationTokenEvent),
    ])))
    try journal.append(.captured(CommandRef(step: "verify", command: "caller"), name: "raw", value: try JSONValue.parse(CredentialSamples.assumeRoleCLIOutput)))
    try journal.append(.changeApplied(AppliedChange(
        step: "implement", summary: "New default version of app", target: "arn:aws:iam::444455556666:policy/app",
        argv: ["aws", "iam", "create-policy-version", "--policy-arn", "arn:aws:iam::444455556666:policy/app", "--policy-document", "file:///tmp/x.json", "--set-as-default"],
        backupPaths: ["backups/app-v1.json"],
        rollbackArgv: [["aws", "iam", "set-default-policy-version", "--policy-arn", "arn:aws:iam::444455556666:policy/app", "--version-id", "v1"]])))
}

/// Validates with python3's `jsonschema` against docs/report.schema.json; returns the
/// validator's complaint, or nil when the document is valid.
func schemaComplaint(_ json: String) throws -> String? {
    let script = """
    import json, sys, jsonschema
    schema = json.load(open(sys.argv[1]))
    try:
        jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as error:
        print(error.message + " at " + "/".join(str(p) for p in error.absolute_path))
        sys.exit(1)
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, repositoryRoot.appendingPathComponent("docs/report.schema.json").path]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(json.utf8))
    try input.fileHandleForWriting.close()
    let complaint = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0 ? nil : complaint
}

@Suite struct ReportTests {
    func makeSession() throws -> (TemporaryStateHome, SessionFolder) {
        let home = try TemporaryStateHome()
        let folder = try home.store.createSession()
        try journalSessionWithCredentials(try JournalWriter(folder: folder))
        return (home, folder)
    }

    func assertNothingLeaks(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [CredentialSamples.secretKey, CredentialSamples.sessionToken, CredentialSamples.fedToken,
                       CredentialSamples.accessKeyID, CredentialSamples.longTermKeyID, "IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz"] {
            #expect(!text.contains(secret), "leaked \(secret.prefix(10))…", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ReportExport.Format.allCases)
    func noCredentialLeaksIntoTheReport(format: ReportExport.Format) throws {
        let (home, folder) = try makeSession()
        defer { home.remove() }
        let written = try ReportExport.write(folder: folder, format: format, maskAccountIDs: false)
        let text = try String(contentsOf: written.url, encoding: .utf8)
        assertNothingLeaks(text)
        #expect(text.contains("[REDACTED]"))
        #expect(text.contains("444455556666")) // account ids stay unless asked
        #expect(try permissions(written.url) == 0o600)

        let masked = try ReportExport.render(folder: folder, format: format, maskAccountIDs: true).text
        assertNothingLeaks(masked)
        #expect(!masked.contains("444455556666"))
        #expect(!masked.contains("111122223333"))
        #expect(masked.contains("arn:aws:iam::************:policy/app"))
    }

    @Test func markdownHasEverySectionATicketNeeds() throws {
        let (home, folder) = try makeSession()
        defer { home.remove() }
        let markdown = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false).text
        #expect(markdown.contains("**Summary.** `app-role` was denied `s3:GetObject` on `arn:aws:s3:::reports/q3.csv` (2026-11-20T14:05:00Z). Verdict: **implicit deny**. Fix: Allow s3:GetObject on arn:aws:s3:::reports/* in policy app."))
        for heading in ["## Parameters", "## Denied requests", "## Policies examined", "## Decision trace", "## Recommended policy",
                        "## Commands run", "## Changes applied", "## Open questions"] {
            #expect(markdown.contains(heading + "\n"), "missing \(heading)")
        }
        #expect(markdown.contains("| `region` | `us-east-1` | from the environment (AWS_REGION) |"))
        #expect(markdown.contains("| `mfa_code` | `[REDACTED]` | typed by the operator |"))
        #expect(markdown.contains("| 1 | verify | `aws sts get-caller-identity` | finished | 0 | 640 ms |"))
        #expect(markdown.contains("declined: not our bucket"))
        #expect(markdown.contains("finished (changes the account) | 0 | 1.5 s |"))
        #expect(markdown.contains("| trails | skipped: event pasted by the operator |"))
        #expect(markdown.contains("aws iam set-default-policy-version --policy-arn arn:aws:iam::444455556666:policy/app --version-id v1"))
        #expect(markdown.contains("- Backups: `backups/app-v1.json`"))
        #expect(markdown.contains("- `aws:SourceVpce`: the event does not say which VPC endpoint was used"))
        #expect(markdown.contains("1. `app` statement `ReadList` (Allow): not matched — action s3:ListBucket does not match s3:GetObject"))
        #expect(markdown.contains("\"Resource\": \"arn:aws:s3:::reports/*\""))
        #expect(markdown.contains("| `Action` | the denied action, nothing more |"))
        #expect(markdown.contains("**Where the change belongs** (cloudformation): Owned by CloudFormation stack app-stack"))
        #expect(markdown.contains("```hcl\nresource \"aws_iam_policy\" \"app\" {}\n```"))
        #expect(markdown.contains("```yaml\nResources:\n  AppPolicy:"))
    }

    /// Issue 16 §4: given the runbook the session ran, the report names steps by their titles and
    /// commands by their words; the runbook of another name is not taken for it.
    @Test func stepsAndCommandsAreNamedInWordsNotIDs() throws {
        let home = try TemporaryStateHome()
        defer { home.remove() }
        let folder = try home.store.createSession()
        let journal = try JournalWriter(folder: folder)
        let lookup = CommandRef(step: "look_up_events", command: "lookup_events")
        let argv = ["aws", "cloudtrail", "lookup-events", "--max-items", "50"]
        try journal.append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        try journal.append(.commandProposed(lookup, argv: argv, mutates: false))
        try journal.append(.commandDeclined(lookup, reason: "look_up_events.lookup_events is slow here"))
        try journal.append(.stepSkipped(step: "check_session_policy", reason: "look_up_events.lookup_events found the history unavailable"))
        try journal.append(.stepCompleted(step: "check_iam"))
        try journal.append(.analysisRecorded(step: "check_iam", name: "evaluate_identity_policies",
                                             result: .object(JSONObject([("policies_read", .array([]))]))))
        let runbook = try RunbookFixture.loaded()

        let markdown = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false, runbook: runbook).text
        #expect(markdown.contains("## Steps\n"))
        #expect(markdown.contains("| Check the session policy | skipped: `aws cloudtrail lookup-events` found the history unavailable |"))
        #expect(markdown.contains("| Check identity-based policies | completed |"))
        #expect(markdown.contains("| 1 | Look up the denied events | `aws cloudtrail lookup-events --max-items 50` | declined: `aws cloudtrail lookup-events` is slow here |"))
        #expect(markdown.contains("Check identity-based policies:\n"))
        for id in ["look_up_events", "check_session_policy", "check_iam", "evaluate_identity_policies"] {
            #expect(!markdown.contains(id), "the report shows \(id)")
        }

        var other = runbook
        other.id = "another-runbook"
        let unnamed = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false, runbook: other).text
        #expect(unnamed.contains("| check_iam | completed |"))
    }

    @Test func severalChangesAreRolledBackNewestFirst() throws {
        let (home, folder) = try makeSession()
        defer { home.remove() }
        let journal = try JournalWriter(folder: folder)
        let arn = "arn:aws:iam::444455556666:policy/app"
        try journal.append(.changeApplied(AppliedChange(
            step: "implement", summary: "delete-policy-version (delete_policy_version)", target: "version v2 of managed policy \(arn) (deleted)",
            argv: ["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v2"], backupPaths: ["backups/v2.json"],
            rollbackArgv: [["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", "{}"]])))
        try journal.append(.changeApplied(AppliedChange(
            step: "implement", summary: "tag-policy (tag)", target: arn,
            argv: ["aws", "iam", "tag-policy", "--policy-arn", arn, "--tags", "Key=k,Value=v"], backupPaths: [], rollbackArgv: [])))
        let markdown = try ReportExport.render(folder: folder, format: .markdown, maskAccountIDs: false).text
        #expect(markdown.contains("- Rollback: no command is known for this change; restore it from the backups by hand."))
        let section = try #require(markdown.range(of: "### Roll back everything, newest change first\n\n```sh\n"))
        // Newest first: the re-created version's undo, then the sample session's older one.
        #expect(markdown[section.upperBound...].hasPrefix("""
            aws iam create-policy-version --policy-arn \(arn) --policy-document '{}'
            aws iam set-default-policy-version --policy-arn \(arn) --version-id v1
            ```
            """))
    }

    @Test func jsonReportValidatesAgainstTheDocumentedSchema() throws {
        let (home, folder) = try makeSession()
        defer { home.remove() }
        let json = try ReportExport.render(folder: folder, format: .json, maskAccountIDs: false).text
        #expect(try schemaComplaint(json) == nil)
        let value = try JSONValue.parse(json)
        #expect(value["schema"]?.stringValue == "whydenied/report@1")
        #expect(value["summary"]?["verdict"]?.stringValue == "implicit_deny")
        #expect(value["commands"]?.arrayValue?.count == 4)
        #expect(value["open_questions"]?[0]?["key"]?.stringValue == "aws:SourceVpce")
        #expect(value["changes"]?[0]?["rollback_argv"]?[0]?.arrayValue?.last?.stringValue == "v1")
        #expect(value["recommendation"]?["placement"]?["owner"]?.stringValue == "cloudformation")
        #expect(value["recommendation"]?["placement"]?["code_note"]?.isNull == true)

        // An empty session is a valid report too.
        let empty = try home.store.createSession()
        try JournalWriter(folder: empty).append(.sessionStarted(runbook: "access-denied", changesEnabled: false))
        #expect(try schemaComplaint(try ReportExport.render(folder: empty, format: .json, maskAccountIDs: true).text) == nil)

        // The validator really checks: a report without its schema tag, or with a wrong type, fails.
        guard case .object(var broken) = value else { Issue.record("report is not an object"); return }
        broken["schema"] = nil
        #expect(try schemaComplaint(JSONValue.object(broken).serialized())?.contains("'schema' is a required property") == true)
        broken["schema"] = .string("whydenied/report@1")
        broken["commands"] = .string("none")
        #expect(try schemaComplaint(JSONValue.object(broken).serialized()) != nil)
    }

    @Test func argvDisplayQuotesOnlyWhatNeedsIt() {
        #expect(ArgvDisplay.line(["aws", "s3api", "get-object", "--key", "q3 report.csv", "it's", ""])
            == #"aws s3api get-object --key 'q3 report.csv' 'it'\''s' ''"#)
        #expect(ArgvDisplay.line(["aws", "iam", "get-role", "--role-name", "app+role@x=1,2"]) == "aws iam get-role --role-name app+role@x=1,2")
    }
}
