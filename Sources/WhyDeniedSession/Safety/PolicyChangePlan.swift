import Foundation
import WhyDeniedJSON

/// The policy a fix changes, and what is known about its current state (read by the
/// implement step before planning).
///
/// ```swift
/// PolicyChangeTarget.managedPolicy(arn: "arn:aws:iam::111122223333:policy/app",
///                                  versions: versions, attachment: nil)
/// PolicyChangeTarget.inlinePolicy(owner: .role("app-role"), name: "app-inline",
///                                 current: nil, otherInlineDocuments: [])
/// ```
public enum PolicyChangeTarget: Sendable, Hashable {
    /// A new default version of an existing customer managed policy.
    case managedPolicy(arn: String, versions: [ManagedPolicyVersion])
    /// A new customer managed policy, attached to a user, role or group that already has
    /// `attachedCount` managed policies.
    case newManagedPolicy(name: String, accountID: String, partition: String, attachTo: InlinePolicyOwner, attachedCount: Int)
    /// An inline policy put on a user, role or group; `current` is the document under that name,
    /// `otherInlineDocuments` the owner's other inline policies (they share the size limit).
    case inlinePolicy(owner: InlinePolicyOwner, name: String, current: JSONValue?, otherInlineDocuments: [JSONValue])
    /// An S3 bucket policy; `current` is nil when the bucket has none.
    case bucketPolicy(bucket: String, current: JSONValue?)
    /// The trust policy of a role; every role has one, so `current` is what `get-role` read.
    case trustPolicy(role: String, current: JSONValue?)

    public var displayName: String {
        switch self {
        case .managedPolicy(let arn, _): arn
        case .newManagedPolicy(let name, let account, let partition, _, _): "arn:\(partition):iam::\(account):policy/\(name)"
        case .inlinePolicy(let owner, let name, _, _): "inline policy \(name) of \(owner.kindWord) \(owner.name)"
        case .bucketPolicy(let bucket, _): "bucket policy of \(bucket)"
        case .trustPolicy(let role, _): "trust policy of role \(role)"
        }
    }
}

/// One command of a plan: the argv, why it runs, and whether it changes the account.
public struct PlannedCommand: Sendable, Hashable {
    public var why: String
    public var argv: [String]
    public var mutates: Bool

    public init(why: String, argv: [String], mutates: Bool) {
        self.why = why
        self.argv = argv
        self.mutates = mutates
    }
}

/// A document to write under the session folder before anything runs (a backup, or the new
/// policy the apply command reads with `file://`).
public struct PlannedFile: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case backup, newDocument = "new_document" }
    public var kind: Kind
    /// Relative to the session folder, e.g. `backups/app-policy-v3.json`.
    public var relativePath: String
    public var document: JSONValue
}

/// Everything needed to apply a policy fix safely: the quotas checked, the files to write
/// first (backups and the new document), the commands in order, how to undo them, how to verify,
/// and the before/after diff. Built by `PolicyChangePlanner`; nothing here runs anything.
///
/// ```swift
/// let plan = try PolicyChangePlanner(folder: folder).plan(target: target, newDocument: fixed, verification: check)
/// plan.limits.filter(\.isHit)      // e.g. the five-version limit, handled by deleting v1
/// plan.commands.map(\.argv)        // delete-policy-version v1, create-policy-version --set-as-default
/// plan.rollback                    // set-default-policy-version --version-id v5
/// ```
public struct PolicyChangePlan: Sendable, Hashable {
    public var target: PolicyChangeTarget
    public var limits: [LimitFinding]
    public var files: [PlannedFile]
    public var commands: [PlannedCommand]
    public var rollback: [PlannedCommand]
    public var verification: [PlannedCommand]
    public var diff: PolicyDiff
    public var notes: [String]

    /// False when a quota would be hit and the plan cannot take care of it.
    public var canApply: Bool { !limits.contains(where: \.blocksChange) }

    public var backupPaths: [String] { files.filter { $0.kind == .backup }.map(\.relativePath) }

    public static let propagationReminder =
        "IAM changes are eventually consistent: allow a few seconds (sometimes minutes) before retrying the denied request."

    /// Writes the backups and the new document under the session folder (0600 files). Call
    /// this before running any command of the plan.
    @discardableResult
    public func writeFiles(to folder: SessionFolder) throws -> [SessionFolder.SavedFile] {
        try files.map { file in try folder.saveDocument(file.document, relativePath: file.relativePath) }
    }

    /// The journal record of this plan once its commands succeeded.
    public func appliedChange(step: String, summary: String) -> AppliedChange {
        AppliedChange(step: step, summary: summary, target: target.displayName,
                      argv: commands.last?.argv ?? [], backupPaths: backupPaths, rollbackArgv: rollback.map(\.argv))
    }
}

/// What to check after the change: the principal and the request that was denied.
public struct VerificationRequest: Sendable, Hashable {
    public var principalARN: String
    public var actions: [String]
    public var resourceARNs: [String]

    public init(principalARN: String, actions: [String], resourceARNs: [String]) {
        self.principalARN = principalARN
        self.actions = actions
        self.resourceARNs = resourceARNs
    }
}

/// A plan cannot be made: what is missing and how to get it.
public struct PolicyChangePlanningError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

/// Turns "this policy should become this document" into a `PolicyChangePlan`: checks the
/// quotas, picks the version to delete when a managed policy already has five, names the backup
/// files, and writes the argv lists (never shell strings) for applying, undoing and verifying.
///
/// ```swift
/// let planner = PolicyChangePlanner(folder: folder)
/// let plan = try planner.plan(target: .bucketPolicy(bucket: "reports", current: old),
///                             newDocument: new, verification: nil)
/// plan.commands[0].argv  // ["aws", "s3api", "put-bucket-policy", "--bucket", "reports", "--policy", "file:///…/changes/…json"]
/// ```
public struct PolicyChangePlanner: Sendable {
    public var folder: SessionFolder
    /// Extra arguments for every command (e.g. `--endpoint-url`, `--region`, `--profile`).
    public var commonArguments: [String]

    public init(folder: SessionFolder, commonArguments: [String] = []) {
        self.folder = folder
        self.commonArguments = commonArguments
    }

    public func plan(target: PolicyChangeTarget, newDocument: JSONValue, verification: VerificationRequest?,
                     at date: Date = Date()) throws(PolicyChangePlanningError) -> PolicyChangePlan {
        var limits: [LimitFinding] = []
        var files: [PlannedFile] = []
        var commands: [PlannedCommand] = []
        var rollback: [PlannedCommand] = []
        var notes: [String] = []
        let before: JSONValue?
        let size = PolicyQuota.characterCount(of: newDocument)
        // Two changes to the same policy in one session must not share backup files.
        let stamp = String(Int64(date.timeIntervalSince1970 * 1000))

        switch target {
        case .managedPolicy(let arn, let versions):
            let name = PolicyChangePlanner.fileSafe(arn.split(separator: "/").last.map(String.init) ?? "policy")
            guard let current = versions.first(where: \.isDefault) else {
                throw PolicyChangePlanningError(description: "no default version listed for \(arn); run aws iam list-policy-versions --policy-arn \(arn) first")
            }
            guard let currentDocument = current.document else {
                throw PolicyChangePlanningError(description: "the default version \(current.id) of \(arn) has not been read; run aws iam get-policy-version --policy-arn \(arn) --version-id \(current.id) first")
            }
            before = currentDocument
            limits.append(sizeFinding(.managedPolicySize, size, PolicyQuota.managedPolicyCharacters))
            files.append(PlannedFile(kind: .backup, relativePath: "backups/\(name)-\(current.id).json", document: currentDocument))
            if versions.count >= PolicyQuota.versionsPerManagedPolicy {
                guard let oldest = ManagedPolicyVersion.oldestNonDefault(in: versions) else {
                    throw PolicyChangePlanningError(description: "\(arn) has \(versions.count) versions and none that is not the default")
                }
                guard let oldestDocument = oldest.document else {
                    throw PolicyChangePlanningError(description: "version \(oldest.id) of \(arn) must be backed up before it is deleted; run aws iam get-policy-version --policy-arn \(arn) --version-id \(oldest.id) first")
                }
                let backup = "backups/\(name)-\(oldest.id).json"
                files.append(PlannedFile(kind: .backup, relativePath: backup, document: oldestDocument))
                limits.append(LimitFinding(
                    quota: .managedPolicyVersions, used: versions.count + 1, maximum: PolicyQuota.versionsPerManagedPolicy,
                    whatToDo: "delete the oldest non-default version \(oldest.id) (created \(oldest.created)); its document is backed up to \(backup) first",
                    resolvedByPlan: true))
                commands.append(PlannedCommand(
                    why: "Makes room for a new version: a managed policy keeps at most 5. \(oldest.id) is the oldest non-default version.",
                    argv: aws(["iam", "delete-policy-version", "--policy-arn", arn, "--version-id", oldest.id]), mutates: true))
                notes.append("Version \(oldest.id) is deleted for good; its document stays in \(backup).")
            } else {
                limits.append(LimitFinding(quota: .managedPolicyVersions, used: versions.count + 1,
                                           maximum: PolicyQuota.versionsPerManagedPolicy))
            }
            let newPath = "changes/\(name)-\(stamp).json"
            files.append(PlannedFile(kind: .newDocument, relativePath: newPath, document: newDocument))
            commands.append(PlannedCommand(
                why: "Creates the fixed document as a new version and makes it the default; \(current.id) stays as the previous version.",
                argv: aws(["iam", "create-policy-version", "--policy-arn", arn,
                           "--policy-document", fileURL(newPath), "--set-as-default"]), mutates: true))
            rollback.append(PlannedCommand(
                why: "Makes \(current.id) the default again (the new version stays, not in effect).",
                argv: aws(["iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", current.id]), mutates: true))

        case .newManagedPolicy(let policyName, let accountID, let partition, let owner, let attachedCount):
            before = nil
            let arn = "arn:\(partition):iam::\(accountID):policy/\(policyName)"
            limits.append(sizeFinding(.managedPolicySize, size, PolicyQuota.managedPolicyCharacters))
            let maximum = owner.kindWord == "group" ? PolicyQuota.managedPoliciesPerGroup : PolicyQuota.managedPoliciesPerUserOrRole
            limits.append(LimitFinding(
                quota: .attachedManagedPolicies, used: attachedCount + 1, maximum: maximum,
                whatToDo: attachedCount + 1 > maximum
                    ? "put the statement in an existing attached policy or an inline policy instead, or ask for a quota increase (up to 20 for users and roles)"
                    : nil))
            let newPath = "changes/\(PolicyChangePlanner.fileSafe(policyName))-\(stamp).json"
            files.append(PlannedFile(kind: .newDocument, relativePath: newPath, document: newDocument))
            commands.append(PlannedCommand(why: "Creates the least-privilege policy.",
                                           argv: aws(["iam", "create-policy", "--policy-name", policyName,
                                                      "--policy-document", fileURL(newPath)]), mutates: true))
            commands.append(PlannedCommand(why: "Attaches it to the \(owner.kindWord) that was denied.",
                                           argv: aws(["iam", "attach-\(owner.kindWord)-policy", "--\(owner.kindWord)-name", owner.name,
                                                      "--policy-arn", arn]), mutates: true))
            rollback.append(PlannedCommand(why: "Detaches the new policy.",
                                           argv: aws(["iam", "detach-\(owner.kindWord)-policy", "--\(owner.kindWord)-name", owner.name,
                                                      "--policy-arn", arn]), mutates: true))
            rollback.append(PlannedCommand(why: "Deletes the new policy.",
                                           argv: aws(["iam", "delete-policy", "--policy-arn", arn]), mutates: true))

        case .inlinePolicy(let owner, let policyName, let current, let others):
            before = current
            let total = others.reduce(size) { $0 + PolicyQuota.characterCount(of: $1) }
            limits.append(LimitFinding(
                quota: .inlinePolicySize, used: total, maximum: owner.characterLimit,
                whatToDo: total > owner.characterLimit
                    ? "move statements into a customer managed policy (6,144 characters each) and attach it to the \(owner.kindWord) instead"
                    : nil))
            let name = PolicyChangePlanner.fileSafe("\(owner.kindWord)-\(owner.name)-\(policyName)")
            let newPath = "changes/\(name)-\(stamp).json"
            files.append(PlannedFile(kind: .newDocument, relativePath: newPath, document: newDocument))
            let put = ["iam", "put-\(owner.kindWord)-policy", "--\(owner.kindWord)-name", owner.name, "--policy-name", policyName]
            commands.append(PlannedCommand(why: current == nil ? "Adds the inline policy." : "Replaces the inline policy with the fixed document.",
                                           argv: aws(put + ["--policy-document", fileURL(newPath)]), mutates: true))
            if let current {
                let backup = "backups/\(name)-\(stamp).json"
                files.append(PlannedFile(kind: .backup, relativePath: backup, document: current))
                rollback.append(PlannedCommand(why: "Puts back the previous document from the backup.",
                                               argv: aws(put + ["--policy-document", fileURL(backup)]), mutates: true))
            } else {
                rollback.append(PlannedCommand(why: "Removes the inline policy that did not exist before.",
                                               argv: aws(["iam", "delete-\(owner.kindWord)-policy", "--\(owner.kindWord)-name", owner.name,
                                                          "--policy-name", policyName]), mutates: true))
            }

        case .bucketPolicy(let bucket, let current):
            before = current
            limits.append(LimitFinding(
                quota: .bucketPolicySize, used: PolicyQuota.byteCount(of: newDocument), maximum: PolicyQuota.bucketPolicyBytes,
                whatToDo: PolicyQuota.byteCount(of: newDocument) > PolicyQuota.bucketPolicyBytes
                    ? "merge statements (several actions or resources per statement) or grant through identity policies instead"
                    : nil))
            let name = PolicyChangePlanner.fileSafe("bucket-\(bucket)")
            let newPath = "changes/\(name)-\(stamp).json"
            files.append(PlannedFile(kind: .newDocument, relativePath: newPath, document: newDocument))
            commands.append(PlannedCommand(why: "Replaces the bucket policy with the fixed document.",
                                           argv: aws(["s3api", "put-bucket-policy", "--bucket", bucket, "--policy", fileURL(newPath)]),
                                           mutates: true))
            if let current {
                let backup = "backups/\(name)-\(stamp).json"
                files.append(PlannedFile(kind: .backup, relativePath: backup, document: current))
                rollback.append(PlannedCommand(why: "Puts back the previous bucket policy from the backup.",
                                               argv: aws(["s3api", "put-bucket-policy", "--bucket", bucket, "--policy", fileURL(backup)]),
                                               mutates: true))
            } else {
                rollback.append(PlannedCommand(why: "Removes the bucket policy that did not exist before.",
                                               argv: aws(["s3api", "delete-bucket-policy", "--bucket", bucket]), mutates: true))
            }

        case .trustPolicy(let role, let current):
            // A role always has a trust policy; replacing one not read first could not be undone.
            guard let current else {
                throw PolicyChangePlanningError(description: "the trust policy of role \(role) has not been read; run aws iam get-role --role-name \(role) first")
            }
            before = current
            limits.append(LimitFinding(
                quota: .trustPolicySize, used: size, maximum: PolicyQuota.trustPolicyCharacters,
                whatToDo: size > PolicyQuota.trustPolicyCharacters
                    ? "merge statements that share a principal, or ask for a higher role trust policy length quota (up to 4,096)"
                    : nil))
            let name = PolicyChangePlanner.fileSafe("trust-\(role)")
            let newPath = "changes/\(name)-\(stamp).json"
            let backup = "backups/\(name)-\(stamp).json"
            files.append(PlannedFile(kind: .backup, relativePath: backup, document: current))
            files.append(PlannedFile(kind: .newDocument, relativePath: newPath, document: newDocument))
            commands.append(PlannedCommand(why: "Replaces the role's trust policy with the fixed document.",
                                           argv: aws(["iam", "update-assume-role-policy", "--role-name", role,
                                                      "--policy-document", fileURL(newPath)]), mutates: true))
            rollback.append(PlannedCommand(why: "Puts back the previous trust policy from the backup.",
                                           argv: aws(["iam", "update-assume-role-policy", "--role-name", role,
                                                      "--policy-document", fileURL(backup)]), mutates: true))
        }

        var verificationCommands: [PlannedCommand] = []
        if let verification {
            var argv = ["iam", "simulate-principal-policy", "--policy-source-arn", verification.principalARN, "--action-names"]
            argv += verification.actions
            if !verification.resourceARNs.isEmpty { argv += ["--resource-arns"] + verification.resourceARNs }
            verificationCommands.append(PlannedCommand(
                why: "Asks IAM whether the principal's policies now allow the request (resource policies and SCPs are not simulated).",
                argv: aws(argv), mutates: false))
        }
        notes.append(PolicyChangePlan.propagationReminder)

        return PolicyChangePlan(
            target: target, limits: limits, files: files, commands: commands, rollback: rollback,
            verification: verificationCommands,
            diff: PolicyDiff(before: before, after: newDocument, beforeLabel: "current", afterLabel: "proposed"),
            notes: notes)
    }

    private func sizeFinding(_ quota: LimitFinding.Quota, _ used: Int, _ maximum: Int) -> LimitFinding {
        LimitFinding(quota: quota, used: used, maximum: maximum,
                     whatToDo: used > maximum
                        ? "split the statements over two managed policies, or merge statements that share actions or resources"
                        : nil)
    }

    private func aws(_ arguments: [String]) -> [String] { ["aws"] + arguments + commonArguments }

    private func fileURL(_ relativePath: String) -> String { "file://" + folder.resolve(relativePath).path }

    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
