import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Issue 14 §2: an object's ACL where it decides (S3 User Guide, "How Amazon S3 authorizes a
/// request for an object operation"): while ACLs are enabled its grants allow the object, and an
/// object another account owns is granted by its ACL alone, the bucket owner's principals included.
@Suite struct S3ObjectACLTests {
    let bucketOwnerId = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    let uploaderId = "be2fe74dc7e8125d8f8fcae89d0e6dfdecabf8e96e1a69d55e949b009fd95a97"
    let bucketOwnerGrant = #"{"Sid":"OwnAccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#

    func controls(objectOwner: String?, grants: [S3ACLGrant], ownership: S3Setting<ObjectOwnership> = .notSet,
                  bucketBlock: S3Setting<BlockPublicAccess> = .notSet) -> S3BucketAccessControls {
        var controls = S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)
        controls.ownerCanonicalId = bucketOwnerId
        controls.objectOwnership = ownership
        controls.bucketBlock = bucketBlock
        controls.acl = .set([S3ACLGrant(grantee: .canonicalUser(id: bucketOwnerId), permission: .fullControl)])
        controls.objectACLs["q3.csv"] = .set(S3ObjectACL(key: "q3.csv", ownerCanonicalId: objectOwner, grants: grants))
        return controls
    }

    /// ana (the bucket owner's account) may read every object by her own policy and the bucket's.
    func bucketOwnersCaller(_ controls: S3BucketAccessControls, bucketPolicy: String? = nil) throws -> PolicySet {
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3))]
        set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(bucketPolicy ?? bucketOwnerGrant))
        set.s3Bucket = controls
        return set
    }

    @Test func anObjectAnotherAccountUploadedIsDeniedToTheBucketOwnerUntilItsACLGrantsIt() throws {
        let uploadersOnly = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl)])
        let denied = evaluate(makeRequest(), try bucketOwnersCaller(uploadersOnly))
        #expect(denied.decision == .implicitDeny, "\(denied.deciding.summary)")
        #expect(denied.blockedBy.map(\.name) == [S3BucketAccessRules.objectACLGateName])
        let summary = denied.deciding.summary
        #expect(summary.contains("ACL of object q3.csv in bucket reports does not grant s3:GetObject"), "\(summary)")
        #expect(summary.contains("owned by canonical user be2fe74dc7e8…, not by the bucket owner (account 111122223333)"), "\(summary)")
        #expect(summary.contains("aws s3api put-object-acl --bucket reports --key q3.csv --acl bucket-owner-full-control"))
        #expect(summary.contains("ObjectOwnership=BucketOwnerEnforced"))

        // The uploader grants the bucket owner (bucket-owner-full-control): allowed.
        let granted = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl),
                                                                 S3ACLGrant(grantee: .canonicalUser(id: bucketOwnerId), permission: .fullControl)])
        let allowed = evaluate(makeRequest(), try bucketOwnersCaller(granted))
        #expect(allowed.decision == .allowed, "\(allowed.deciding.summary)")
        #expect(allowed.gates.contains { $0.name == S3BucketAccessRules.objectACLGateName && $0.outcome == .allows })

        // BucketOwnerEnforced: the bucket owner owns every object, ACLs count for nothing.
        let enforced = controls(objectOwner: uploaderId, grants: [], ownership: .set(.bucketOwnerEnforced))
        let owned = evaluate(makeRequest(), try bucketOwnersCaller(enforced))
        #expect(owned.decision == .allowed, "\(owned.deciding.summary)")
        #expect(owned.notes.contains { $0.contains("ACL of object q3.csv in bucket reports not applied") && $0.contains("BucketOwnerEnforced") })

        // PutObject is the bucket's to grant: the object's owner does not decide it.
        let put = evaluate(makeRequest(action: "s3:PutObject"), try bucketOwnersCaller(uploadersOnly))
        #expect(put.decision == .allowed, "\(put.deciding.summary)")
    }

    /// The fix for another account's object is its ACL or Object Ownership, never a bucket-policy statement.
    @Test func theFixNamesTheObjectsOwnerNotABucketPolicyStatement() throws {
        let bucket = "analytics-data-bucket", key = "reports/2026/q3.csv"
        var controls = S3BucketAccessControls(bucket: bucket, ownerAccount: SnapshotBuilder.account)
        controls.ownerCanonicalId = bucketOwnerId
        controls.objectACLs[key] = .set(S3ObjectACL(key: key, ownerCanonicalId: uploaderId,
                                                    grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl)]))
        let snapshot = AccountSnapshot(
            accountId: SnapshotBuilder.account,
            principals: [SnapshotPrincipal(arn: SnapshotBuilder.roleArn, policies: [SnapshotBuilder.policy("read", SnapshotBuilder.readOnly)])],
            s3Buckets: [controls])
        let analysis = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot)).analyse(try RequestTests.seedEvent())
        #expect(analysis.decision == .implicitDeny)
        let fix = try #require(analysis.fix)
        #expect(fix.policiesToAdd.isEmpty, "\(fix.policiesToAdd)")
        #expect(fix.warnings.contains { $0.contains("put-object-acl --bucket \(bucket) --key \(key)") }, "\(fix.warnings)")
    }

    @Test func theBucketOwnerCanStillDenyAnotherAccountsObject() throws {
        let publicObject = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)])
        let deny = #"{"Sid":"NoReports","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#
        let result = evaluate(makeRequest(), try bucketOwnersCaller(publicObject, bucketPolicy: deny))
        #expect(result.decision == .explicitDeny)
        #expect(result.deciding.summary.contains("NoReports"))
    }

    /// A cross-account read of the bucket owner's object: the object's ACL grant is the resource side's Allow.
    @Test func anObjectACLGrantAllowsACrossAccountReadUnlessIgnored() throws {
        let request = makeRequest("arn:aws:iam::444455556666:user/bea")
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.s3Bucket = controls(objectOwner: bucketOwnerId, grants: [S3ACLGrant(grantee: .group(uri: S3ACLGrant.authenticatedUsers), permission: .read)])
        let allowed = evaluate(request, set)
        #expect(allowed.decision == .allowed, "\(allowed.deciding.summary)")
        let named = ([allowed.deciding.statement] + allowed.deciding.supportingStatements).compactMap { $0?.policy.name }
        #expect(named.contains("ACL of object q3.csv in bucket reports"), "\(allowed.deciding.summary)")
        #expect(allowed.notes.contains { $0.hasPrefix("the ACL of object q3.csv in bucket reports grants the caller s3:GetObject") }, "\(allowed.notes)")

        set.s3Bucket = controls(objectOwner: bucketOwnerId, grants: [S3ACLGrant(grantee: .group(uri: S3ACLGrant.authenticatedUsers), permission: .read)],
                                bucketBlock: .set(BlockPublicAccess(ignorePublicAcls: true)))
        let ignored = evaluate(request, set)
        #expect(ignored.decision == .implicitDeny)
        #expect(ignored.notes.contains("the ACL of object q3.csv in bucket reports does not grant the caller s3:GetObject (it is owned by the bucket owner (account 111122223333))"),
                "\(ignored.notes)")
        #expect(ignored.notes.contains { $0.contains("public grant(s) of the ACL of object q3.csv in bucket reports ignored") }, "\(ignored.notes)")

        // READ_ACP reads the ACL, not the object.
        set.s3Bucket = controls(objectOwner: bucketOwnerId, grants: [S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .readACP)])
        #expect(evaluate(request, set).decision == .implicitDeny)
        #expect(evaluate(makeRequest("arn:aws:iam::444455556666:user/bea", action: "s3:GetObjectAcl"), set).decision == .allowed)
    }

    /// A refused get-object-acl makes the verdict Undecided only where the ACL could change it.
    @Test func anUnreadObjectACLIsUndecidedOnlyWhereItCouldDecide() throws {
        let partnerGrant = #"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}"#
        var unread = controls(objectOwner: nil, grants: [])
        unread.objectACLs["q3.csv"] = .unread(read: "aws s3api get-object-acl --bucket reports --key q3.csv", reason: "AccessDenied")
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(partnerGrant))
        set.s3Bucket = unread
        // Allowed by the bucket policy if the bucket owner owns the object; denied if another account does and grants nothing.
        let open = evaluate(makeRequest("arn:aws:iam::444455556666:user/bea"), set)
        #expect(open.decision == .undecided, "\(open.deciding.summary)")
        #expect(open.deciding.summary.contains("ACL of object q3.csv in bucket reports"))
        #expect(open.deciding.summary.contains("aws s3api get-object-acl --bucket reports --key q3.csv"))

        // Denied whatever it says: no identity Allow.
        set.identityPolicies = []
        let denied = evaluate(makeRequest("arn:aws:iam::444455556666:user/bea"), set)
        #expect(denied.decision == .implicitDeny, "\(denied.deciding.summary)")
        #expect(denied.notes.contains { $0.contains("ACL of object q3.csv in bucket reports") && $0.contains("whatever it says") })

        // An action the object's ACL does not govern: decided.
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.resourcePolicy = resourceSide("bucket policy of reports", try statementPolicy(
            #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::reports/*"}"#))
        #expect(evaluate(makeRequest("arn:aws:iam::444455556666:user/bea", action: "s3:PutObject"), set).decision == .allowed)
    }

    /// With Object Ownership unread too, BucketOwnerEnforced (the bucket owner owns the object)
    /// is not the stricter value: both are tried.
    @Test func anUnreadObjectOwnershipBesideAnotherAccountsObjectIsUndecided() throws {
        var uploadersOnly = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl)])
        uploadersOnly.objectOwnership = .unread(read: "aws s3api get-bucket-ownership-controls --bucket reports", reason: "AccessDenied")
        let result = evaluate(makeRequest(), try bucketOwnersCaller(uploadersOnly))
        #expect(result.decision == .undecided, "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("S3 Object Ownership of bucket reports"))
    }

    @Test func objectACLsRoundTripThroughTheSnapshotFiles() throws {
        var controls = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl),
                                                                  S3ACLGrant(grantee: .group(uri: S3ACLGrant.allUsers), permission: .read)])
        controls.objectACLs["other/key.csv"] = .unread(read: "aws s3api get-object-acl --bucket reports --key other/key.csv", reason: "AccessDenied")
        let folder = try AnalysisFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try AccountSnapshot(accountId: accountA, s3Buckets: [controls]).write(to: folder)
        let index = try JSONValue.parse(try String(contentsOf: folder.appendingPathComponent("index.json"), encoding: .utf8))
        #expect(index["s3Buckets"]?[0]?["objectAcls"]?.arrayValue?.map { $0["key"]?.stringValue } == ["other/key.csv", "q3.csv"])
        let loaded = try AccountSnapshot.load(from: folder)
        #expect(loaded.s3Buckets == [controls])
        #expect(controls.unread.map(\.name) == ["ACL of object other/key.csv in bucket reports"])

        // get-object-acl's own output reads the same.
        let output = try JSONValue.parse(#"{"Owner":{"ID":"\#(uploaderId)"},"Grants":[{"Grantee":{"Type":"CanonicalUser","ID":"\#(uploaderId)"},"Permission":"FULL_CONTROL"},{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]}"#)
        #expect(S3ObjectACL(key: "q3.csv", json: output).map { S3Setting.set($0) } == controls.objectACLs["q3.csv"])
    }

    /// Unreachable, both the bucket policy and the object's ACL are unread: the policy stays the
    /// one named (it could deny explicitly) and the object's ACL is said beside it.
    @Test func anUnreadBucketPolicyBesideAnUnreadObjectACLNamesBoth() throws {
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3))]
        set.unreadPolicies = [UnreadPolicy(type: .resourceBased, name: "bucket policy of reports",
                                           failedRead: "aws s3api get-bucket-policy --bucket reports", reason: "no connection")]
        var controls = S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)
        controls.objectACLs["q3.csv"] = .unread(read: "aws s3api get-object-acl --bucket reports --key q3.csv", reason: "no connection")
        set.s3Bucket = controls
        let result = evaluate(makeRequest(), set)
        #expect(result.decision == .undecided)
        #expect(result.deciding.policy?.name == "bucket policy of reports", "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("if it denies: explicit deny"), "\(result.deciding.summary)")
        #expect(result.deciding.summary.contains("Also resource-based policy \"ACL of object q3.csv in bucket reports\" could not be read"), "\(result.deciding.summary)")
        #expect(Set(result.unreadPolicies.map(\.name)) == ["bucket policy of reports", "ACL of object q3.csv in bucket reports"])
    }

    /// The uploader (another account) reads its own object back: its ACL grants the uploader's
    /// canonical id, which whydenied cannot tie to an account id, so Undecided says so; with the
    /// caller's canonical id known, the grant decides.
    @Test func aGrantToAnAccountKnownOnlyByItsCanonicalIdIsUndecidedNotDenied() throws {
        let uploadersOnly = controls(objectOwner: uploaderId, grants: [S3ACLGrant(grantee: .canonicalUser(id: uploaderId), permission: .fullControl)])
        var set = PolicySet()
        set.identityPolicies = [attached("identity", try statementPolicy(allowAllS3), holderName: "bea")]
        set.s3Bucket = uploadersOnly
        let unsure = evaluate(makeRequest("arn:aws:iam::444455556666:user/bea"), set)
        #expect(unsure.decision == .undecided, "\(unsure.deciding.summary)")
        #expect(unsure.missingContextKeys == [S3BucketAccessRules.callerCanonicalIdKey])
        #expect(unsure.notes.contains { $0.contains("FULL_CONTROL to canonical user be2fe74dc7e8…") && $0.contains("cannot tell whether that is the caller's account") })

        var known = makeRequest("arn:aws:iam::444455556666:user/bea")
        known.principal.canonicalUserId = uploaderId
        #expect(evaluate(known, set).decision == .allowed)
        known.principal.canonicalUserId = "someone-else"
        #expect(evaluate(known, set).decision == .implicitDeny)
    }

    /// A snapshot of the bucket alone holds no object's ACL: said, not guessed.
    @Test func aSnapshotWithoutTheObjectsACLSaysSo() throws {
        var bucketOnly = S3BucketAccessControls(bucket: "reports", ownerAccount: accountA)
        bucketOnly.ownerCanonicalId = bucketOwnerId
        let snapshot = AccountSnapshot(accountId: accountA, s3Buckets: [bucketOnly])
        let notes = try SnapshotPolicySets(snapshot).policySet(for: makeRequest()).notes
        #expect(notes.contains { $0.contains("does not hold the ACL of object q3.csv in bucket reports") && $0.contains("snapshot --resource arn:aws:s3:::reports/q3.csv") }, "\(notes)")
        var held = bucketOnly
        held.objectACLs["q3.csv"] = .set(S3ObjectACL(key: "q3.csv", ownerCanonicalId: bucketOwnerId, grants: []))
        #expect(try SnapshotPolicySets(AccountSnapshot(accountId: accountA, s3Buckets: [held])).policySet(for: makeRequest()).notes.allSatisfy { !$0.contains("ACL of object") })
        #expect(try SnapshotPolicySets(snapshot).policySet(for: makeRequest(action: "s3:PutObject")).notes.allSatisfy { !$0.contains("ACL of object") })
    }
}
