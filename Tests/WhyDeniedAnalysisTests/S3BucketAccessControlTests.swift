import Testing
@testable import WhyDeniedAnalysis

/// Issue 14 §2: S3 Block Public Access (account and bucket) and Object Ownership / ACLs where
/// they decide a request on a bucket.
@Suite struct S3BucketAccessControlTests {
    let userB = "arn:aws:iam::444455556666:user/bea"
    let publicRead = #"{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#
    let accountBRead = #"{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#

    /// The cross-account caller `bea` with an identity policy allowing s3:*, and the bucket's policy.
    func crossAccount(bucketPolicy statements: [String], controls: S3BucketAccessControls?) throws -> PolicySet {
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.resourcePolicy = resourceSide("bucket policy of reports",
                                          try document(#"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#))
        set.s3Bucket = controls
        return set
    }

    func controls(bucket: S3Setting<BlockPublicAccess> = .notSet, account: S3Setting<BlockPublicAccess> = .notSet) -> S3BucketAccessControls {
        var controls = S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)
        controls.bucketBlock = bucket
        controls.accountBlock = account
        return controls
    }

    @Test func restrictPublicBucketsDeniesACrossAccountCallerAllowedByAPublicStatement() throws {
        let request = makeRequest(userB, resourceAccount: accountA)
        let open = evaluate(request, try crossAccount(bucketPolicy: [publicRead], controls: controls()))
        #expect(open.decision == .allowed)

        let bucketLevel = evaluate(request, try crossAccount(bucketPolicy: [publicRead],
                                                             controls: controls(bucket: .set(BlockPublicAccess(restrictPublicBuckets: true)))))
        #expect(bucketLevel.decision == .implicitDeny)
        #expect(bucketLevel.deciding.summary.contains("S3 Block Public Access"), "\(bucketLevel.deciding.summary)")
        #expect(bucketLevel.deciding.summary.contains("bucket reports"))
        #expect(bucketLevel.deciding.summary.contains("Sid \"PublicRead\""))
        #expect(bucketLevel.deciding.summary.contains("aws s3api put-public-access-block --bucket reports"))

        let accountLevel = evaluate(request, try crossAccount(bucketPolicy: [publicRead],
                                                              controls: controls(account: .set(BlockPublicAccess(restrictPublicBuckets: true)))))
        #expect(accountLevel.decision == .implicitDeny)
        #expect(accountLevel.deciding.summary.contains("account \(accountA)"))
        #expect(accountLevel.deciding.summary.contains("aws s3control put-public-access-block --account-id \(accountA)"))
    }

    /// AWS: "public and cross-account access within any public bucket policy, including non-public
    /// delegation to specific accounts, is blocked".
    @Test func aPublicPolicyAlsoBlocksItsNamedAccountGrants() throws {
        let request = makeRequest(userB, resourceAccount: accountA)
        let restricted = controls(bucket: .set(BlockPublicAccess(restrictPublicBuckets: true)))
        let both = evaluate(request, try crossAccount(bucketPolicy: [publicRead, accountBRead], controls: restricted))
        #expect(both.decision == .implicitDeny)
        let namedOnly = evaluate(request, try crossAccount(bucketPolicy: [accountBRead], controls: restricted))
        #expect(namedOnly.decision == .allowed, "a policy that is not public is not restricted")
    }

    @Test func theOwnersAccountAndAWSServicesPassRestrictPublicBuckets() throws {
        let restricted = controls(bucket: .set(BlockPublicAccess(restrictPublicBuckets: true)))
        var set = try crossAccount(bucketPolicy: [publicRead], controls: restricted)
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3))]
        #expect(evaluate(makeRequest(userAna), set).decision == .allowed)
    }

    @Test func aFixedValueConditionMakesAStatementNonPublic() throws {
        let orgOnly = #"{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}"#
        let wildcardOrg = #"{"Sid":"AnyOrg","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}"#
        let wideIp = #"{"Sid":"Wide","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}"#
        let narrowIp = #"{"Sid":"Office","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#
        func statement(_ json: String) throws -> PolicyStatement { try statementPolicy(json).statements[0] }
        #expect(!S3PublicPolicy.isPublic(try statement(orgOnly)))
        #expect(S3PublicPolicy.isPublic(try statement(wildcardOrg)))
        #expect(S3PublicPolicy.isPublic(try statement(wideIp)))
        #expect(!S3PublicPolicy.isPublic(try statement(narrowIp)))
        #expect(S3PublicPolicy.isPublic(try statement(publicRead)))
        #expect(!S3PublicPolicy.isPublic(try statement(accountBRead)))
    }

    @Test func unreadBlockPublicAccessThatCouldDecideIsUndecidedNamingIt() throws {
        let request = makeRequest(userB, resourceAccount: accountA)
        let unread = controls(bucket: .unread(read: "aws s3api get-public-access-block --bucket reports", reason: "AccessDenied"))
        let result = evaluate(request, try crossAccount(bucketPolicy: [publicRead], controls: unread))
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("S3 Block Public Access of bucket reports"), "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("aws s3api get-public-access-block --bucket reports"))
        #expect(result.unreadPolicies.map(\.name) == ["S3 Block Public Access of bucket reports"])

        // With a policy that is not public, Block Public Access cannot change the verdict.
        let decided = evaluate(request, try crossAccount(bucketPolicy: [accountBRead], controls: unread))
        #expect(decided.decision == .allowed)
        #expect(decided.notes.contains { $0.contains("S3 Block Public Access of bucket reports") && $0.contains("whatever it says") })
    }

    // ACLs: grants allow unless Object Ownership is BucketOwnerEnforced, public ones unless ignored.
    func aclOnly(_ grants: [S3ACLGrant], ownership: S3Setting<ObjectOwnership> = .notSet,
                 bucketBlock: S3Setting<BlockPublicAccess> = .notSet) -> PolicySet {
        var set = PolicySet()
        var controls = controls(bucket: bucketBlock)
        controls.acl = .set(grants)
        controls.objectOwnership = ownership
        set.s3Bucket = controls
        return set
    }

    @Test func aPublicACLGrantAllowsUnlessACLsAreDisabledOrIgnored() throws {
        let request = makeRequest(userB, action: "s3:ListBucket", resource: "arn:aws:s3:::reports", resourceAccount: accountA)
        let allUsersRead = [S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)]
        var set = aclOnly(allUsersRead)
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        let allowed = evaluate(request, set)
        #expect(allowed.decision == .allowed, "\(allowed.deciding.summary)")
        #expect(allowed.deciding.summary.contains("ACL of bucket reports") || allowed.deciding.supportingStatements.contains { $0.policy.name == "ACL of bucket reports" },
                "\(allowed.deciding.summary)")

        set.s3Bucket = aclOnly(allUsersRead, ownership: .set(.bucketOwnerEnforced)).s3Bucket
        let enforced = evaluate(request, set)
        #expect(enforced.decision == .implicitDeny)
        #expect(enforced.notes.contains { $0.contains("BucketOwnerEnforced") })

        set.s3Bucket = aclOnly(allUsersRead, bucketBlock: .set(BlockPublicAccess(ignorePublicAcls: true))).s3Bucket
        let ignored = evaluate(request, set)
        #expect(ignored.decision == .implicitDeny)
        #expect(ignored.notes.contains { $0.contains("IgnorePublicAcls") })

        // A WRITE grant does not give s3:ListBucket.
        set.s3Bucket = aclOnly([S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .write)]).s3Bucket
        #expect(evaluate(request, set).decision == .implicitDeny)
    }

    @Test func anUnreadObjectOwnershipWithACLGrantsIsUndecided() throws {
        let request = makeRequest(userB, action: "s3:ListBucket", resource: "arn:aws:s3:::reports", resourceAccount: accountA)
        var set = aclOnly([S3ACLGrant(grantee: .group(uri: S3ACLGrant.authenticatedUsers), permission: .fullControl)],
                          ownership: .unread(read: "aws s3api get-bucket-ownership-controls --bucket reports", reason: "AccessDenied"))
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        let result = evaluate(request, set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.summary.contains("S3 Object Ownership of bucket reports"))
    }

    @Test func liftingRestrictPublicBucketsKeepsTheOtherSettings() throws {
        var both = controls(bucket: .set(BlockPublicAccess(blockPublicAcls: true, restrictPublicBuckets: true)),
                            account: .set(BlockPublicAccess.all))
        both.ownerAccount = accountA
        let rules = try #require(S3BucketAccessRules(controls: both, request: makeRequest(userB)))
        let commands = rules.liftingRestrictPublicBuckets
        #expect(commands.map(\.owner) == ["the bucket owner", "the administrator of account \(accountA)"])
        #expect(commands[0].argv == ["aws", "s3api", "put-public-access-block", "--bucket", "reports", "--public-access-block-configuration",
                                     "BlockPublicAcls=true,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false"])
        #expect(commands[1].argv.prefix(5) == ["aws", "s3control", "put-public-access-block", "--account-id", accountA])
        #expect(commands[1].argv.last == "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=false")
    }

    @Test func controlsOfAnotherBucketOrServiceDoNotApply() throws {
        let other = makeRequest(userB, resource: "arn:aws:s3:::other/x", resourceAccount: accountA)
        #expect(S3BucketAccessRules(controls: controls(), request: other) == nil)
        let sqs = makeRequest(userB, action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:111122223333:reports")
        #expect(S3BucketAccessRules(controls: controls(), request: sqs) == nil)
    }

    /// The snapshot keeps each setting as read, not set, or unread (index.json `s3Buckets`), and
    /// hands it to requests on that bucket.
    @Test func theControlsRoundTripThroughTheSnapshotFiles() throws {
        var controls = controls(bucket: .set(BlockPublicAccess(ignorePublicAcls: true, restrictPublicBuckets: true)),
                                account: .unread(read: "aws s3control get-public-access-block --account-id 111122223333", reason: "AccessDenied"))
        controls.objectOwnership = .set(.bucketOwnerPreferred)
        controls.acl = .set([S3ACLGrant(grantee: .canonicalUser(id: "79a59df9"), permission: .fullControl),
                             S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)])
        controls.ownerCanonicalId = "79a59df9"
        let folder = try AnalysisFixtures.temporaryDirectory()
        try AccountSnapshot(accountId: accountA, s3Buckets: [controls]).write(to: folder)
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.s3Buckets == [controls])

        let selection = try SnapshotPolicySets(loaded).policySet(for: makeRequest(userB, resourceAccount: nil))
        #expect(selection.policies.s3Bucket == controls)
        #expect(try SnapshotPolicySets(loaded).policySet(for: makeRequest(userB, resource: "arn:aws:s3:::other/x")).policies.s3Bucket == nil)
    }

    /// A snapshot written before whydenied read the S3 settings (index.json without `s3Buckets`)
    /// still loads; a bucket whose policy it holds has each setting unread, never "not set", so a
    /// verdict they could change is Undecided, naming them, and one they cannot change stands.
    @Test func anOldSnapshotWithoutTheSettingsLoadsAndTheyAreUnread() throws {
        let bucketPolicy = #"{"Version":"2012-10-17","Statement":[\#(publicRead)]}"#
        let identity = #"{"Version":"2012-10-17","Statement":[\#(allowAllS3)]}"#
        let folder = try AnalysisFixtures.temporaryDirectory()
        try AccountSnapshot(
            accountId: accountA,
            principals: [SnapshotPrincipal(arn: userB, policies: [SnapshotBuilder.policy("identity", identity, attachedTo: userB)])],
            resourcePolicies: [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::reports", kind: .s3BucketPolicy,
                                                      policy: SnapshotBuilder.policy("bucket", bucketPolicy, attachedTo: "arn:aws:s3:::reports"))])
            .write(to: folder)
        let index = try String(contentsOf: folder.appendingPathComponent("index.json"), encoding: .utf8)
        #expect(!index.contains("s3Buckets"), "the old shape: no S3 settings at all")
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.s3Buckets.isEmpty)

        let request = makeRequest(userB, resourceAccount: accountA)
        let selection = try SnapshotPolicySets(loaded).policySet(for: request)
        let controls = try #require(selection.policies.s3Bucket)
        #expect(controls.unread.map(\.name) == ["S3 Block Public Access of account \(accountA)", "S3 Block Public Access of bucket reports",
                                                "S3 Object Ownership of bucket reports", "ACL of bucket reports"])
        #expect(controls.unread.allSatisfy { $0.reason.contains("written before whydenied read them") })
        // Cross-account through a public statement: RestrictPublicBuckets at either level would refuse it.
        let crossAccount = PolicyEvaluator().evaluate(request, against: selection.policies)
        #expect(crossAccount.decision == .undecided, "\(crossAccount.deciding.summary)")
        #expect(crossAccount.deciding.summary.contains("S3 Block Public Access of account \(accountA)"))

        // An object of a bucket the snapshot does not hold, or another service: nothing assumed.
        #expect(loaded.unreadS3Settings(for: "arn:aws:s3:::other/x") == nil)
        #expect(loaded.unreadS3Settings(for: "arn:aws:sqs:us-east-1:111122223333:reports") == nil)
        // A snapshot that holds the settings is taken at its word.
        let current = AccountSnapshot(accountId: accountA, principals: loaded.principals, resourcePolicies: loaded.resourcePolicies,
                                      s3Buckets: [S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)])
        #expect(current.unreadS3Settings(for: "arn:aws:s3:::reports/q3.csv") == nil)
        // Only the caller's own account's SCPs are left unknown (the snapshot holds account A's path, not B's).
        let settled = PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(current).policySet(for: request).policies)
        #expect(settled.decision == .undecided, "\(settled.deciding.summary)")
        #expect(settled.deciding.summary.contains("SCPs on the path of account 444455556666"), "\(settled.deciding.summary)")
        #expect(!settled.deciding.summary.contains("Block Public Access"), "\(settled.deciding.summary)")
    }

    /// The fix for a Block Public Access refusal is the setting (or a non-public policy), named
    /// with its owner and command, never one more bucket-policy statement that could not help.
    @Test func theFixNamesTheSettingAndItsOwnerNotABucketPolicyStatement() throws {
        let owner = "444455556666"
        let publicBucket = #"{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-data-bucket/*"}]}"#
        var controls = S3BucketAccessControls(bucket: "analytics-data-bucket", ownerAccount: owner)
        controls.bucketBlock = .set(BlockPublicAccess(restrictPublicBuckets: true))
        let snapshot = AccountSnapshot(
            accountId: owner,
            principals: [SnapshotPrincipal(arn: SnapshotBuilder.roleArn, policies: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)])],
            resourcePolicies: [SnapshotResourcePolicy(resourceArn: "arn:aws:s3:::analytics-data-bucket", kind: .s3BucketPolicy,
                                                      policy: SnapshotBuilder.policy("bucket", publicBucket, attachedTo: "arn:aws:s3:::analytics-data-bucket"))],
            s3Buckets: [controls])
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot)).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .implicitDeny)
        let fix = try #require(analysis.fix)
        #expect(!fix.policiesToAdd.contains { $0.target == .resourcePolicy }, "\(fix.policiesToAdd)")
        #expect(fix.warnings.contains { $0.contains("RestrictPublicBuckets") && $0.contains("the bucket owner: aws s3api put-public-access-block --bucket analytics-data-bucket") },
                "\(fix.warnings)")
    }
}
