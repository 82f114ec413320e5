import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunner
import WhyDeniedSession

@Suite struct AWSCommandRunnerTests {
    let throttled = "An error occurred (ThrottlingException) when calling the LookupEvents operation (reached max retries: 4): Rate exceeded"

    func runner(_ launcher: ScriptedLauncher, sleeps: SleepLog = SleepLog(),
                connection: AWSConnection = AWSConnection(profile: "audit", region: "eu-west-1", endpointURL: "http://127.0.0.1:5000")) -> AWSCommandRunner {
        AWSCommandRunner(connection: connection, launcher: launcher, retry: RetryPolicy(maxAttempts: 3, base: .seconds(1)),
                         needsExecutable: false, inheritedEnvironment: ["PATH": "/usr/bin"],
                         sleep: { sleeps.record($0) }, unitRandom: { 1.0 })
    }

    @Test func addsGlobalOptionsAndKeepsTheRunbooksOwn() {
        let connection = AWSConnection(profile: "audit", region: "eu-west-1", endpointURL: "http://127.0.0.1:5000")
        #expect(connection.arguments(for: ["aws", "sts", "get-caller-identity"]) ==
                ["sts", "get-caller-identity", "--output", "json", "--profile", "audit", "--region", "eu-west-1",
                 "--endpoint-url", "http://127.0.0.1:5000"])
        #expect(connection.arguments(for: ["aws", "cloudtrail", "describe-trails", "--region", "us-east-2"]) ==
                ["cloudtrail", "describe-trails", "--region", "us-east-2", "--output", "json", "--profile", "audit",
                 "--endpoint-url", "http://127.0.0.1:5000"])
    }

    /// s3control through an endpoint given as an IP address cannot connect (the CLI puts the
    /// account id before the host): said at once, without the CLI's 10 seconds of retries. A host
    /// name endpoint, or no endpoint, runs it.
    @Test func aHostPrefixedCallThroughAnIPEndpointIsNotRun() async {
        let argv = ["aws", "s3control", "get-public-access-block", "--account-id", "123456789012"]
        let launcher = ScriptedLauncher([])
        let outcome = await runner(launcher).run(CommandRequest(argv: argv))
        #expect(launcher.recordedCalls.isEmpty)
        #expect(outcome.failure?.meansSourceUnavailable == true)
        #expect(outcome.failure?.operatorMessage.contains("123456789012.127.0.0.1") == true, "\(String(describing: outcome.failure))")
        #expect(AWSConnection(endpointURL: "http://[::1]:5000").unreachableReason(for: argv) != nil)
        for endpoint in ["http://localhost.localstack.cloud:4566", "https://s3-control.example.internal", nil] {
            #expect(AWSConnection(endpointURL: endpoint).unreachableReason(for: argv) == nil, "\(String(describing: endpoint))")
        }
        #expect(AWSConnection(endpointURL: "http://127.0.0.1:5000").unreachableReason(for: ["aws", "s3api", "get-bucket-acl"]) == nil)
        #expect(AWSConnection(endpointURL: "http://10.0.0.300:5000").unreachableReason(for: argv) == nil)
    }

    @Test func childEnvironmentNeverPagesOrPrompts() {
        let inherited = ["PATH": "/bin", "AWS_PROFILE": "prod", "HOME": "/root", "AWS_PAGER": "less"]
        let live = AWSConnection().childEnvironment(inherited: inherited)
        #expect(live["AWS_PAGER"] == "" && live["AWS_CLI_AUTO_PROMPT"] == "off" && live["AWS_PROFILE"] == "prod")
        let sealed = AWSConnection(environment: ["AWS_CONFIG_FILE": "/tmp/c"], inheritsEnvironment: false)
            .childEnvironment(inherited: inherited)
        #expect(sealed["AWS_PROFILE"] == nil && sealed["PATH"] == "/bin" && sealed["AWS_CONFIG_FILE"] == "/tmp/c")
    }

    @Test func retriesThrottlingWithGrowingBackOff() async {
        let launcher = ScriptedLauncher([failing(throttled), failing(throttled), ok(#"{"Events":[]}"#)])
        let sleeps = SleepLog()
        let outcome = await runner(launcher, sleeps: sleeps).run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        #expect(outcome.succeeded)
        #expect(outcome.attempts == 3)
        #expect(sleeps.all == [.seconds(1), .seconds(2)])
    }

    @Test func givesUpOnThrottlingAfterTheBound() async {
        let launcher = ScriptedLauncher([failing(throttled), failing(throttled), failing(throttled), ok("{}")])
        let outcome = await runner(launcher).run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        #expect(outcome.failure == .throttled(message: "Rate exceeded"))
        #expect(outcome.attempts == 3)
        #expect(launcher.recordedCalls.count == 3)
    }

    @Test func doesNotRetryExpiredCredentials() async {
        let expired = "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired"
        let launcher = ScriptedLauncher([failing(expired), ok("{}")])
        let outcome = await runner(launcher).run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        #expect(outcome.failure == .credentials(.expired, message: "The security token included in the request is expired"))
        #expect(outcome.attempts == 1)
    }

    @Test func pagesWithTheTokenUpToTheVisibleBound() async throws {
        let launcher = ScriptedLauncher([
            ok(#"{"Events":[{"EventId":"1"}],"NextToken":"t1"}"#),
            ok(#"{"NextToken":"t2","Events":[{"EventId":"2"}]}"#),
            ok(#"{"Events":[{"EventId":"3"}],"NextToken":"t3"}"#),
        ])
        let sleeps = SleepLog()
        let request = CommandRequest(argv: ["aws", "cloudtrail", "lookup-events", "--max-items", "50"],
                                     paging: PageRequest(tokenArgument: "--starting-token", tokenField: "NextToken", maxPages: 2))
        let outcome = await runner(launcher, sleeps: sleeps).run(request)
        #expect(outcome.succeeded)
        #expect(outcome.pagesRead == 2)
        #expect(outcome.morePagesAvailable)
        let calls = launcher.recordedCalls
        #expect(calls.count == 2)
        #expect(!calls[0].contains("--starting-token"))
        #expect(calls[1].suffix(2) == ["--starting-token", "t1"])
        let merged = try JSONValue.parse(outcome.stdout)
        #expect(merged["Events"]?.arrayValue?.compactMap { $0["EventId"]?.stringValue } == ["1", "2"])
        #expect(merged["NextToken"] == nil)
        // lookup-events is paced at 2 requests/second: the second page waited for its slot.
        #expect(sleeps.all.count == 1)
        #expect(sleeps.all.allSatisfy { $0 > .zero && $0 <= .milliseconds(500) })
    }

    @Test func stopsPagingWhenNoTokenRemains() async {
        let launcher = ScriptedLauncher([ok(#"{"events":[{"eventId":"a"}],"nextToken":"n"}"#), ok(#"{"events":[{"eventId":"b"}]}"#)])
        let request = CommandRequest(argv: ["aws", "logs", "filter-log-events"],
                                     paging: PageRequest(tokenArgument: "--next-token", tokenField: "nextToken", maxPages: 5))
        let outcome = await runner(launcher).run(request)
        #expect(outcome.pagesRead == 2 && !outcome.morePagesAvailable)
        #expect(launcher.recordedCalls[1].suffix(2) == ["--next-token", "n"])
    }

    @Test func aPageThatIsNotJSONIsAFailureNamingThePage() async {
        let launcher = ScriptedLauncher([ok("not json")])
        let outcome = await runner(launcher).run(CommandRequest(argv: ["aws", "logs", "filter-log-events"], paging: PageRequest()))
        guard case .failed(_, let message)? = outcome.failure else { Issue.record("expected a failure"); return }
        #expect(message.hasPrefix("page 1 is not JSON"))
    }

    @Test func backOffIsBoundedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 10, base: .seconds(1), cap: .seconds(20))
        #expect(policy.delay(beforeAttempt: 1, unitRandom: 1) == .zero)
        #expect(policy.delay(beforeAttempt: 2, unitRandom: 1) == .seconds(1))
        #expect(policy.delay(beforeAttempt: 4, unitRandom: 1) == .seconds(4))
        #expect(policy.delay(beforeAttempt: 4, unitRandom: 0.25) == .seconds(1))
        #expect(policy.delay(beforeAttempt: 9, unitRandom: 1) == .seconds(20))
        #expect(policy.delay(beforeAttempt: 60, unitRandom: 1) == .seconds(20))
    }

    @Test func pacerWaitsOnlyTheRemainder() {
        #expect(RequestPacer.wait(minimumInterval: .milliseconds(500), sinceLastStart: nil) == .zero)
        #expect(RequestPacer.wait(minimumInterval: .milliseconds(500), sinceLastStart: .milliseconds(200)) == .milliseconds(300))
        #expect(RequestPacer.wait(minimumInterval: .milliseconds(500), sinceLastStart: .seconds(1)) == .zero)
        #expect(RequestPacer.defaultInterval(for: ["aws", "cloudtrail", "lookup-events"]) == .milliseconds(500))
        #expect(RequestPacer.defaultInterval(for: ["aws", "cloudtrail", "describe-trails"]) == nil)
    }

    @Test func readsCLIVersions() throws {
        let v1 = try #require(AWSCLIVersion(versionOutput: "aws-cli/1.45.11 Python/3.11.7 Linux/6.18.44 botocore/1.43.11"))
        #expect(v1.major == 1 && v1.isSupported)
        let v2 = try #require(AWSCLIVersion(versionOutput: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.ubuntu.22"))
        #expect(v2.major == 2 && v2.isSupported)
        let old = try #require(AWSCLIVersion(versionOutput: "aws-cli/1.16.300 Python/2.7.16 Darwin/19.0.0 botocore/1.13.36"))
        #expect(!old.isSupported)
        #expect(AWSCLIVersion(versionOutput: "command not found") == nil)
    }
}
