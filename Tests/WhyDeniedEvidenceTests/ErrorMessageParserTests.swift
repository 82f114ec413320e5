import Foundation
import Testing
@testable import WhyDeniedEvidence

/// How the parser copes with the ways a real message reaches it: colour codes, prompts, JSON
/// escaping, hard wraps, quotes, CRLF and long logs. The base text is the AWS Security Blog's
/// "Enhanced" example (corpus id aws-blog-scp-enhanced); the wrappings are what terminals,
/// loggers and issue trackers do to it.
@Suite("Error message parser")
struct ErrorMessageParserTests {
    static let enhanced = "An error occurred (AccessDenied) when calling the ListRoles operation: User: "
        + "arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on resource: "
        + "arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy: "
        + "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"

    /// Asserts every field of the enhanced message survived the transformation.
    private func expectEnhancedFields(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let denied = try AuthorizationErrorParser.parse(text).get()
        #expect(denied.code == "AccessDenied", sourceLocation: sourceLocation)
        #expect(denied.operation == "ListRoles", sourceLocation: sourceLocation)
        #expect(denied.principalText == "arn:aws:iam::123456789012:user/Matt", sourceLocation: sourceLocation)
        #expect(denied.principalKind == .iamUser, sourceLocation: sourceLocation)
        #expect(denied.principal?.name == "Matt", sourceLocation: sourceLocation)
        #expect(denied.accountId == "123456789012", sourceLocation: sourceLocation)
        #expect(denied.action == "iam:ListRoles", sourceLocation: sourceLocation)
        #expect(denied.resource == "arn:aws:iam::123456789012:role/*", sourceLocation: sourceLocation)
        #expect(denied.decision == .explicitDeny, sourceLocation: sourceLocation)
        #expect(denied.policyType == .serviceControlPolicy, sourceLocation: sourceLocation)
        #expect(denied.policyArn == "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd",
                sourceLocation: sourceLocation)
    }

    @Test func plainMessage() throws {
        try expectEnhancedFields(Self.enhanced)
    }

    @Test func ansiColourCodes() throws {
        try expectEnhancedFields("\u{1B}[31m\u{1B}[1m" + Self.enhanced + "\u{1B}[0m")
        let inside = Self.enhanced.replacingOccurrences(of: "AccessDenied", with: "\u{1B}[1;31mAccessDenied\u{1B}[0m")
            .replacingOccurrences(of: "iam:ListRoles on", with: "\u{1B}[4miam:ListRoles\u{1B}[24m on")
        try expectEnhancedFields(inside)
        try expectEnhancedFields("\u{1B}]0;terminal title\u{07}" + Self.enhanced)
    }

    @Test func wholeCLIStderrBlockWithPrompts() throws {
        let block = "ops@bastion:~$ aws iam list-roles --profile dev\n\n" + Self.enhanced
            + "\nops@bastion:~$ echo $?\n254\nops@bastion:~$ "
        try expectEnhancedFields(block)
        try expectEnhancedFields("PS C:\\Users\\ops> aws iam list-roles\r\n\r\n" + Self.enhanced + "\r\n")
    }

    @Test func jsonEscapedOnceAndTwice() throws {
        let once = String(decoding: try JSONEncoder().encode(["message": "line one\n" + Self.enhanced + "\n"]), as: UTF8.self)
        #expect(once.contains("\\n"))
        try expectEnhancedFields(once)
        let twice = String(decoding: try JSONEncoder().encode(["log": once]), as: UTF8.self)
        #expect(twice.contains("\\\\n") || twice.contains("\\\""))
        try expectEnhancedFields(twice)
    }

    @Test func wrappedAtWordBoundaries() throws {
        // What an issue tracker or a narrow terminal does: break at spaces, about 60 columns.
        var lines: [String] = []
        var current = ""
        for word in Self.enhanced.split(separator: " ") {
            if current.count + word.count + 1 > 60, !current.isEmpty {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        lines.append(current)
        try expectEnhancedFields(lines.joined(separator: "\n"))
        try expectEnhancedFields(lines.joined(separator: "\r\n"))
        try expectEnhancedFields(lines.map { "│ " + $0 }.joined(separator: "\n"))
    }

    @Test func wrappedInsideWords() throws {
        let text = Self.enhanced
            .replacingOccurrences(of: "(AccessDenied)", with: "(AccessDe\nnied)")
            .replacingOccurrences(of: "is not authorized", with: "is not autho\nrized")
            .replacingOccurrences(of: "explicit deny", with: "expl\nicit deny")
            .replacingOccurrences(of: "service control policy", with: "service con\ntrol policy")
        let denied = try AuthorizationErrorParser.parse(text).get()
        #expect(denied.code == "AccessDenied")
        #expect(denied.action == "iam:ListRoles")
        #expect(denied.decision == .explicitDeny)
        #expect(denied.policyType == .serviceControlPolicy)
    }

    @Test(arguments: ["'", "\"", "`", "```\n"])
    func surroundingQuotes(_ quote: String) throws {
        let closing = quote == "```\n" ? "\n```" : quote
        try expectEnhancedFields(quote + Self.enhanced + closing)
    }

    @Test func errorAtTheEndOfALongDebugLog() throws {
        let debugLine = "2024-05-01 10:00:00,000 - MainThread - botocore.endpoint - DEBUG - Sending http request: <AWSPreparedRequest>\n"
        let log = String(repeating: debugLine, count: 3_000) + Self.enhanced + "\n"
        #expect(log.utf8.count > AuthorizationErrorParser.windowBytes)
        try expectEnhancedFields(log)
    }

    @Test func s3BareAccessDeniedHasUnknownDecision() throws {
        let denied = try AuthorizationErrorParser.parse("Access Denied").get()
        #expect(denied.code == "AccessDenied")
        #expect(denied.decision == .unknown)
        #expect(denied.policyType == nil)
        #expect(denied.action == nil)
    }

    @Test func encodedMessageAndImplicitDeny() throws {
        let text = "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not "
            + "authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/Dev/ana is not "
            + "authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* "
            + "because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure "
            + "message: EXAMPLEWxFo-Z2r8V5m6_qS1tGe"
        let denied = try AuthorizationErrorParser.parse(text).get()
        #expect(denied.principalKind == .assumedRole)
        #expect(denied.principal?.roleArn == "arn:aws:iam::111122223333:role/Dev")
        #expect(denied.principal?.sessionName == "ana")
        #expect(denied.decision == .implicitDeny)
        #expect(denied.policyType == .identityBased)
        #expect(denied.encodedAuthorizationMessage == "EXAMPLEWxFo-Z2r8V5m6_qS1tGe")
        #expect(denied.resourceARN?.resourceType == "instance")
    }

    @Test func originsPointAtTheValuesInTheNormalizedText() throws {
        let denied = try AuthorizationErrorParser.parse(Self.enhanced).get()
        let bytes = Array(denied.normalizedText.utf8)
        func text(_ field: AuthorizationErrorField) -> String? {
            guard let range = denied.origins[field]?.utf8Range else { return nil }
            return String(decoding: bytes[range], as: UTF8.self)
        }
        #expect(text(.code) == "AccessDenied")
        #expect(text(.operation) == "ListRoles")
        #expect(text(.principal) == "arn:aws:iam::123456789012:user/Matt")
        #expect(text(.action) == "iam:ListRoles")
        #expect(text(.resource) == "arn:aws:iam::123456789012:role/*")
        #expect(text(.policyArn) == denied.policyArn)
        #expect(denied.origins[.operation]?.snippet == "when calling the ListRoles operation")
        #expect(denied.origins[.principal]?.snippet == "User: arn:aws:iam::123456789012:user/Matt")
        #expect(denied.origins[.decision]?.snippet == "with an explicit deny")
        #expect(denied.origins[.accountId] == denied.origins[.principal])
    }

    @Test func rejectsTextThatIsNotAnAuthorizationError() {
        #expect(AuthorizationErrorParser.parse("") == .failure(NotAnAuthorizationError(reason: .empty)))
        #expect(AuthorizationErrorParser.parse(" \n\t ") == .failure(NotAnAuthorizationError(reason: .empty)))
        #expect(AuthorizationErrorParser.parse("Everything is fine, the deploy finished in 3 minutes.")
                == .failure(NotAnAuthorizationError(reason: .noDenialWording)))
        let expired = "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: "
            + "The security token included in the request is expired"
        #expect(AuthorizationErrorParser.parse(expired) == .failure(NotAnAuthorizationError(reason: .otherErrorCode("ExpiredToken"))))
        #expect(AuthorizationErrorParser.parseIfAuthorizationError(expired) == nil)
        #expect(NotAnAuthorizationError(reason: .otherErrorCode("ExpiredToken")).description.contains("ExpiredToken"))
    }

    /// The IAM guide's documented templates, "with an explicit deny in a <type>" and "because no
    /// <type> allows the <action> action", for every policy type (the corpus has no real RCP text).
    @Test(arguments: [
        ("identity-based policy", DenyingPolicyType.identityBased), ("resource-based policy", .resourceBased),
        ("permissions boundary", .permissionsBoundary), ("session policy", .sessionPolicy),
        ("service control policy", .serviceControlPolicy), ("resource control policy", .resourceControlPolicy),
        ("VPC endpoint policy", .vpcEndpointPolicy),
    ])
    func everyPolicyTypePhrase(_ phrase: String, _ type: DenyingPolicyType) throws {
        let head = "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: s3:GetObject on resource: "
            + "\"arn:aws:s3:::amzn-s3-demo-bucket/key\" "
        let explicit = try AuthorizationErrorParser.parse(head + "with an explicit deny in a \(phrase)").get()
        #expect(explicit.decision == .explicitDeny)
        #expect(explicit.policyType == type)
        #expect(explicit.resource == "arn:aws:s3:::amzn-s3-demo-bucket/key")
        let implicit = try AuthorizationErrorParser.parse(head + "because no \(phrase) allows the s3:GetObject action").get()
        #expect(implicit.decision == .implicitDeny)
        #expect(implicit.policyType == type)
        let withArn = try AuthorizationErrorParser.parse(
            head + "with an explicit deny in a \(phrase): arn:aws:iam::123456789012:policy/DenyAll").get()
        #expect(withArn.policyArn == "arn:aws:iam::123456789012:policy/DenyAll")
    }

    @Test func resultIsCodable() throws {
        let denied = try AuthorizationErrorParser.parse(Self.enhanced).get()
        let data = try JSONEncoder().encode(denied)
        #expect(try JSONDecoder().decode(AuthorizationError.self, from: data) == denied)
    }
}
