import Foundation
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook

/// Reads an account snapshot from live AWS with the runbook's own read-only policy reads
/// (`PolicyReadRunbook`): for each principal its policies, groups and boundary; for each
/// resource its resource-based policy, and for an S3 bucket its Block Public Access (the bucket's
/// and its owner account's), Object Ownership and ACL. A read that fails makes what it would have read unknown,
/// never empty: a principal's failed read becomes its unread policy (`unreadPolicies`), a
/// resource's an unread resource policy. The principals of an account with more than one in the
/// batch have their own policies, groups and boundaries read with one `get-account-authorization-details`
/// (`AuthorizationDetailsBatch`); what it does not answer is read per principal.
///
/// ```swift
/// let reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: "us-east-1")
/// let result = await reader.read(principals: ["arn:aws:iam::111122223333:role/DataAnalystRole"],
///                                resources: ["arn:aws:s3:::analytics-data-bucket"],
///                                effects: { _ in cache }, homeAccount: "111122223333") { print($0) }
/// try result.snapshot.write(to: URL(fileURLWithPath: "snapshot"))
/// ```
public struct LiveAccountReader: Sendable {
    public let reads: Runbook
    /// For reads whose resource ARN names no region (S3, IAM).
    public let region: String
    /// The profile the organization reads run with (`org_profile`), when one is given.
    public let organizationProfile: String?
    /// How many principals' and resources' reads run at once.
    public let concurrency: Int

    /// Whether an S3 object's own ACL is read (`get-object-acl`, one process per object). A batch
    /// of events on many objects reads each bucket once instead, and says the objects' ACLs were
    /// not read; `snapshot --resource` of one object reads it.
    public var readsObjectACLs = true

    /// Whether the principals of an account with more than one in the batch have their policies
    /// read with one `get-account-authorization-details` (`AuthorizationDetailsBatch`) rather than
    /// with each principal's own reads. Off, every principal is read on its own (a test compares both).
    public var readsAuthorizationDetails = true

    /// Whether each bucket's Block Public Access and tags are left out of its first read
    /// (`DeferredBucketSettings`): its Block Public Access is then unread, saying why, until
    /// `read`'s `followUp` names the bucket to read in full. `analyze --live` does; `snapshot` reads all.
    public var defersBucketSettings = false

    public init(reads: Runbook, region: String, organizationProfile: String? = nil,
                concurrency: Int = BoundedConcurrency.coreCount) {
        self.reads = reads
        self.region = region
        self.organizationProfile = organizationProfile
        self.concurrency = concurrency
    }

    public struct Result: Sendable {
        public var snapshot: AccountSnapshot
        /// What was not read, and why (a principal left out, a resource whose service has no
        /// policy whydenied reads, an account without credentials).
        public var notes: [String]
    }

    /// - Parameters:
    ///   - effects: the reads for an account (nil for an S3 bucket, whose ARN names none), or
    ///     nil when whydenied has no credentials for that account.
    ///   - homeAccount: the account the default credentials belong to; it becomes the
    ///     snapshot's `accountId`.
    ///   - vpcEndpoints: VPC endpoint ids whose policies to read, with the home account's reads.
    ///   - resourceEffects: the reads for resources, when they differ from `effects`
    ///     (`--resource-profile`: the resources' own account, also for an S3 ARN that names none).
    ///   - followUp: with `defersBucketSettings`, given the snapshot of the first reads, names the
    ///     buckets to read in full (`DeferredBucketSettings.bucketsToRead`); the snapshot returned has them.
    public func read(principals: [String], resources: [String], vpcEndpoints: [String] = [],
                     effects: (_ account: String?) -> (any SessionEffects)?,
                     resourceEffects: ((_ account: String?) -> (any SessionEffects)?)? = nil, homeAccount: String?,
                     followUp: ((AccountSnapshot) async -> [String])? = nil,
                     progress: @escaping @Sendable (String) -> Void) async -> Result {
        // First what to read with which credentials, in order; then every read at once, up to
        // `concurrency` sessions at a time; then the results, in the same order as before.
        enum ReadTarget {
            /// `answered`: what its identity reads would have captured, when the batch's account read answered them.
            case principal(arn: String, account: String?, answered: [String: JSONValue])
            case resource(arn: String, kind: ResourcePolicyKind, target: ResourcePolicyTarget)
            case endpoint(id: String)
        }
        enum Plan {
            /// `job`: the index of its read in `jobs`; objects of one bucket share their bucket's.
            case read(ReadTarget, job: Int)
            case note(String)
            case unreadResource(SnapshotUnreadPolicy)
            case unreadEndpoint(SnapshotUnreadEndpointPolicy)
        }
        // The resources' and endpoints' reads first: they need nothing of the principals' (the
        // account's authorization details, then the organization chain every principal waits on),
        // so they start at once, side by side with them, on what that chain leaves idle.
        var otherPlans: [Plan] = []
        var otherJobs: [ReadJob] = []
        /// Resource reads by what they read (account, ARN read, region): one session each.
        var resourceJobs: [String: Int] = [:]
        var objectsNotRead = 0
        let firstResourceReads = defersBucketSettings ? PolicyReadRunbook.withoutDeferredBucketReads(reads) : reads
        for arn in Self.unique(resources) {
            guard let target = ResourcePolicyTarget(arn: arn), let kind = ResourcePolicyKind(rawValue: target.policy.kind) else {
                otherPlans.append(.note("\(arn): whydenied reads no resource-based policy for this kind of resource."))
                continue
            }
            let account = ARN(arn).flatMap { $0.account.isEmpty ? nil : $0.account }
            guard let reads = resourceEffects.map({ $0(account) }) ?? effects(account) else {
                otherPlans.append(.unreadResource(SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: "\(kind.rawValue) of \(arn)", failedRead: nil,
                                                                       reason: "no credentials for account \(account ?? "?") (give a profile for it)")))
                continue
            }
            let arnRegion = ARN(arn).flatMap { $0.region.isEmpty ? nil : $0.region }
            // Without object ACLs an object's reads are its bucket's: the same argv, read once per batch.
            let readArn = !readsObjectACLs && target.objectKey != nil ? Self.bucketArn(of: arn) : arn
            if readArn != arn { objectsNotRead += 1 }
            let key = [account ?? "", readArn, arnRegion ?? region].joined(separator: "\u{0}")
            let job = resourceJobs[key] ?? {
                otherJobs.append(ReadJob(runbook: firstResourceReads, parameters: ["resource": readArn, "region": arnRegion ?? region], facts: [:], effects: reads))
                resourceJobs[key] = otherJobs.count - 1
                return otherJobs.count - 1
            }()
            otherPlans.append(.read(.resource(arn: arn, kind: kind, target: target), job: job))
        }
        for id in Self.unique(vpcEndpoints) {
            guard reads.step("check_vpc_endpoint_policy") != nil, let home = effects(nil) else {
                otherPlans.append(.unreadEndpoint(SnapshotUnreadEndpointPolicy(vpcEndpointId: id, failedRead: nil,
                                                                               reason: "the runbook has no step check_vpc_endpoint_policy to read it")))
                continue
            }
            otherJobs.append(ReadJob(runbook: reads, parameters: ["region": region], facts: ["denial.vpc_endpoint_id": .string(id)], effects: home))
            otherPlans.append(.read(.endpoint(id: id), job: otherJobs.count - 1))
        }
        let reader = self
        let startedJobs = otherJobs
        async let otherSessions = reader.run(startedJobs, progress: progress)

        var plans: [Plan] = []
        var jobs: [ReadJob] = []
        let answered = readsAuthorizationDetails
            ? await AuthorizationDetailsBatch.read(principals: Self.unique(principals), effects: effects, concurrency: concurrency, progress: progress)
            : AuthorizationDetailsBatch.Answered()
        // A principal whose identity reads were answered still reads its organization path and permission set.
        let answeredReads = PolicyReadRunbook.withoutIdentityReads(reads)
        for arn in Self.unique(principals) {
            guard let identity = PrincipalIdentity(arn: arn), [.iamUser, .role, .assumedRole].contains(identity.kind) else {
                plans.append(.note("\(arn): not an IAM user or role ARN; its policies were not read."))
                continue
            }
            guard let reads = effects(identity.accountId) else {
                plans.append(.note("\(arn): no credentials for account \(identity.accountId ?? "?") (give a profile for it); its policies were not read."))
                continue
            }
            var parameters = ["principal": arn, "region": region]
            if let organizationProfile { parameters["org_profile"] = organizationProfile }
            let captured = answered.captures[arn]
            jobs.append(ReadJob(runbook: captured == nil ? self.reads : answeredReads, parameters: parameters, facts: [:], effects: reads))
            plans.append(.read(.principal(arn: arn, account: identity.accountId, answered: captured ?? [:]), job: jobs.count - 1))
        }
        let principalSessions = await run(jobs, progress: progress)
        // One list in the order of before: the principals' plans and jobs, then the others'.
        let offset = jobs.count
        plans += otherPlans.map { plan in
            if case .read(let target, let job) = plan { .read(target, job: job + offset) } else { plan }
        }
        jobs += otherJobs
        let sessions = principalSessions + (await otherSessions)
        // A session shared by several plans (objects of one bucket) is taken in once: it read the same.
        var taken = Set<Int>()

        var parts = SnapshotParts()
        var notes: [String] = answered.notes
        if objectsNotRead > 0 {
            notes.append("The ACLs of \(objectsNotRead) S3 object(s) were not read (one aws process per object; each bucket's settings were read once): "
                         + "where an object's ACL could decide, its verdict says so. `whydenied snapshot --resource arn:aws:s3:::BUCKET/KEY` reads one.")
        }
        var owners: [String] = []
        for plan in plans {
            switch plan {
            case .note(let note):
                notes.append(note)
            case .unreadResource(let unread):
                parts.unread.append(unread)
            case .unreadEndpoint(let unread):
                parts.unreadEndpoints.append(unread)
            case .read(let target, let job):
                guard taken.insert(job).inserted else { continue }
                let session = sessions[job]
                switch target {
                case .principal(let arn, let account, let answered):
                    principal(arn, account: account, session: session, answered: answered, homeAccount: homeAccount, into: &parts, notes: &notes)
                case .resource(let arn, let kind, let target):
                    resource(arn, kind: kind, target: target, session: session, deferred: defersBucketSettings, into: &parts)
                    if let owner = Self.owner(of: arn, session: session), !owners.contains(owner) { owners.append(owner) }
                case .endpoint(let id):
                    let found = CapturedAccount.endpointPolicies(captures: session.engine.captures, facts: session.engine.facts,
                                                                 failedReads: session.failedPolicyReads)
                    parts.endpoints += found.read
                    parts.unreadEndpoints += found.unread
                    if found.read.isEmpty, found.unread.isEmpty {
                        parts.unreadEndpoints.append(SnapshotUnreadEndpointPolicy(vpcEndpointId: id, failedRead: nil, reason: "its policy was not read"))
                    }
                }
            }
        }
        await readResourceAccountControlPolicies(of: owners, homeAccount: homeAccount, effects: effects, into: &parts, progress: progress)
        var snapshot = parts.snapshot(accountId: homeAccount, capturedAt: Self.timestamp(Date()))
        guard defersBucketSettings, let followUp else { return Result(snapshot: snapshot, notes: notes) }

        // The buckets the first snapshot leaves undecided or would place a fix in: read in full.
        let buckets = await followUp(snapshot)
        var fullReads: [(arn: String, kind: ResourcePolicyKind, target: ResourcePolicyTarget, job: ReadJob)] = []
        for bucket in buckets {
            for plan in plans {
                guard case .read(.resource(let arn, let kind, let target), let job) = plan, kind == .s3BucketPolicy, target.id == bucket else { continue }
                var full = jobs[job]
                full.runbook = reads
                fullReads.append((arn, kind, target, full))
                break
            }
        }
        let fullSessions = await run(fullReads.map(\.job), progress: progress)
        for (read, session) in zip(fullReads, fullSessions) {
            parts.s3Buckets.removeAll { $0.bucket == read.target.id }
            resource(read.arn, kind: read.kind, target: read.target, session: session, deferred: false, into: &parts)
        }
        let bucketCount = Set(plans.compactMap { plan -> String? in
            if case .read(.resource(_, .s3BucketPolicy, let target), _) = plan { target.id } else { nil }
        }).count
        notes.append("Block Public Access and tags were read for \(fullReads.count) of \(bucketCount) bucket(s): "
                     + "a batch reads them only for a bucket whose verdict or fix they could change; elsewhere each verdict says it holds whatever the bucket's Block Public Access says.")
        snapshot = parts.snapshot(accountId: homeAccount, capturedAt: snapshot.capturedAt ?? Self.timestamp(Date()))
        return Result(snapshot: snapshot, notes: notes)
    }

    /// The account a resource read belongs to: its ARN's, or for an S3 bucket the account it was read as.
    static func owner(of arn: String, session: GuidedSession) -> String? {
        if let account = ARN(arn)?.account, !account.isEmpty { return account }
        return (session.engine.captures["resource_account"] ?? session.engine.captures["bucket_reader_account"])?.stringValue
    }

    /// The RCPs on the organization path of each account other than the home account that owns a
    /// resource read (step `check_resource_account_rcps`, with the organization reads' credentials):
    /// they restrict requests to its resources from the home account's principals.
    private func readResourceAccountControlPolicies(of owners: [String], homeAccount: String?,
                                                    effects: (_ account: String?) -> (any SessionEffects)?,
                                                    into parts: inout SnapshotParts, progress: @escaping @Sendable (String) -> Void) async {
        guard reads.step("check_resource_account_rcps") != nil, let homeAccount, let home = effects(nil) else { return }
        var parameters = ["region": region]
        if let organizationProfile { parameters["org_profile"] = organizationProfile }
        let jobs = owners.filter { $0 != homeAccount }.map { account in
            ReadJob(runbook: reads, parameters: parameters, facts: ["resource.other_account": .string(account)], effects: home)
        }
        for session in await run(jobs, progress: progress) {
            if let path = CapturedAccount.resourceAccountControlPolicies(
                captures: session.engine.captures, facts: session.engine.facts, parameters: session.engine.parameters,
                failedReads: session.failedPolicyReads, organizationNotInUse: false, readerAccount: nil) {
                parts.resourceAccountControlPolicies.append(path)
            }
        }
    }

    /// One principal's or resource's reads: a headless session of the policy-read runbook.
    struct ReadJob: Sendable {
        var runbook: Runbook
        var parameters: [String: String]
        var facts: [String: JSONValue]
        var effects: any SessionEffects
    }

    private func principal(_ arn: String, account: String?, session: GuidedSession, answered: [String: JSONValue], homeAccount: String?,
                           into parts: inout SnapshotParts, notes: inout [String]) {
        let captures = session.engine.captures.merging(answered) { read, _ in read }
        guard let captured = CapturedAccount.snapshot(captures: captures, facts: session.engine.facts,
                                                      failedReads: session.failedPolicyReads, parameters: session.engine.parameters,
                                                      organizationNotInUse: session.organizationNotInUse,
                                                      // The reads for an account run with that account's verified credentials.
                                                      readerAccount: account) else {
            notes.append("\(arn): its policies were not read.")
            return
        }
        if let failed = Self.failedReads(in: session, step: "check_iam").first {
            // The session names what each failed read leaves unknown (principals[].unreadPolicies);
            // should it name nothing, the whole principal stays out: unknown, never "no policy".
            guard captured.principals.contains(where: { !$0.unreadPolicies.isEmpty }) else {
                notes.append("\(arn): left out of the snapshot, its policies are unknown: \(failed.read) failed: \(failed.reason)")
                return
            }
            notes.append("\(arn): some of its policies could not be read and are recorded as unread: \(failed.read) failed: \(failed.reason)")
        }
        // A snapshot holds one account's SCPs: those of the home account's principals.
        parts.add(principal: captured, home: homeAccount == nil || account == homeAccount)
    }

    /// - Parameter deferred: the bucket's deferred reads were left out (`defersBucketSettings`):
    ///   its Block Public Access is unread, saying why.
    private func resource(_ arn: String, kind: ResourcePolicyKind, target: ResourcePolicyTarget, session: GuidedSession,
                          deferred: Bool, into parts: inout SnapshotParts) {
        let partition = ARN(arn)?.partition ?? "aws"
        let found = CapturedAccount.resourcePolicies(captures: session.engine.captures, facts: session.engine.facts,
                                                    failedReads: session.failedPolicyReads, partition: partition)
        parts.resourcePolicies += found.read
        parts.unread += found.unread
        for owner in CapturedAccount.resourceOwnerFacts(captures: session.engine.captures, facts: session.engine.facts, partition: partition)
        where !parts.ownerFacts.contains(where: { $0.arn == owner.arn }) {
            parts.ownerFacts.append(owner)
        }
        // A bucket's own settings, read beside its policy (the owner account's attempted too).
        var settingReads = session.failedPolicyReads
        if deferred, kind == .s3BucketPolicy {
            let capture = S3BucketControlReads.bucketBlockCapture
            // Not run on purpose: no failed read to name (`S3BucketAccessControls.unread`).
            settingReads[capture] = FailedPolicyRead(read: "", reason: DeferredBucketSettings.reason(bucket: target.id), capture: capture)
        }
        if let controls = S3BucketControlReads.read(captures: session.engine.captures, facts: session.engine.facts,
                                                    failedReads: settingReads),
           !parts.s3Buckets.contains(where: { $0.bucket == controls.bucket }) {
            parts.s3Buckets.append(controls)
        }
        // A read that failed before the policy's own (SQS's get-queue-url) leaves no capture
        // and no failed policy read: still unknown, never "no policy".
        // A bucket's own settings are not its policy: their failed reads are unread settings
        // (`S3BucketControlReads`), never an unread bucket policy.
        if found.read.isEmpty, found.unread.isEmpty,
           let failed = Self.failedReads(in: session, step: "check_resource_policies", ignoring: S3BucketControlReads.settingCaptures).first {
            let stored = kind == .s3BucketPolicy ? "arn:\(partition):s3:::\(target.id)" : arn
            parts.unread.append(SnapshotUnreadPolicy(resourceArn: stored, kind: kind, name: "\(kind.rawValue) of \(target.id)",
                                                     failedRead: failed.read, reason: failed.reason))
        }
    }

    /// Each job's session, in the jobs' order, up to `concurrency` at once.
    private func run(_ jobs: [ReadJob], progress: @escaping @Sendable (String) -> Void) async -> [GuidedSession] {
        let reader = self
        return await BoundedConcurrency.map(jobs, limit: concurrency) { job in
            await reader.run(job.runbook, job.parameters, facts: job.facts, effects: job.effects, progress: progress)
        }
    }

    private func run(_ runbook: Runbook, _ parameters: [String: String], facts: [String: JSONValue] = [:], effects: any SessionEffects,
                     progress: @escaping @Sendable (String) -> Void) async -> GuidedSession {
        var session = GuidedSession(runbook: runbook, parameters: parameters, now: Date(), readOnly: true, facts: facts)
        await session.runHeadless(effects: effects) { line in
            // The cache prints each command as it starts; the session's own command and analysis lines would repeat it.
            if !line.contains("] $ "), !line.contains("] analysis ") { progress(line) }
        }
        return session
    }

    /// The reads of `step` that failed (not those answered by an expected error code such as
    /// `NoSuchBucketPolicy`), and those skipped because an earlier one failed; not those whose
    /// captures are all in `ignoring`.
    static func failedReads(in session: GuidedSession, step: String, ignoring: Set<String> = []) -> [FailedPolicyRead] {
        session.transcript.filter { $0.stepID == step }.compactMap { entry in
            let template = session.engine.runbook.step(step)?.commands.first {
                entry.commandID == "\(step).\($0.id)" || entry.commandID.hasPrefix("\(step).\($0.id)#")
            }
            if let template, !template.captures.isEmpty, template.captures.allSatisfy({ ignoring.contains($0.name) }) { return nil }
            switch entry.result {
            case .ran(let outcome):
                guard !outcome.succeeded else { return nil }
                if let code = AWSErrorCode.find(in: outcome.stderr), template?.answeredBy.contains(code) == true { return nil }
                return FailedPolicyRead(argv: outcome.argv, reason: outcome.failure?.operatorMessage ?? "exit status \(GuidedSession.exitStatus(outcome))")
            case .skipped(let reason), .refused(let reason):
                return FailedPolicyRead(read: entry.commandID, reason: "not run: \(reason)")
            }
        }
    }

    /// The accounts the ARNs name, in order, each once (an S3 ARN names none).
    public static func accounts(of arns: [String]) -> [String] {
        unique(arns.compactMap { ARN($0).flatMap { $0.account.isEmpty ? nil : $0.account } })
    }

    /// `arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`.
    static func bucketArn(of objectArn: String) -> String {
        guard let names = objectArn.range(of: ":::"),
              let slash = objectArn[names.upperBound...].firstIndex(of: "/") else { return objectArn }
        return String(objectArn[..<slash])
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
