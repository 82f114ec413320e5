import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 12 item 4: a resource policy whose read failed is not "no policy". The verdict is
/// Undecided, naming the policy and the failed read, and the headless exit status is 3, not 0.
@Suite struct UnreadPolicyVerdictTests {
    static let connectionError = """

        Could not connect to the endpoint URL: "https://deploy-artifacts.s3.us-east-1.amazonaws.com/?policy"

        """

    @Test func aBucketPolicyReadThatFailedIsNotNoPolicy() async throws {
        let runbook = try RunbookFixture.loaded()
        var answers = CIDeployerCase.answers()
        answers["s3api get-bucket-policy"] = GuidedFakeAWS.error(Self.connectionError, exit: 255)
        var session = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
        await session.runHeadless(effects: GuidedFakeAWS(answers: answers)) { _ in }

        let findings = session.findings
        #expect(findings.verdict == .undecided)
        #expect(findings.decidingPolicy?.name == "bucket policy of deploy-artifacts")
        let why = try #require(findings.explanation)
        #expect(why.contains("could not be read (aws s3api get-bucket-policy --bucket deploy-artifacts"), "\(why)")
        #expect(why.contains("Could not connect to the endpoint URL"), "\(why)")
        #expect(findings.fix?.kind == .cannotTell)
        #expect(findings.fix?.summary.contains("Cannot tell until it is read") == true)
        #expect(session.headlessExitStatus == 3)
        let question = try #require(session.evaluationRecord?.undecidedKeys.first)
        #expect(question.key == #"resource-based policy "bucket policy of deploy-artifacts""#)
        #expect(question.why.hasPrefix("could not be read (aws s3api get-bucket-policy --bucket deploy-artifacts"), "\(question.why)")

        // The same session where the bucket simply has no policy stays decided.
        var answered = GuidedSession(runbook: runbook, parameters: CIDeployerCase.parameters, now: GuidedSessionTests.now, readOnly: true)
        await answered.runHeadless(effects: GuidedFakeAWS(answers: CIDeployerCase.answers())) { _ in }
        #expect(answered.findings.verdict == .implicitDeny)
        #expect(answered.failedPolicyReads.isEmpty)
        #expect(answered.headlessExitStatus == 0)
    }

    /// The real `aws` CLI pointed at a port nothing listens on: it fails with its own
    /// connection error (dummy credentials, two tries, nothing leaves the machine).
    static let closedPort: AWSCommandRunner = AWSCommandRunner(connection: AWSConnection(
        region: MotoSandbox.region, endpointURL: "http://127.0.0.1:1",
        environment: ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_MAX_ATTEMPTS": "2",
                      "AWS_CONFIG_FILE": "/nonexistent/whydenied-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/whydenied-credentials",
                      "AWS_EC2_METADATA_DISABLED": "true"]))

    /// Answers every command from the scenario's recorded live run except one operation, which
    /// the real CLI sends to a closed port.
    struct UnreachableOperation: SessionEffects {
        let runner: AWSCommandRunner
        let operation: String

        func run(_ request: CommandRequest) async -> CommandOutcome {
            guard request.argv.contains(operation) else { return await runner.run(request) }
            return await UnreadPolicyVerdictTests.closedPort.run(request)
        }

        func isToolAvailable(_ name: String) async -> Bool { await runner.isToolAvailable(name) }
    }

    // The seed case (bucket policy DenyOutsideCorporateNetwork) against a real moto_server: with
    // get-bucket-policy failing on a connection error it used to read "allowed by the policies
    // read", exit 0.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func seedWithTheBucketPolicyUnreachableIsUndecided() async throws {
        let recording = try await ScenarioRecordings.shared.recording("seed")
        let parameters = recording.parameters
        do {
            let effects = UnreachableOperation(runner: recording.replayRunner(), operation: "get-bucket-policy")
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: effects)
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")
            let read = try #require(session.failedPolicyReads["resource_policy"])
            #expect(read.read.hasPrefix("aws s3api get-bucket-policy --bucket analytics-data-bucket"))
            #expect(read.reason.contains("The endpoint stopped answering"), "\(read.reason)")

            let findings = session.findings
            #expect(findings.verdict == .undecided)
            #expect(findings.decidingPolicy?.description.contains("bucket policy of analytics-data-bucket") == true)
            #expect(findings.explanation?.contains("aws s3api get-bucket-policy --bucket analytics-data-bucket") == true, "\(findings.explanation ?? "")")
            #expect(findings.explanation?.contains("if it denies: explicit deny") == true)
            #expect(session.headlessExitStatus == 3)
        }
    }

    // Issue 14 item 1: the kms-grant case (the key policy names only KeyAdminRole, the role's own
    // policy allows kms:Decrypt) with `kms list-grants` failing on a connection error. A grant
    // could allow the caller, so the grants are an unread policy and the verdict is Undecided
    // naming them; it used to be a note and an implicit deny.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func kmsGrantWithTheGrantListingUnreachableIsUndecided() async throws {
        let recording = try await ScenarioRecordings.shared.recording("kms-grant")
        let parameters = recording.parameters
        do {
            let effects = UnreachableOperation(runner: recording.replayRunner(), operation: "list-grants")
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: effects)
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")
            let read = try #require(session.failedPolicyReads["key_grants"])
            #expect(read.read.hasPrefix("aws kms list-grants --key-id "), "\(read.read)")

            let findings = session.findings
            #expect(findings.verdict == .undecided)
            #expect(findings.decidingPolicy?.type == .kmsKeyPolicy)
            #expect(findings.decidingPolicy?.name.hasPrefix("grants of key ") == true, "\(String(describing: findings.decidingPolicy))")
            let why = try #require(findings.explanation)
            #expect(why.contains("could not be read (aws kms list-grants --key-id"), "\(why)")
            // A grant only allows: what it could decide is "allowed" or the key policy's implicit deny, never an explicit deny.
            #expect(!why.contains("if it denies"), "\(why)")
            #expect(why.contains("if it grants the caller: allowed"), "\(why)")
            #expect(session.headlessExitStatus == 3)
        }
    }

    /// Like `UnreachableOperation`, for the one command whose argv holds every given element.
    struct UnreachableCommand: SessionEffects {
        let runner: AWSCommandRunner
        let elements: [String]

        func run(_ request: CommandRequest) async -> CommandOutcome {
            guard elements.allSatisfy(request.argv.contains) else { return await runner.run(request) }
            return await UnreadPolicyVerdictTests.closedPort.run(request)
        }

        func isToolAvailable(_ name: String) async -> Bool { await runner.isToolAvailable(name) }
    }

    // The role-boundary case (the role's policy allows sqs:SendMessage, its boundary does not)
    // against a real moto_server: with the boundary's get-policy-version failing on a connection
    // error the boundary counted as no boundary (no failed read was kept for it), so the role's
    // own Allow decided.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed (pip install 'moto[server]' awscli)"))
    func roleBoundaryWithTheBoundaryUnreachableIsUndecided() async throws {
        let recording = try await ScenarioRecordings.shared.recording("role-boundary")
        let parameters = recording.parameters
        do {
            let boundaryArn = "arn:aws:iam::\(MotoSandbox.accountID):policy/OrderProcessorBoundary"
            let effects = UnreachableCommand(runner: recording.replayRunner(), elements: ["get-policy-version", boundaryArn])
            let session = try await GuidedMotoRunbookTests.run(parameters, effects: effects)
            #expect(session.nextStep() == .finished(.completed), "\(session.notes)")
            let read = try #require(session.failedPolicyReads.values.first { $0.read.contains("get-policy-version") })
            #expect(read.read.hasPrefix("aws iam get-policy-version --policy-arn \(boundaryArn)"), "\(read.read)")
            #expect(read.reason.contains("Could not connect to the endpoint URL"), "\(read.reason)")

            let findings = session.findings
            #expect(findings.verdict == .undecided)
            #expect(findings.decidingPolicy?.type == .permissionsBoundary)
            #expect(findings.decidingPolicy?.name == "OrderProcessorBoundary")
            let why = try #require(findings.explanation)
            #expect(why.contains(#"permissions boundary "OrderProcessorBoundary" could not be read (aws iam get-policy-version --policy-arn \#(boundaryArn)"#), "\(why)")
            #expect(session.headlessExitStatus == 3)
        }
    }
}
