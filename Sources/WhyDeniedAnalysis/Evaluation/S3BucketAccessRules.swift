/// How `S3BucketAccessControls` take part in deciding one request on the bucket: the ACL's
/// effective grants as Allow statements of the resource side, and `RestrictPublicBuckets` as a
/// gate that refuses callers outside the bucket owner's account while the bucket policy is public.
///
/// ```swift
/// if let rules = S3BucketAccessRules(controls: policies.s3Bucket, request: request),
///    let refusal = rules.restriction(bucketPolicy: policies.resourcePolicy) { … }   // names Block Public Access
/// ```
struct S3BucketAccessRules {
    let controls: S3BucketAccessControls
    let request: AuthorizationRequest

    /// The gate RestrictPublicBuckets adds; the recommender knows it by this name.
    static let gateName = "S3 Block Public Access (RestrictPublicBuckets)"
    /// The gate an object another account owns adds: its ACL must grant the caller.
    static let objectACLGateName = "S3 object ACL (object owned by another account)"

    /// Nil unless the request is an `s3:` request on the controls' bucket or an object in it.
    init?(controls: S3BucketAccessControls?, request: AuthorizationRequest) {
        guard let controls, Self.applies(controls, to: request) else { return nil }
        self.controls = controls
        self.request = request
    }

    static func applies(_ controls: S3BucketAccessControls, to request: AuthorizationRequest) -> Bool {
        guard request.servicePrefix == "s3", let arn = request.resource?.arn,
              let fields = ResourceARNParts(arn), fields.service == "s3", fields.account.isEmpty else { return false }
        return fields.resource.split(separator: "/", maxSplits: 1).first.map(String.init) == controls.bucket
    }

    var partition: String { request.resource.flatMap { ResourceARNParts($0.arn)?.partition } ?? "aws" }

    /// The ACL's effective grants as one policy of Allow statements (nil when none applies).
    var aclPolicy: AttachedPolicy? {
        let bucketArn = "arn:\(partition):s3:::\(controls.bucket)"
        let statements = Self.statements(controls.effectiveGrants, actions: \.actions, resources: [bucketArn, bucketArn + "/*"],
                                         controls: controls, caller: request.principal, partition: partition)
        guard !statements.isEmpty else { return nil }
        return AttachedPolicy(name: "ACL of bucket \(controls.bucket)", document: PolicyDocument(version: .v2012_10_17, statements: statements),
                              ownerAccount: controls.ownerAccount)
    }

    /// Each grant as an Allow statement of `actions` on `resources`, its grantee as a Principal.
    /// AuthenticatedUsers means any AWS account's signed requests, so not an anonymous caller; the
    /// bucket owner's canonical id is its account.
    static func statements(_ grants: [S3ACLGrant], actions: (S3ACLGrant) -> [String], resources: [String],
                           controls: S3BucketAccessControls, caller: RequestPrincipal, partition: String) -> [PolicyStatement] {
        var statements: [PolicyStatement] = []
        for grant in grants where !actions(grant).isEmpty {
            let principal: PrincipalEntry
            switch grant.grantee {
            case .group(let uri) where uri == S3ACLGrant.allUsers: principal = PrincipalEntry(type: .wildcard, value: "*")
            case .group(let uri) where uri == S3ACLGrant.authenticatedUsers:
                guard caller.kind != .anonymous else { continue }
                principal = PrincipalEntry(type: .aws, value: "*")
            case .group: continue  // the log delivery group: S3's own server access logging
            case .canonicalUser(let id) where id == controls.ownerCanonicalId && controls.ownerAccount != nil:
                principal = PrincipalEntry(type: .aws, value: "arn:\(partition):iam::\(controls.ownerAccount ?? ""):root")
            case .canonicalUser(let id): principal = PrincipalEntry(type: .canonicalUser, value: id)
            case .email(let address): principal = PrincipalEntry(type: .canonicalUser, value: address)
            case .unknown: principal = PrincipalEntry(type: .wildcard, value: "*")
            }
            statements.append(PolicyStatement(index: statements.count, sid: "ACL grant \(grant.label)", effect: .allow,
                                              principal: .principal([principal]), action: .action(actions(grant)),
                                              resource: .resource(resources)))
        }
        return statements
    }

    /// The key of the object the request names (`arn:aws:s3:::bucket/key`); nil for the bucket.
    var objectKey: String? {
        guard let arn = request.resource?.arn, let fields = ResourceARNParts(arn) else { return nil }
        let parts = fields.resource.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    /// The ACL of the object the request names, when it takes part: ACLs are enabled, it was
    /// read, and the action is one an object ACL governs (`S3ObjectACL.governedActions`).
    var objectACL: S3ObjectACL? {
        guard controls.aclsEnabled, let key = objectKey, S3ObjectACL.governedActions.contains(request.action.lowercased()),
              case .set(let acl)? = controls.objectACLs[key] else { return nil }
        return acl
    }

    /// Another account than the bucket owner owns the object: only the object's ACL can grant
    /// it; the bucket's policy and ACL can still deny.
    var objectOwnedByAnother: Bool {
        guard let owner = objectACL?.ownerCanonicalId else { return false }
        if owner == S3ObjectACL.anotherOwner { return true }
        return controls.ownerCanonicalId.map { $0 != owner } ?? false
    }

    /// The object's ACL grants as one policy of Allow statements on the object (nil when none).
    var objectACLPolicy: AttachedPolicy? {
        guard let acl = objectACL, let arn = request.resource?.arn else { return nil }
        let grants = controls.ignoringPublicACLLevels.isEmpty ? acl.grants : acl.grants.filter { !$0.grantee.isPublic }
        let statements = Self.statements(grants, actions: \.objectActions, resources: [arn], controls: controls,
                                         caller: request.principal, partition: partition)
        guard !statements.isEmpty else { return nil }
        return AttachedPolicy(name: S3BucketAccessControls.objectACLName(acl.key, in: controls.bucket),
                              document: PolicyDocument(version: .v2012_10_17, statements: statements),
                              ownerAccount: objectOwnedByAnother ? nil : controls.ownerAccount)
    }

    /// Who owns the object, as the verdict says it.
    var objectOwnerText: String {
        guard let owner = objectACL?.ownerCanonicalId else { return "its owner is unknown" }
        if owner == S3ObjectACL.anotherOwner { return "it may be owned by an account other than the bucket owner" }
        if objectOwnedByAnother {
            return "it is owned by canonical user \(owner.prefix(12))…, not by the bucket owner (\(controls.ownerAccount.map { "account \($0)" } ?? "canonical user \(controls.ownerCanonicalId?.prefix(12) ?? "?")…"))"
        }
        return "it is owned by the bucket owner\(controls.ownerAccount.map { " (account \($0))" } ?? "")"
    }

    /// Stands for what whydenied cannot know: the canonical user id of the caller's account (an
    /// ACL names accounts by it, and an account id does not give it).
    static let callerCanonicalIdKey = "canonical user id of the caller's account"

    /// The object ACL's grants of this action to canonical users whose account is unknown, while
    /// the caller's own canonical id is unknown too: any of them might be the caller's account.
    /// A caller of the bucket owner's account has the bucket owner's id, so it is never unsure.
    var objectGrantsToUnknownAccounts: [S3ACLGrant] {
        let caller = request.principal
        guard let acl = objectACL, caller.canonicalUserId == nil, caller.kind != .anonymous, caller.kind != .service,
              controls.ownerAccount == nil || caller.account != controls.ownerAccount else { return [] }
        let action = request.action.lowercased()
        return acl.grants.filter { grant in
            guard case .canonicalUser(let id) = grant.grantee, id != controls.ownerCanonicalId else { return false }
            return grant.objectActions.contains { $0.lowercased() == action }
        }
    }

    /// Whether such a grant names the caller: unknown when there is one, else no.
    var grantToAnUnknownAccount: Truth {
        objectGrantsToUnknownAccounts.isEmpty ? .no : .unknown([Self.callerCanonicalIdKey])
    }

    /// Why the object's ACL refuses the caller, with the fixes and who owns each: the object's
    /// owner can grant it (only the owner may change the ACL), or the bucket owner can disable
    /// ACLs, which makes it the owner of every object.
    var objectACLRefusal: String {
        let key = objectKey ?? "?"
        return "the \(S3BucketAccessControls.objectACLName(key, in: controls.bucket)) does not grant \(request.action) to the caller: "
            + "\(objectOwnerText), so only the object's ACL can grant it, whatever the bucket policy and the caller's own policies allow. "
            + "Fix: the object's owner grants it (as the owner: aws s3api put-object-acl --bucket \(controls.bucket) --key \(key) "
            + "--acl bucket-owner-full-control, for the bucket owner's principals), or the bucket owner disables ACLs, which makes it the owner "
            + "of every object: aws s3api put-bucket-ownership-controls --bucket \(controls.bucket) "
            + "--ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]"
    }

    /// What the object's ACL says in this verdict: which grants give nothing, who owns it.
    var objectACLNotes: [String] {
        guard let key = objectKey, let setting = controls.objectACLs[key] else { return [] }
        let name = S3BucketAccessControls.objectACLName(key, in: controls.bucket)
        guard case .set(let acl) = setting else { return [] }
        if !controls.aclsEnabled {
            return ["\(name) not applied: Object Ownership is BucketOwnerEnforced, which disables ACLs (the bucket owner owns every object)"]
        }
        guard objectACL != nil else { return ["\(name) not applied: \(request.action) is not an action an object ACL grants"] }
        var notes: [String] = []
        let ignored = acl.grants.filter(\.grantee.isPublic)
        if !ignored.isEmpty, !controls.ignoringPublicACLLevels.isEmpty {
            notes.append("\(ignored.count) public grant(s) of the \(name) ignored: IgnorePublicAcls is on (\(controls.ignoringPublicACLLevels.joined(separator: ", ")))")
        }
        let unsure = objectGrantsToUnknownAccounts.map(\.label)
        if !unsure.isEmpty {
            notes.append("\(name) grants \(unsure.joined(separator: ", ")); whydenied cannot tell whether that is the caller's account "
                + "(an ACL names an account by its canonical user id, which the account id does not give)")
        }
        return notes
    }

    /// Why Block Public Access refuses this caller, or nil: RestrictPublicBuckets is on at some
    /// level, the bucket policy has a public Allow, and the caller is neither an AWS service nor
    /// a principal of the bucket owner's account.
    func restriction(bucketPolicy: AttachedPolicy?) -> String? {
        let levels = controls.restrictingLevels
        guard !levels.isEmpty, let bucketPolicy,
              let publicStatement = bucketPolicy.document.statements.first(where: S3PublicPolicy.isPublic) else { return nil }
        let caller = request.principal
        let owner = controls.ownerAccount ?? request.resource?.account
        guard caller.kind != .service else { return nil }
        if caller.kind != .anonymous, let owner, caller.account == owner { return nil }
        let who = caller.kind == .anonymous ? "an anonymous caller" : "a caller from account \(caller.account ?? "?")"
        let fixes = liftingRestrictPublicBuckets.map { "\($0.owner): \($0.argv.joined(separator: " "))" }
        return "S3 Block Public Access refuses \(who): RestrictPublicBuckets is on (\(levels.joined(separator: ", "))) and "
            + "\(bucketPolicy.name) is public (\(publicStatement.label) allows Principal \"*\" without a fixed-value condition), "
            + "so only AWS services and principals of the bucket owner's account \(owner ?? "?") may use bucket \(controls.bucket), "
            + "whatever the policy grants to other accounts. Fix: make that statement non-public (name the accounts, or add a "
            + "condition such as aws:PrincipalOrgID), or, if the bucket is meant to be public, turn RestrictPublicBuckets off — "
            + fixes.joined(separator: "; ")
    }

    /// The commands that turn RestrictPublicBuckets off where it is on, keeping the other three
    /// settings as read (put-public-access-block replaces the whole configuration), and who owns
    /// each: the bucket owner for the bucket's, the account's administrator for the account's.
    /// Shown, never applied by whydenied: opening a bucket to the public is the owner's decision.
    var liftingRestrictPublicBuckets: [(owner: String, argv: [String])] {
        var commands: [(String, [String])] = []
        func configuration(_ block: BlockPublicAccess) -> String {
            "BlockPublicAcls=\(block.blockPublicAcls),IgnorePublicAcls=\(block.ignorePublicAcls),"
                + "BlockPublicPolicy=\(block.blockPublicPolicy),RestrictPublicBuckets=false"
        }
        if case .set(let block) = controls.bucketBlock, block.restrictPublicBuckets {
            commands.append(("the bucket owner", ["aws", "s3api", "put-public-access-block", "--bucket", controls.bucket,
                                                  "--public-access-block-configuration", configuration(block)]))
        }
        if case .set(let block) = controls.accountBlock, block.restrictPublicBuckets {
            commands.append(("the administrator of account \(controls.ownerAccount ?? "?")",
                             ["aws", "s3control", "put-public-access-block", "--account-id", controls.ownerAccount ?? "ACCOUNT_ID",
                              "--public-access-block-configuration", configuration(block)]))
        }
        return commands
    }
}

/// `arn:partition:service:region:account:resource`, for the bucket an S3 ARN names.
struct ResourceARNParts {
    var partition: String
    var service: String
    var account: String
    var resource: String

    init?(_ arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        (partition, service, account, resource) = (parts[1], parts[2], parts[4], parts[5])
    }
}

/// Whether a bucket policy statement is public in S3's sense (S3 User Guide, "The meaning of
/// public"): an Allow whose Principal is `*` (or NotPrincipal), unless a condition fixes one of
/// the keys S3 accepts as limiting it to known callers (a fixed value, no wildcard; an IP range
/// of /8 or narrower).
///
/// ```swift
/// S3PublicPolicy.isPublic(statement)   // true for {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",…}
/// ```
enum S3PublicPolicy {
    static let fixingKeys: Set<String> = [
        "aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount",
        "aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principalorgid",
        "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
    ]
    static let fixingOperators: Set<BaseConditionOperator> = [.stringEquals, .stringEqualsIgnoreCase, .stringLike, .arnEquals, .arnLike, .ipAddress]

    static func isPublic(_ statement: PolicyStatement) -> Bool {
        guard statement.effect == .allow, let principal = statement.principal else { return false }
        switch principal {
        case .notPrincipal: break
        case .principal(let entries):
            guard entries.contains(where: { $0.type == .wildcard || ($0.type == .aws && $0.value == "*") }) else { return false }
        }
        return !statement.conditions.contains(where: fixes)
    }

    static func fixes(_ clause: ConditionClause) -> Bool {
        guard fixingKeys.contains(clause.key.lowercased()), fixingOperators.contains(clause.operator.base),
              clause.operator.qualifier != .forAnyValue, !clause.operator.ifExists, !clause.values.isEmpty else { return false }
        if clause.operator.base == .ipAddress {
            return clause.values.allSatisfy { IPAddressRange($0).map { $0.prefixLength >= 8 } ?? false }
        }
        return clause.values.allSatisfy { !$0.contains("*") && !$0.contains("?") }
    }
}
