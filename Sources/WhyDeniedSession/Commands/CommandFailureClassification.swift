import Foundation
import WhyDeniedEvidence

// Classification of the CLI's text into `CommandFailure`. Pure: the runner calls it on live
// output and tests call it on recorded real stderr texts.

extension CommandFailure {
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
        "ProvisionedThroughputExceededException", "RequestLimitExceededException",
    ]
    static let expiredCodes: Set<String> = [
        "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired",
    ]
    static let invalidCredentialCodes: Set<String> = [
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
        "InvalidAccessKeyId", "AuthFailure", "InvalidToken", "IncompleteSignature",
        "MissingAuthenticationToken", "InvalidSignatureException",
    ]
    static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
        "UnauthorizedAccess", "AuthorizationError", "AuthorizationErrorException", "403",
    ]
    static let unavailableCodes: Set<String> = [
        "InvalidAction", "UnknownOperationException", "UnknownOperation", "NotImplemented",
        "NotImplementedException", "UnsupportedOperation", "UnsupportedOperationException",
        "InternalError", "InternalFailure", "InternalServerError", "InternalServerException",
        "InternalServiceError", "InternalServiceException", "ServiceUnavailable",
        "ServiceUnavailableException", "ServiceFailure", "ServiceException",
    ]
    static let invalidRequestCodes: Set<String> = [
        "ValidationError", "ValidationException", "InvalidParameterValue", "InvalidParameterException",
        "InvalidParameterValueException", "InvalidParameterCombination", "InvalidInput",
        "MalformedPolicyDocument", "InvalidRequest", "InvalidArgument", "InvalidTimeRangeException",
        "InvalidLookupAttributesException", "InvalidNextTokenException",
    ]

    /// Classifies a finished `aws` run. `nil` when it succeeded (exit 0).
    ///
    /// - Parameter argv: the command as run; used to name the denied action when the message
    ///   does not (`aws iam get-role` + operation `GetRole` → `iam:GetRole`).
    public static func classify(stderr: String, exitCode: Int32, argv: [String]) -> CommandFailure? {
        guard exitCode != 0 else { return nil }
        if let text = CLIErrorText(stderr: stderr) {
            return classify(text, argv: argv)
        }
        return classifyClientSide(stderr: stderr, exitCode: exitCode)
    }

    static func classify(_ text: CLIErrorText, argv: [String]) -> CommandFailure {
        let code = text.code
        let message = text.message
        if throttlingCodes.contains(code) || (code == "400" && message.contains("Rate exceeded")) {
            return .throttled(message: message)
        }
        if expiredCodes.contains(code) { return .credentials(.expired, message: message) }
        if invalidCredentialCodes.contains(code) { return .credentials(.invalid, message: message) }
        if accessDeniedCodes.contains(code) {
            return .permissionDenied(action: deniedAction(in: message) ?? action(of: argv, operation: text.operation),
                                     message: message)
        }
        if unavailableCodes.contains(code) || isServerStatus(code) {
            let operation = text.operation.map { " answering \($0)" } ?? ""
            return .sourceUnavailable(reason: "\(code)\(operation)")
        }
        if code.hasPrefix("NoSuch") || code.hasSuffix("NotFoundException") || code.hasSuffix("NotFound")
            || code == "404" {
            return .notFound(code: code, message: message)
        }
        if invalidRequestCodes.contains(code) { return .invalidRequest(message: "\(code): \(message)") }
        return .failed(code: code, message: message)
    }

    static func classifyClientSide(stderr: String, exitCode: Int32) -> CommandFailure {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstLine = text.split(separator: "\n").last(where: { !$0.isEmpty }).map(String.init) ?? text
        let connectionMarkers = [
            "Could not connect to the endpoint URL", "Connect timeout on endpoint URL",
            "Read timeout on endpoint URL", "Connection was closed before we received a valid response",
            "Connection refused", "Failed to establish a new connection",
        ]
        if let marker = connectionMarkers.first(where: text.contains) {
            let detail = lineContaining(marker, in: text)
            if let host = prefixedIPHost(in: detail) {
                return .sourceUnavailable(reason: "the aws CLI sends this call to \(host): it puts the account id before the "
                    + "endpoint's host (the operation's host prefix), and an endpoint given as an IP address has no such host name")
            }
            return .endpointUnreachable(detail: detail)
        }
        if text.contains("Unable to locate credentials") {
            return .credentials(.missing, message: lineContaining("Unable to locate credentials", in: text))
        }
        let ssoMarkers = ["Error when retrieving token from sso", "The SSO session associated with this profile",
                          "Token has expired and refresh failed", "Error loading SSO Token"]
        if let marker = ssoMarkers.first(where: text.contains) {
            return .credentials(.ssoExpired, message: lineContaining(marker, in: text))
        }
        if text.contains("could not be found"), text.contains("profile") {
            return .credentials(.profileNotFound, message: firstLine)
        }
        if text.contains("Invalid choice") || text.contains("Found invalid choice") {
            return .sourceUnavailable(reason: "this aws CLI does not know the command (\(firstLine))")
        }
        if exitCode == 2 || exitCode == 252 || text.contains("Unknown options") || text.contains("arguments are required")
            || text.contains("Error parsing parameter") {
            return .invalidRequest(message: firstLine)
        }
        if text.isEmpty { return .failed(code: nil, message: "aws exited with status \(exitCode) and printed nothing") }
        return .failed(code: nil, message: firstLine)
    }

    /// The host of the URL in a connection failure when it is a name put before an IPv4 address
    /// (`123456789012.127.0.0.1:5000`): the CLI prefixed the host (s3control's `{AccountId}.`),
    /// and no DNS name ends in an address, so the endpoint itself may well be answering.
    static func prefixedIPHost(in detail: String) -> String? {
        guard let start = detail.range(of: "://") else { return nil }
        let authority = detail[start.upperBound...].prefix { $0 != "/" && $0 != "\"" && $0 != " " }
        let host = authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? String(authority)
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count > 4 else { return nil }
        guard IPv4Address.isDottedQuad(labels.suffix(4)) else { return nil }
        return String(authority)
    }

    /// `... is not authorized to perform: iam:ListAttachedRolePolicies on resource ...` → the action.
    /// Read by the one error-message parser, as every other denial text is.
    static func deniedAction(in message: String) -> String? {
        AuthorizationErrorParser.parseIfAuthorizationError(message)?.action
    }

    /// `aws iam get-role` + `GetRole` → `iam:GetRole`; `s3api` maps to the `s3` prefix.
    static func action(of argv: [String], operation: String?) -> String? {
        guard let operation else { return nil }
        let arguments = argv.first == "aws" || argv.first?.hasSuffix("/aws") == true ? Array(argv.dropFirst()) : argv
        guard let service = arguments.first(where: { !$0.hasPrefix("-") }) else { return nil }
        let prefix: String
        switch service {
        case "s3api", "s3": prefix = "s3"
        case "logs": prefix = "logs"
        default: prefix = service
        }
        return "\(prefix):\(operation)"
    }

    static func isServerStatus(_ code: String) -> Bool {
        guard let status = Int(code) else { return false }
        return (500...599).contains(status)
    }

    private static func lineContaining(_ marker: String, in text: String) -> String {
        text.split(separator: "\n").first(where: { $0.contains(marker) }).map { String($0).trimmingCharacters(in: .whitespaces) } ?? marker
    }
}
