/// Every policy that may apply to one request, by type and by where it is attached.
///
/// SCPs are those of the *caller's* account, RCPs those of the *resource's* account, each as a
/// list of organization levels from the root down to the account. Which resource-side policy
/// applies is chosen by the action: the role trust policy for `sts:AssumeRole*`, the key policy
/// for `kms:*`, the resource policy otherwise.
///
/// ```swift
/// var policies = PolicySet()
/// policies.identityPolicies.append(AttachedPolicy(name: "ReadReports", document: doc,
///     attachment: PolicyAttachment(holder: .role, holderName: "App", isManaged: true)))
/// policies.resourcePolicy = AttachedPolicy(name: "bucket policy of reports", document: bucketPolicy,
///     ownerAccount: "111122223333")
/// ```
public struct PolicySet: Sendable, Hashable {
    public var identityPolicies: [AttachedPolicy] = []
    public var permissionsBoundary: AttachedPolicy?
    /// Inline and managed session policies of the session together (their union limits it).
    public var sessionPolicies: [AttachedPolicy] = []
    public var serviceControlPolicies: [OrganizationLevel] = []
    public var resourceControlPolicies: [OrganizationLevel] = []
    public var resourcePolicy: AttachedPolicy?
    public var vpcEndpointPolicy: AttachedPolicy?
    public var roleTrustPolicy: AttachedPolicy?
    public var keyPolicy: AttachedPolicy?
    /// For a request on an S3 bucket or its objects: Block Public Access, Object Ownership and
    /// the bucket ACL (see `S3BucketAccessControls`); nil when they were not read.
    public var s3Bucket: S3BucketAccessControls?
    /// Policies that apply but could not be read (see `UnreadPolicy`): a resource-side one or
    /// the boundary fills the slot of its type only while that slot is empty; identity and
    /// session ones add to the policies that were read.
    public var unreadPolicies: [UnreadPolicy] = []
    /// The organization's management account: SCPs do not apply to its principals, RCPs not to
    /// its resources.
    public var managementAccount: String?

    public init() {}
}

/// A policy document with its name, ARN and attachment.
public struct AttachedPolicy: Sendable, Hashable {
    public var name: String
    public var arn: String?
    public var attachment: PolicyAttachment?
    /// For resource-side policies: the account that owns the resource.
    public var ownerAccount: String?
    public var document: PolicyDocument

    public init(name: String, arn: String? = nil, document: PolicyDocument, attachment: PolicyAttachment? = nil,
                ownerAccount: String? = nil) {
        self.name = name
        self.arn = arn
        self.document = document
        self.attachment = attachment
        self.ownerAccount = ownerAccount
    }
}

/// Where an identity-based policy is attached: inline or managed, on a user, group or role.
public struct PolicyAttachment: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Holder: String, Sendable, Hashable, Codable {
        case user, group, role
    }
    public var holder: Holder
    public var holderName: String
    public var isManaged: Bool

    public init(holder: Holder, holderName: String, isManaged: Bool) {
        self.holder = holder
        self.holderName = holderName
        self.isManaged = isManaged
    }

    public var description: String {
        isManaged ? "managed policy attached to \(holder.rawValue) \(holderName)"
                  : "inline policy of \(holder.rawValue) \(holderName)"
    }
}

/// One level of an organization (the root, an OU, or the account) with the SCPs or RCPs attached
/// there. Each level must allow on its own.
public struct OrganizationLevel: Sendable, Hashable {
    /// e.g. `root (r-ab12)`, `ou-ab12-34cd5678`, `account 111122223333`.
    public var name: String
    public var policies: [AttachedPolicy]

    public init(name: String, policies: [AttachedPolicy]) {
        self.name = name
        self.policies = policies
    }
}
