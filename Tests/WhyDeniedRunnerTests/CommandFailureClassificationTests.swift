import Testing
import WhyDeniedSession

/// Real stderr texts: from `aws` v1.45 against moto on this machine, and as quoted in public
/// aws-cli / tool issues (ExpiredToken: aws/aws-cli#7870; Throttling: nccgroup/Scout2#163).
@Suite struct CommandFailureClassificationTests {
    let lookup = ["aws", "cloudtrail", "lookup-events", "--output", "json"]

    @Test func successIsNoFailure() {
        #expect(CommandFailure.classify(stderr: "", exitCode: 0, argv: lookup) == nil)
    }

    @Test func parsesTheCLIErrorLine() throws {
        let text = try #require(CLIErrorText(stderr: "\nAn error occurred (Throttling) when calling the GetStackPolicy operation (reached max retries: 4): Rate exceeded\n"))
        #expect(text.code == "Throttling")
        #expect(text.operation == "GetStackPolicy")
        #expect(text.reachedMaxRetries == 4)
        #expect(text.message == "Rate exceeded")
    }

    @Test func throttlingIsRetryable() {
        let failure = CommandFailure.classify(
            stderr: "An error occurred (ThrottlingException) when calling the LookupEvents operation (reached max retries: 4): Rate exceeded",
            exitCode: 254, argv: lookup)
        #expect(failure == .throttled(message: "Rate exceeded"))
        #expect(failure?.isRetryable == true)
    }

    @Test func expiredTokenSaysHowToRefresh() throws {
        let failure = try #require(CommandFailure.classify(
            stderr: "\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n",
            exitCode: 254, argv: ["aws", "sts", "get-caller-identity"]))
        #expect(failure == .credentials(.expired, message: "The security token included in the request is expired"))
        #expect(failure.operatorMessage.contains("aws sso login"))
        #expect(!failure.isRetryable)
    }

    @Test func invalidAndMissingCredentials() {
        #expect(CommandFailure.classify(
            stderr: "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
            exitCode: 254, argv: []) == .credentials(.invalid, message: "The security token included in the request is invalid."))
        #expect(CommandFailure.classify(
            stderr: "Unable to locate credentials. You can configure credentials by running \"aws configure\".\n",
            exitCode: 253, argv: []) == .credentials(.missing, message: "Unable to locate credentials. You can configure credentials by running \"aws configure\"."))
        let sso = CommandFailure.classify(
            stderr: "Error when retrieving token from sso: Token has expired and refresh failed\n", exitCode: 255, argv: [])
        #expect(sso == .credentials(.ssoExpired, message: "Error when retrieving token from sso: Token has expired and refresh failed"))
    }

    @Test func accessDeniedOnOurReadNamesTheAction() {
        let named = CommandFailure.classify(
            stderr: "An error occurred (AccessDenied) when calling the ListAttachedRolePolicies operation: User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:ListAttachedRolePolicies on resource: role DataAnalystRole because no identity-based policy allows the iam:ListAttachedRolePolicies action",
            exitCode: 254, argv: ["aws", "iam", "list-attached-role-policies"])
        guard case .permissionDenied(let action, _) = named else { Issue.record("not permissionDenied: \(String(describing: named))"); return }
        #expect(action == "iam:ListAttachedRolePolicies")
        #expect(named?.operatorMessage.contains("iam:ListAttachedRolePolicies") == true)

        // S3 says only "Access Denied": the action comes from the argv and the operation.
        let derived = CommandFailure.classify(
            stderr: "An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied",
            exitCode: 254, argv: ["aws", "s3api", "get-bucket-policy", "--bucket", "b"])
        #expect(derived == .permissionDenied(action: "s3:GetBucketPolicy", message: "Access Denied"))
    }

    @Test func motoLookupEventsAnswerMeansFallBack() {
        // Recorded: aws-cli/1.45.11 against moto 5 (`cloudtrail lookup-events` is not implemented there).
        let stderr = """

        An error occurred (500) when calling the LookupEvents operation (reached max retries: 4): <!doctype html>
        <html lang=en>
        <title>500 Internal Server Error</title>
        <h1>Internal Server Error</h1>
        <p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
        """
        let failure = CommandFailure.classify(stderr: stderr, exitCode: 255, argv: lookup)
        #expect(failure == .sourceUnavailable(reason: "500 answering LookupEvents"))
        #expect(failure?.meansSourceUnavailable == true)
    }

    @Test func unknownOperationsAndServerErrorsMeanFallBack() {
        for code in ["InvalidAction", "UnknownOperationException", "NotImplemented", "ServiceUnavailable", "503", "InternalFailure"] {
            let failure = CommandFailure.classify(
                stderr: "An error occurred (\(code)) when calling the LookupEvents operation: x", exitCode: 254, argv: lookup)
            #expect(failure?.meansSourceUnavailable == true, "\(code)")
        }
        let cliTooOldForCommand = CommandFailure.classify(stderr: """
            usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
            aws: error: argument operation: Invalid choice, valid choices are:
            """, exitCode: 2, argv: lookup)
        #expect(cliTooOldForCommand?.meansSourceUnavailable == true)
    }

    @Test func connectionRefusedMeansTheEndpointStoppedAnswering() {
        // Recorded: aws-cli/1.45.11 with nothing listening on the endpoint.
        let failure = CommandFailure.classify(
            stderr: "\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"\n", exitCode: 255, argv: [])
        #expect(failure == .endpointUnreachable(detail: "Could not connect to the endpoint URL: \"http://127.0.0.1:1/\""))
        #expect(failure?.operatorMessage.hasPrefix("The endpoint stopped answering (Could not connect to the endpoint URL") == true)
        #expect(failure?.operatorMessage.contains("next source") == false)
        // Every other commands would fail alike: it is not a source to fall back from.
        #expect(failure?.meansSourceUnavailable == false)
    }

    /// s3control's host prefix put before an endpoint given as an IP address: no such host can
    /// exist, so the endpoint has not stopped answering; this one call cannot reach it.
    @Test func aHostPrefixBeforeAnIPAddressIsThisSourceUnavailableNotTheEndpointGone() {
        // Recorded: aws-cli/1.45.11 (botocore 1.43.11), AWS_ENDPOINT_URL=http://127.0.0.1:5999.
        let stderr = "\nCould not connect to the endpoint URL: \"http://123456789012.127.0.0.1:5999/v20180820/configuration/publicAccessBlock\"\n"
        let failure = CommandFailure.classify(stderr: stderr, exitCode: 255,
                                              argv: ["aws", "s3control", "get-public-access-block", "--account-id", "123456789012"])
        guard case .sourceUnavailable(let reason)? = failure else { Issue.record("\(String(describing: failure))"); return }
        #expect(reason.contains("123456789012.127.0.0.1:5999"), "\(reason)")
        #expect(failure?.operatorMessage.contains("stopped answering") == false)
        // A name or a plain address that does not answer is the endpoint gone, as before.
        for url in ["http://127.0.0.1:5999/", "https://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/configuration/publicAccessBlock",
                    "http://localhost:5999/", "http://moto.internal:5000/"] {
            let other = CommandFailure.classify(stderr: "\nCould not connect to the endpoint URL: \"\(url)\"\n", exitCode: 255, argv: [])
            guard case .endpointUnreachable? = other else { Issue.record("\(url): \(String(describing: other))"); continue }
        }
    }

    @Test func aSourceOutageDoesNotPromiseANextSource() {
        // Whether there is a next source is the runbook's to say, not the failure's.
        let failure = CommandFailure.classify(
            stderr: "An error occurred (500) when calling the LookupEvents operation (reached max retries: 1): Internal Server Error",
            exitCode: 255, argv: ["aws", "cloudtrail", "lookup-events"])
        #expect(failure?.meansSourceUnavailable == true)
        #expect(failure?.operatorMessage.contains("next source") == false, "\(failure?.operatorMessage ?? "")")
    }

    @Test func notFoundIsItsOwnClass() {
        #expect(CommandFailure.classify(
            stderr: "An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist",
            exitCode: 254, argv: []) == .notFound(code: "NoSuchBucketPolicy", message: "The bucket policy does not exist"))
        // Recorded from moto.
        #expect(CommandFailure.classify(
            stderr: "\nAn error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.\n",
            exitCode: 255, argv: [])?.errorCode == "NoSuchEntity")
    }

    @Test func usageErrorsAreInvalidRequests() {
        let failure = CommandFailure.classify(stderr: "\nUnknown options: --frobnicate\n", exitCode: 255, argv: [])
        #expect(failure == .invalidRequest(message: "Unknown options: --frobnicate"))
    }

    @Test func unrecognisedTextIsKeptVerbatim() {
        #expect(CommandFailure.classify(stderr: "something odd\n", exitCode: 1, argv: []) == .failed(code: nil, message: "something odd"))
        #expect(CommandFailure.classify(stderr: "", exitCode: 3, argv: [])
                == .failed(code: nil, message: "aws exited with status 3 and printed nothing"))
    }
}
