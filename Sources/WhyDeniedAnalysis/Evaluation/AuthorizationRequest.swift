/// One request to evaluate: who asks, for which action, on which resource, with which context.
///
/// `resource` is nil for actions that have no resource type (`s3:ListAllMyBuckets`,
/// `sts:GetCallerIdentity`): such a request is only matched by `"Resource": "*"`.
///
/// ```swift
/// let request = AuthorizationRequest(
///     principal: RequestPrincipal(arn: "arn:aws:iam::111122223333:user/ana"),
///     action: "s3:GetObject",
///     resource: RequestResource(arn: "arn:aws:s3:::reports/q3.csv", account: "111122223333"),
///     context: context)
/// ```
public struct AuthorizationRequest: Sendable, Hashable, Codable {
    public var principal: RequestPrincipal
    public var action: String
    public var resource: RequestResource?
    public var context: RequestContext

    public init(principal: RequestPrincipal, action: String, resource: RequestResource?,
                context: RequestContext = RequestContext()) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    /// The service prefix of the action (`s3` for `s3:GetObject`), lowercased.
    public var servicePrefix: String {
        String(action.split(separator: ":", maxSplits: 1).first ?? "").lowercased()
    }
}

/// The caller: its ARN, what kind of principal it is, and its account.
///
/// Kind and account are read from the ARN when not given. For a role session
/// (`arn:aws:sts::111122223333:assumed-role/App/i-0abc`) `roleArn` is the role it came from —
/// give it explicitly when the role has a path, since session ARNs drop it. For a federated user it
/// is the IAM user that called GetFederationToken, when known.
public struct RequestPrincipal: Sendable, Hashable, Codable {
    public var arn: String
    public var kind: PrincipalKind
    public var account: String?
    public var roleArn: String?
    /// For web-identity / SAML sessions: the identity provider (`cognito-identity.amazonaws.com`,
    /// a SAML provider ARN), matched against `Federated` principals.
    public var federatedProvider: String?
    /// For S3 canonical-user grants.
    public var canonicalUserId: String?
    /// The IAM unique id of the role or user (`AROA…`, `AIDA…`), when the evidence gives it.
    public var uniqueId: String?

    public init(arn: String, kind: PrincipalKind? = nil, account: String? = nil, roleArn: String? = nil,
                federatedProvider: String? = nil, canonicalUserId: String? = nil, uniqueId: String? = nil) {
        self.arn = arn
        let parsed = ArnParts(arn)
        let derivedKind = kind ?? PrincipalKind(arn: arn)
        self.kind = derivedKind
        self.account = account ?? parsed.flatMap { $0.account.isEmpty ? nil : $0.account }
        var derivedRole = roleArn
        if derivedRole == nil, derivedKind == .assumedRole, let parsed {
            // assumed-role/RoleName/SessionName → role/RoleName (path unknown)
            let pieces = parsed.resource.split(separator: "/")
            if pieces.count >= 2 {
                derivedRole = "arn:\(parsed.partition):iam::\(parsed.account):role/\(pieces[1])"
            }
        }
        self.roleArn = derivedRole
        self.federatedProvider = federatedProvider
        self.canonicalUserId = canonicalUserId
        self.uniqueId = uniqueId
    }

    /// `aws:PrincipalArn`: the role ARN for role sessions, the ARN itself otherwise.
    public var principalArnForConditions: String {
        kind == .assumedRole ? (roleArn ?? arn) : arn
    }

    /// Service-linked roles are exempt from SCPs and RCPs.
    public var isServiceLinkedRole: Bool {
        guard let role = kind == .role ? arn : (kind == .assumedRole ? roleArn : nil) else { return false }
        return role.contains(":role/aws-service-role/") || role.split(separator: "/").last?.hasPrefix("AWSServiceRoleFor") == true
    }
}

/// What kind of caller made the request.
public enum PrincipalKind: String, Sendable, Hashable, Codable, CaseIterable {
    case iamUser
    case assumedRole
    /// A role named by its role ARN (rare in requests; treated like a session of that role).
    case role
    case federatedUser
    case root
    /// A caller known only by its account and unique id (CloudTrail `AWSAccount`, seen from the
    /// resource's account): some role or user of that account, not its root. `arn` holds the
    /// trail's principalId. Grants naming the account match it; grants naming one principal of
    /// that account may or may not.
    case accountOnly
    case service
    case anonymous

    public init(arn: String) {
        if arn == "*" || arn.lowercased() == "anonymous" { self = .anonymous; return }
        if arn.hasSuffix(".amazonaws.com") || arn.hasSuffix(".amazonaws.com.cn") { self = .service; return }
        guard let parts = ArnParts(arn) else { self = .anonymous; return }
        let resource = parts.resource
        if parts.service == "sts", resource.hasPrefix("assumed-role/") { self = .assumedRole }
        else if parts.service == "sts", resource.hasPrefix("federated-user/") { self = .federatedUser }
        else if resource == "root" { self = .root }
        else if resource.hasPrefix("role/") { self = .role }
        else { self = .iamUser }
    }
}

/// The resource acted on, and the account that owns it (S3 ARNs do not say).
public struct RequestResource: Sendable, Hashable, Codable {
    public var arn: String
    public var account: String?

    public init(arn: String, account: String? = nil) {
        self.arn = arn
        // `aws` (AWS managed policies) is not an account: such resources belong to no one's account.
        self.account = account ?? ArnParts(arn).flatMap { $0.account.allSatisfy(\.isNumber) && !$0.account.isEmpty ? $0.account : nil }
    }
}

/// The six colon-separated parts of an ARN; the resource part keeps any further colons.
public struct ArnParts: Sendable, Hashable {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init?(_ arn: String) {
        let pieces = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard pieces.count == 6, pieces[0] == "arn" else { return nil }
        partition = String(pieces[1])
        service = String(pieces[2])
        region = String(pieces[3])
        account = String(pieces[4])
        resource = String(pieces[5])
    }
}
