import Foundation
import WhyDeniedEvidence

/// A denied request as the operator reported it when no CloudTrail event is at hand: the parsed
/// error message (`AuthorizationError`, read once) completed by the runbook parameters, with
/// where each fact came from. `DeniedRequest(reported:catalog:)` turns it into what the
/// evaluator checks; what only an event carries (source IP, VPC endpoint, TLS, MFA, the exact
/// time) stays unknown in the request context, never guessed.
///
/// ```swift
/// let reported = ReportedRequest(principalArn: "arn:aws:iam::111122223333:user/ci-deployer",
///                                action: "s3:PutObject", resourceArn: "arn:aws:s3:::deploy-artifacts/build/app.zip",
///                                message: parsed, sources: [.action: .errorMessage("perform: s3:PutObject")])
/// let denied = try DeniedRequest(reported: reported, catalog: .bundled)
/// denied.context.lookup("aws:SourceIp")   // .unknown
/// ```
public struct ReportedRequest: Sendable, Hashable {
    /// The facts a report can give.
    public enum Fact: String, Sendable, Hashable, CaseIterable, Comparable {
        case principal, action, resource, account, region, decision

        public static func < (lhs: Fact, rhs: Fact) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Where one fact came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// Read off the pasted message; the snippet is the text it was read from.
        case errorMessage(String)
        /// A runbook parameter the operator gave (or accepted), by name.
        case parameter(String)

        public var description: String {
            switch self {
            case .errorMessage(let snippet): "the error message ('\(snippet)')"
            case .parameter(let name): "the \(name) parameter"
            }
        }
    }

    public var principalArn: String
    public var action: String
    public var resourceArn: String?
    /// The account that owns the resource, when a parameter or the message says.
    public var resourceAccount: String?
    public var region: String?
    /// The parser's reading of the pasted message, if one was pasted.
    public var message: AuthorizationError?
    public var sources: [Fact: Source]

    public init(principalArn: String, action: String, resourceArn: String? = nil, resourceAccount: String? = nil,
                region: String? = nil, message: AuthorizationError? = nil, sources: [Fact: Source] = [:]) {
        self.principalArn = principalArn
        self.action = action
        self.resourceArn = resourceArn
        self.resourceAccount = resourceAccount
        self.region = region
        self.message = message
        self.sources = sources
    }

    /// What the CloudTrail event of the call would have added, each with the condition keys it fills.
    public static let eventOnlyFacts: [(fact: String, keys: [String])] = [
        ("the source IP address", ["aws:SourceIp"]),
        ("the VPC endpoint and VPC", ["aws:SourceVpce", "aws:SourceVpc", "aws:VpcSourceIp"]),
        ("whether TLS was used", ["aws:SecureTransport"]),
        ("MFA and the session's age", ["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TokenIssueTime"]),
        ("the exact time", ["aws:CurrentTime", "aws:EpochTime"]),
        ("the calling service, if any", ["aws:ViaAWSService", "aws:CalledVia"]),
        ("the user agent and request parameters", ["aws:UserAgent"]),
    ]

    /// One line per fact: where it came from ("action: the error message ('perform: s3:GetObject')").
    public var sourceLines: [String] {
        sources.keys.sorted().compactMap { fact in sources[fact].map { "\(fact.rawValue): \($0)" } }
    }
}

/// How a denied request was known: from its CloudTrail event, or reported (message and
/// parameters) because no event was found or the lookup was skipped.
public enum RequestEvidence: Sendable, Hashable {
    case event
    case reported(ReportedRequest)
}
