import WhyDeniedJSON

/// The ACL of one S3 object (`aws s3api get-object-acl --bucket B --key K`): who owns the object
/// and what its grants allow. It counts while the bucket's ACLs are enabled (Object Ownership is
/// not BucketOwnerEnforced).
///
/// What AWS documents ("How Amazon S3 authorizes a request for an object operation"): the object
/// owner's permission is checked in the object context, through the object ACL. When the object's
/// owner is the bucket owner, the bucket policy may grant it as well; when another account owns
/// the object (uploaded under ObjectWriter without `bucket-owner-full-control`), only the object's
/// ACL grants it, to anyone, the bucket owner's own principals included, and the bucket owner's
/// policy can still deny.
///
/// ```swift
/// let acl = S3ObjectACL(key: "q3.csv", ownerCanonicalId: "79a59df9…",
///                       grants: [S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)])
/// acl.grants[0].permission.objectActions   // ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent", …]
/// ```
public struct S3ObjectACL: Sendable, Hashable {
    public var key: String
    /// `Owner.ID`: the canonical user id of the account that owns the object.
    public var ownerCanonicalId: String?
    public var grants: [S3ACLGrant]

    public init(key: String, ownerCanonicalId: String?, grants: [S3ACLGrant]) {
        self.key = key
        self.ownerCanonicalId = ownerCanonicalId
        self.grants = grants
    }

    /// Stands for an owner whose canonical id is unknown but is not the bucket owner: the most
    /// restrictive value an unread object ACL can have.
    static let anotherOwner = "(an account other than the bucket owner)"

    /// The actions an object ACL can grant: a request for any other action on the object is not
    /// decided by it (PutObject and DeleteObject are the bucket's).
    public static let governedActions: Set<String> = Set(S3ACLGrant.Permission.fullControl.objectActions.map { $0.lowercased() })

    /// `get-object-acl`'s output (`{Owner: {ID}, Grants: [...]}`) for `key`; nil when it is not that shape.
    public init?(key: String, json value: JSONValue) {
        guard let grants = value["Grants"]?.arrayValue else { return nil }
        self.init(key: key, ownerCanonicalId: value["Owner"]?["ID"]?.stringValue, grants: grants.compactMap(S3ACLGrant.init(json:)))
    }

    /// The snapshot's form: `{key, ownerCanonicalId?, grants}`, grants in the CLI's shape.
    public var json: JSONValue {
        var object = JSONObject([("key", .string(key))])
        if let ownerCanonicalId { object["ownerCanonicalId"] = .string(ownerCanonicalId) }
        object["grants"] = .array(grants.compactMap(\.json))
        return .object(object)
    }
}

extension S3ACLGrant.Permission {
    /// The actions each permission allows on an object (S3 User Guide, "Access control list (ACL)
    /// overview": WRITE does not apply to objects; FULL_CONTROL is READ, READ_ACP and WRITE_ACP).
    public var objectActions: [String] {
        switch self {
        case .read: return ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent", "s3:GetObjectVersionTorrent"]
        case .write: return []
        case .readACP: return ["s3:GetObjectAcl", "s3:GetObjectVersionAcl"]
        case .writeACP: return ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"]
        case .fullControl: return [Self.read, .readACP, .writeACP].flatMap(\.objectActions)
        }
    }
}
