import Foundation
import WhyDeniedJSON

/// Who made a request, as CloudTrail records it in `userIdentity`. Every identity type shares
/// this shape (`IAMUser`, `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, `AWSAccount`,
/// `IdentityCenterUser`, `Unknown`, ...); fields a type does not use are nil.
///
/// ```swift
/// // "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/Dev/ana",
/// //   "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/Dev", ...}}}
/// identity.type                              // "AssumedRole"
/// identity.sessionContext?.sessionIssuer?.arn // "arn:aws:iam::111122223333:role/Dev"
/// ```
public struct CloudTrailUserIdentity: Sendable, Hashable {
    public var type: String?
    public var principalId: String?
    public var arn: String?
    public var accountId: String?
    public var accessKeyId: String?
    public var userName: String?
    /// The AWS service that made the call on the principal's behalf (`autoscaling.amazonaws.com`).
    public var invokedBy: String?
    /// The identity provider of a web-identity or SAML federated call.
    public var identityProvider: String?
    public var credentialId: String?
    /// IAM Identity Center users: `onBehalfOf.userId` and `identityStoreArn`.
    public var onBehalfOfUserId: String?
    public var onBehalfOfIdentityStoreArn: String?
    public var sessionContext: SessionContext?

    /// Temporary-credential details: when and how the session was created, and the role or user
    /// that issued it.
    public struct SessionContext: Sendable, Hashable {
        public var mfaAuthenticated: Bool?
        public var creationDate: Date?
        /// The `creationDate` text as recorded, for display.
        public var creationDateText: String?
        public var sessionIssuer: SessionIssuer?
        public var sourceIdentity: String?
        public var ec2RoleDelivery: String?
        public var webIdFederationProvider: String?
        public var webIdFederationAttributes: [String: String]

        public init(mfaAuthenticated: Bool? = nil, creationDate: Date? = nil, creationDateText: String? = nil,
                    sessionIssuer: SessionIssuer? = nil, sourceIdentity: String? = nil, ec2RoleDelivery: String? = nil,
                    webIdFederationProvider: String? = nil, webIdFederationAttributes: [String: String] = [:]) {
            self.mfaAuthenticated = mfaAuthenticated
            self.creationDate = creationDate
            self.creationDateText = creationDateText
            self.sessionIssuer = sessionIssuer
            self.sourceIdentity = sourceIdentity
            self.ec2RoleDelivery = ec2RoleDelivery
            self.webIdFederationProvider = webIdFederationProvider
            self.webIdFederationAttributes = webIdFederationAttributes
        }
    }

    /// The role (or, for `GetFederationToken`, the IAM user) whose credentials the session uses.
    public struct SessionIssuer: Sendable, Hashable {
        public var type: String?
        public var principalId: String?
        public var arn: String?
        public var accountId: String?
        public var userName: String?

        public init(type: String? = nil, principalId: String? = nil, arn: String? = nil, accountId: String? = nil, userName: String? = nil) {
            self.type = type
            self.principalId = principalId
            self.arn = arn
            self.accountId = accountId
            self.userName = userName
        }
    }

    public init(type: String? = nil, principalId: String? = nil, arn: String? = nil, accountId: String? = nil,
                accessKeyId: String? = nil, userName: String? = nil, invokedBy: String? = nil,
                identityProvider: String? = nil, credentialId: String? = nil, onBehalfOfUserId: String? = nil,
                onBehalfOfIdentityStoreArn: String? = nil, sessionContext: SessionContext? = nil) {
        self.type = type
        self.principalId = principalId
        self.arn = arn
        self.accountId = accountId
        self.accessKeyId = accessKeyId
        self.userName = userName
        self.invokedBy = invokedBy
        self.identityProvider = identityProvider
        self.credentialId = credentialId
        self.onBehalfOfUserId = onBehalfOfUserId
        self.onBehalfOfIdentityStoreArn = onBehalfOfIdentityStoreArn
        self.sessionContext = sessionContext
    }

    init(reading fields: RecordFieldReader) throws(CloudTrailRecordError) {
        type = try fields.string("type")
        principalId = try fields.string("principalId")
        arn = try fields.string("arn")
        accountId = try fields.string("accountId")
        // Some hand-sanitised samples misspell it "accesKeyId".
        let misspelledKeyId = try fields.string("accesKeyId")
        accessKeyId = try fields.string("accessKeyId") ?? misspelledKeyId
        userName = try fields.string("userName")
        invokedBy = try fields.string("invokedBy")
        identityProvider = try fields.string("identityProvider")
        credentialId = try fields.string("credentialId")
        if let onBehalfOf = try fields.object("onBehalfOf") {
            onBehalfOfUserId = try onBehalfOf.string("userId")
            onBehalfOfIdentityStoreArn = try onBehalfOf.string("identityStoreArn")
        }
        if let context = try fields.object("sessionContext") {
            var session = SessionContext()
            if let attributes = try context.object("attributes") {
                session.mfaAuthenticated = try attributes.flag("mfaAuthenticated")
                if let created = try attributes.string("creationDate") {
                    session.creationDateText = created
                    session.creationDate = Timestamp.parseISO(created)
                }
            }
            if let issuer = try context.object("sessionIssuer") {
                session.sessionIssuer = SessionIssuer(
                    type: try issuer.string("type"), principalId: try issuer.string("principalId"),
                    arn: try issuer.string("arn"), accountId: try issuer.string("accountId"),
                    userName: try issuer.string("userName"))
            }
            session.sourceIdentity = try context.string("sourceIdentity")
            session.ec2RoleDelivery = try context.string("ec2RoleDelivery")
            if let federation = try context.object("webIdFederationData") {
                session.webIdFederationProvider = try federation.string("federatedProvider")
                if let attributes = try federation.object("attributes") {
                    for entry in attributes.json.entries {
                        if let text = entry.value.scalarText { session.webIdFederationAttributes[entry.key] = text }
                    }
                }
            }
            sessionContext = session
        }
    }

    /// The caller as a principal: from `arn`, or for an AWS service call from `invokedBy`.
    public var principal: PrincipalIdentity? {
        if let arn, let identity = PrincipalIdentity(arn: arn) { return identity }
        if let invokedBy, let identity = PrincipalIdentity(arn: invokedBy) { return identity }
        return nil
    }

    /// The ARN a policy must be attached to: for an assumed-role session, its role (from
    /// `sessionIssuer`, which keeps the role's path, else derived from the session ARN);
    /// otherwise the identity's own ARN.
    public var policyHolderArn: String? {
        let identity = principal
        if type == "AssumedRole" || identity?.kind == .assumedRole {
            if let issuer = sessionContext?.sessionIssuer?.arn, issuer.contains(":role/") { return issuer }
            return identity?.roleArn
        }
        return arn
    }

    /// The session name of an assumed-role caller (`.../assumed-role/Dev/ana` → `ana`).
    public var sessionName: String? {
        principal?.kind == .assumedRole ? principal?.sessionName : nil
    }
}
