/// Who a request was made as, read from an ARN, a service principal name or `anonymous`.
///
/// The parts an operator needs next (user or role name, session name, IAM path, account) are split
/// out. An assumed-role session also names its role, because policies attach to the role:
/// ```swift
/// let who = PrincipalIdentity(arn: "arn:aws:sts::123456789012:assumed-role/Deploy/ci-42")!
/// who.kind        // .assumedRole
/// who.name        // "Deploy"
/// who.sessionName // "ci-42"
/// who.roleArn     // "arn:aws:iam::123456789012:role/Deploy" (path unknown from a session ARN)
/// ```
public struct PrincipalIdentity: Sendable, Hashable, Codable {
    /// The ARN as given, or nil for service principals, `anonymous` and bare account ids.
    public var arn: String?
    public var kind: PrincipalKind
    public var accountId: String?
    /// `aws`, `aws-us-gov`, `aws-cn`, …; nil when the text does not say.
    public var partition: String?
    /// User name, role name, federated user name or service principal name.
    public var name: String?
    /// Session name of an assumed-role session.
    public var sessionName: String?
    /// IAM path of a user or role (`/` when none; nil when unknown, as for sessions).
    public var path: String?

    public init(arn: String?, kind: PrincipalKind, accountId: String?, partition: String?,
                name: String?, sessionName: String? = nil, path: String? = nil) {
        self.arn = arn
        self.kind = kind
        self.accountId = accountId
        self.partition = partition
        self.name = name
        self.sessionName = sessionName
        self.path = path
    }

    /// Reads a principal from an ARN (`arn:aws:iam::…:user/…`, `…:role/…`, `arn:aws:sts::…:assumed-role/…`,
    /// `…:federated-user/…`, `…:root`), a service principal (`ec2.amazonaws.com`), `anonymous` or `*`,
    /// or a bare 12-digit account id (the account's root). Returns nil for anything else.
    public init?(arn text: String) {
        let trimmed = IdentityText.trimmed(text)
        if trimmed.isEmpty { return nil }
        if trimmed == "anonymous" || trimmed == "*" {
            self.init(arn: nil, kind: .anonymous, accountId: nil, partition: nil, name: nil)
            return
        }
        if PrincipalIdentity.isAccountId(trimmed) {
            self.init(arn: nil, kind: .root, accountId: trimmed, partition: nil, name: nil)
            return
        }
        if let service = PrincipalIdentity.servicePrincipal(trimmed) {
            self = service
            return
        }
        guard let parsed = ARN(trimmed) else { return nil }
        self.init(parsed: parsed)
    }

    /// Classifies a parsed ARN; ARNs that are not principals become `.unknown` with their resource as name.
    public init(parsed arn: ARN) {
        let account = arn.account.isEmpty ? nil : arn.account
        let resource = arn.resource
        let base = PrincipalIdentity(arn: arn.description, kind: .unknown, accountId: account,
                                     partition: arn.partition, name: nil)
        self = base
        switch (arn.service, arn.resourceType) {
        case ("iam", nil) where resource == "root":
            kind = .root
        case ("iam", "user"?):
            kind = .iamUser
            (path, name) = PrincipalIdentity.splitPath(arn.resourceId)
        case ("iam", "role"?):
            kind = .role
            (path, name) = PrincipalIdentity.splitPath(arn.resourceId)
        case ("sts", "assumed-role"?):
            kind = .assumedRole
            // Role name then session name; neither may contain "/", so the first "/" splits them.
            let rest = arn.resourceId
            if let slash = rest.firstIndex(of: "/") {
                name = String(rest[..<slash])
                let session = String(rest[rest.index(after: slash)...])
                sessionName = session.isEmpty ? nil : session
            } else {
                name = rest.isEmpty ? nil : rest
            }
        case ("sts", "federated-user"?):
            kind = .federatedUser
            name = arn.resourceId.isEmpty ? nil : arn.resourceId
        default:
            name = resource
        }
        if name?.isEmpty == true { name = nil }
    }

    /// The IAM role behind an assumed-role session (or the role itself), as
    /// `arn:<partition>:iam::<account>:role/<name>`. A session ARN does not carry the role's path,
    /// so a role with a path gets its real ARN only from IAM.
    public var roleArn: String? {
        switch kind {
        case .role:
            return arn
        case .assumedRole:
            guard let partition, let accountId, let name else { return nil }
            return "arn:\(partition):iam::\(accountId):role/\(name)"
        default:
            return nil
        }
    }

    /// Splits `path/segments/Name` into the IAM path (`/path/segments/`, or `/`) and the name.
    private static func splitPath(_ pathAndName: String) -> (path: String?, name: String?) {
        guard let slash = pathAndName.lastIndex(of: "/") else {
            return ("/", pathAndName.isEmpty ? nil : pathAndName)
        }
        let name = String(pathAndName[pathAndName.index(after: slash)...])
        let path = "/" + pathAndName[...slash]
        return (path, name.isEmpty ? nil : name)
    }

    private static func isAccountId(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `ec2.amazonaws.com`, `states.eu-west-1.amazonaws.com`, `ec2.amazonaws.com.cn`, `lambda.amazonaws.com.cn`.
    private static func servicePrincipal(_ text: String) -> PrincipalIdentity? {
        let partition: String?
        let host: Substring
        if text.hasSuffix(".amazonaws.com.cn") {
            partition = "aws-cn"
            host = text.dropLast(".amazonaws.com.cn".count)
        } else if text.hasSuffix(".amazonaws.com") {
            partition = nil
            host = text.dropLast(".amazonaws.com".count)
        } else if text.hasSuffix(".amazon.com") {
            partition = nil
            host = text.dropLast(".amazon.com".count)
        } else {
            return nil
        }
        guard !host.isEmpty,
              host.allSatisfy({ $0 == "-" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else { return nil }
        return PrincipalIdentity(arn: nil, kind: .service, accountId: nil, partition: partition, name: text)
    }
}
