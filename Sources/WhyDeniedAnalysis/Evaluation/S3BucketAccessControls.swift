/// S3's own controls beside a bucket's policy that decide requests on the bucket: Block Public
/// Access (the bucket owner's account and the bucket), Object Ownership, the bucket's ACL and the
/// ACLs of the objects read (`S3ObjectACL`).
///
/// What AWS documents (S3 User Guide, "Blocking public access", PublicAccessBlockConfiguration):
/// - the account's and the bucket's settings combine, the most restrictive wins;
/// - `RestrictPublicBuckets`: while the bucket policy is public, only AWS service principals and
///   authorized users of the bucket owner's account get in: public and cross-account access
///   through it is blocked, non-public delegation to named accounts included;
/// - `IgnorePublicAcls`: ACL grants to AllUsers / AuthenticatedUsers are ignored;
/// - Object Ownership `BucketOwnerEnforced` disables ACLs: no grant gives access;
/// - `BlockPublicAcls` / `BlockPublicPolicy` refuse *writing* a public ACL or policy; they do not
///   change how a request on the bucket is decided, so the evaluator does not use them.
///
/// Each setting is read, answered "not set" (`NoSuchPublicAccessBlockConfiguration`,
/// `OwnershipControlsNotFoundError`), or unread: an unread one that could change the verdict makes
/// it Undecided, naming the read (`S3SettingResolution`).
///
/// ```swift
/// var controls = S3BucketAccessControls(bucket: "reports", ownerAccount: "111122223333")
/// controls.bucketBlock = .set(BlockPublicAccess(restrictPublicBuckets: true))
/// policies.s3Bucket = controls
/// ```
public struct S3BucketAccessControls: Sendable, Hashable {
    public var bucket: String
    /// The account that owns the bucket: its principals pass `RestrictPublicBuckets`.
    public var ownerAccount: String?
    /// The owner's canonical user id (`get-bucket-acl`'s `Owner.ID`): its grants are the account's.
    public var ownerCanonicalId: String?
    /// `s3control get-public-access-block --account-id` of the bucket owner's account.
    public var accountBlock: S3Setting<BlockPublicAccess> = .notSet
    /// `s3api get-public-access-block --bucket`.
    public var bucketBlock: S3Setting<BlockPublicAccess> = .notSet
    /// `s3api get-bucket-ownership-controls`; not set means ACLs are enabled (ObjectWriter).
    public var objectOwnership: S3Setting<ObjectOwnership> = .notSet
    /// `s3api get-bucket-acl`: the grants of the bucket's ACL.
    public var acl: S3Setting<[S3ACLGrant]> = .notSet
    /// `s3api get-object-acl`, by object key: the owner and grants of the objects read (the one a
    /// request names, while ACLs are enabled). Not set: no such object, or not read.
    public var objectACLs: [String: S3Setting<S3ObjectACL>] = [:]

    public init(bucket: String, ownerAccount: String? = nil) {
        self.bucket = bucket
        self.ownerAccount = ownerAccount
    }

    /// The settings whose read failed, as the verdict names them.
    public var unread: [UnreadPolicy] {
        var found: [UnreadPolicy] = []
        func add<Value>(_ setting: S3Setting<Value>, _ name: String) {
            if case .unread(let read, let reason) = setting {
                // No read named: not run on purpose (a batch's deferred read), not a failure.
                found.append(UnreadPolicy(type: .resourceBased, name: name, failedRead: read.isEmpty ? nil : read, reason: reason))
            }
        }
        add(accountBlock, "S3 Block Public Access of account \(ownerAccount ?? "?")")
        add(bucketBlock, "S3 Block Public Access of bucket \(bucket)")
        add(objectOwnership, "S3 Object Ownership of bucket \(bucket)")
        add(acl, "ACL of bucket \(bucket)")
        for key in objectACLs.keys.sorted() { add(objectACLs[key] ?? .notSet, Self.objectACLName(key, in: bucket)) }
        return found
    }

    /// How the verdict names an object's ACL: `ACL of object q3.csv in bucket reports`.
    public static func objectACLName(_ key: String, in bucket: String) -> String { "ACL of object \(key) in bucket \(bucket)" }

    /// Whether ACLs count at all: Object Ownership BucketOwnerEnforced disables them.
    public var aclsEnabled: Bool { objectOwnership != .set(.bucketOwnerEnforced) }

    /// These controls with every unread setting assumed at its most restrictive (`restrictive`)
    /// or most permissive value. Each can only take access away as it gets stricter, so the two
    /// extremes bound every value the unread settings could have, but for Object Ownership beside
    /// an object's ACL (see `assumptions`).
    public func assuming(restrictive: Bool) -> S3BucketAccessControls {
        var copy = self
        let block = restrictive ? BlockPublicAccess.all : BlockPublicAccess()
        if case .unread = accountBlock { copy.accountBlock = .set(block) }
        if case .unread = bucketBlock { copy.bucketBlock = .set(block) }
        if case .unread = objectOwnership { copy.objectOwnership = .set(restrictive ? .bucketOwnerEnforced : .objectWriter) }
        if case .unread = acl { copy.acl = .set(restrictive ? [] : [S3ACLGrant(grantee: .unknown, permission: .fullControl)]) }
        for (key, setting) in objectACLs {
            guard case .unread = setting else { continue }
            // Strictest: another account owns the object and grants nothing; loosest: the bucket
            // owner owns it and it grants everything.
            copy.objectACLs[key] = .set(restrictive ? S3ObjectACL(key: key, ownerCanonicalId: S3ObjectACL.anotherOwner, grants: [])
                                                    : S3ObjectACL(key: key, ownerCanonicalId: ownerCanonicalId,
                                                                  grants: [S3ACLGrant(grantee: .unknown, permission: .fullControl)]))
        }
        return copy
    }

    /// The values the unread settings are tried at to bound the verdict: the strictest and the
    /// loosest, and, when Object Ownership is unread beside an object's ACL, each of those with
    /// Object Ownership flipped (BucketOwnerEnforced makes the bucket owner own every object, so
    /// for an object another account owns it is not the stricter value).
    public var assumptions: [S3BucketAccessControls] {
        let extremes = [assuming(restrictive: true), assuming(restrictive: false)]
        guard case .unread = objectOwnership, !objectACLs.isEmpty else { return extremes }
        return extremes + extremes.map { assumed in
            var flipped = assumed
            flipped.objectOwnership = .set(assumed.objectOwnership == .set(.bucketOwnerEnforced) ? .objectWriter : .bucketOwnerEnforced)
            return flipped
        }
    }

    /// Which levels set `RestrictPublicBuckets` ("account 111122223333", "bucket reports").
    public var restrictingLevels: [String] {
        levels.filter { $0.block.restrictPublicBuckets }.map(\.name)
    }

    /// Which levels set `IgnorePublicAcls`.
    public var ignoringPublicACLLevels: [String] {
        levels.filter { $0.block.ignorePublicAcls }.map(\.name)
    }

    private var levels: [(name: String, block: BlockPublicAccess)] {
        var found: [(String, BlockPublicAccess)] = []
        if case .set(let block) = accountBlock { found.append(("account \(ownerAccount ?? "?")", block)) }
        if case .set(let block) = bucketBlock { found.append(("bucket \(bucket)", block)) }
        return found
    }

    /// The ACL grants that give access: none when Object Ownership is BucketOwnerEnforced, no
    /// public ones while IgnorePublicAcls is on at either level.
    public var effectiveGrants: [S3ACLGrant] {
        guard case .set(let grants) = acl else { return [] }
        if case .set(.bucketOwnerEnforced) = objectOwnership { return [] }
        return ignoringPublicACLLevels.isEmpty ? grants : grants.filter { !$0.grantee.isPublic }
    }

    /// Why ACL grants that were read give no access, for the verdict's notes.
    public var aclNotes: [String] {
        guard case .set(let grants) = acl, !grants.isEmpty else { return [] }
        if case .set(.bucketOwnerEnforced) = objectOwnership {
            return ["ACL of bucket \(bucket) not applied: Object Ownership is BucketOwnerEnforced, which disables ACLs (its \(grants.count) grant(s) give no access)"]
        }
        let ignored = grants.filter(\.grantee.isPublic)
        if !ignored.isEmpty, !ignoringPublicACLLevels.isEmpty {
            return ["\(ignored.count) public grant(s) of the ACL of bucket \(bucket) ignored: IgnorePublicAcls is on (\(ignoringPublicACLLevels.joined(separator: ", ")))"]
        }
        return []
    }
}

/// A setting read from S3: its value, "not set" (an answer), or a read that failed.
public enum S3Setting<Value: Sendable & Hashable>: Sendable, Hashable {
    case notSet
    case set(Value)
    /// The command shown to the operator, and why it failed.
    case unread(read: String, reason: String)
}

/// The four Block Public Access settings (`PublicAccessBlockConfiguration`).
public struct BlockPublicAccess: Sendable, Hashable {
    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool

    public init(blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false, blockPublicPolicy: Bool = false,
                restrictPublicBuckets: Bool = false) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    public static let all = BlockPublicAccess(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true,
                                              restrictPublicBuckets: true)
}

/// Object Ownership (`get-bucket-ownership-controls`' `ObjectOwnership`).
public enum ObjectOwnership: String, Sendable, Hashable {
    case bucketOwnerEnforced = "BucketOwnerEnforced"
    case bucketOwnerPreferred = "BucketOwnerPreferred"
    case objectWriter = "ObjectWriter"
}

/// One grant of a bucket ACL, evaluated as an Allow of the bucket's resource side.
///
/// ```swift
/// S3ACLGrant(grantee: .group(S3ACLGrant.allUsers), permission: .read).actions
/// // ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"]
/// ```
public struct S3ACLGrant: Sendable, Hashable {
    public enum Grantee: Sendable, Hashable {
        case canonicalUser(id: String)
        case group(uri: String)
        case email(String)
        /// Stands for whomever an ACL that could not be read might name.
        case unknown

        /// AllUsers and AuthenticatedUsers: the grants IgnorePublicAcls ignores.
        public var isPublic: Bool {
            if case .group(let uri) = self { return uri == S3ACLGrant.allUsers || uri == S3ACLGrant.authenticatedUsers }
            return false
        }
    }

    /// The ACL permissions and, on a bucket, the actions each allows (S3 User Guide, "Access
    /// control list (ACL) overview", mapping of ACL permissions to access policy permissions).
    public enum Permission: String, Sendable, Hashable {
        case read = "READ"
        case write = "WRITE"
        case readACP = "READ_ACP"
        case writeACP = "WRITE_ACP"
        case fullControl = "FULL_CONTROL"

        public var bucketActions: [String] {
            switch self {
            case .read: return ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"]
            case .write: return ["s3:PutObject", "s3:DeleteObject"]
            case .readACP: return ["s3:GetBucketAcl"]
            case .writeACP: return ["s3:PutBucketAcl"]
            case .fullControl: return [Permission.read, .write, .readACP, .writeACP].flatMap(\.bucketActions)
            }
        }
    }

    public static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    public static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

    public var grantee: Grantee
    public var permission: Permission

    public init(grantee: Grantee, permission: Permission) {
        self.grantee = grantee
        self.permission = permission
    }

    public var actions: [String] {
        // A stand-in for an unread ACL grants what an ACL could: everything it maps to.
        grantee == .unknown ? Permission.fullControl.bucketActions : permission.bucketActions
    }

    /// The actions the grant allows when it is on an object's ACL.
    public var objectActions: [String] {
        grantee == .unknown ? Permission.fullControl.objectActions : permission.objectActions
    }

    /// How the findings name the grant: `READ to AllUsers`.
    public var label: String {
        switch grantee {
        case .canonicalUser(let id): return "\(permission.rawValue) to canonical user \(id.prefix(12))…"
        case .group(let uri): return "\(permission.rawValue) to \(uri.split(separator: "/").last.map(String.init) ?? uri)"
        case .email(let address): return "\(permission.rawValue) to \(address)"
        case .unknown: return "any grant the unread ACL might hold"
        }
    }
}
