import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook

/// The safety around one change the runbook's implement step proposes: its named preconditions
/// checked against IAM's limits before it runs, and, once it ran, the record of what changed with
/// the backup and the commands that undo it. Pure: argv, outputs and documents in, findings and
/// `AppliedChange` out.
///
/// ```swift
/// let findings = RunbookChange.limitFindings(for: command, policyVersions: listOutput)
/// if findings.contains(where: \.blocksChange) { /* say what to do, do not run */ }
/// let change = RunbookChange.applied(command, outcome: outcome, backup: oldDocument, backupPath: "backups/put_user_policy.json")
/// change.rollbackArgv   // [["aws", "iam", "delete-user-policy", …]]
/// ```
public enum RunbookChange {
    /// The value after `option` in an argv (`--policy-document`, `--user-name` …).
    public static func value(_ option: String, in argv: [String]) -> String? {
        guard let index = argv.firstIndex(of: option), argv.indices.contains(index + 1) else { return nil }
        return argv[index + 1]
    }

    /// The operation of an `aws <service> <operation>` argv (`put-user-policy`).
    public static func verb(_ argv: [String]) -> String { argv.count > 2 ? argv[2] : "" }

    /// Checks `policy_size_within_limit`, `policy_versions_below_limit`,
    /// `bucket_policy_size_within_limit` and `trust_policy_size_within_limit` (the names the runbook uses). `policyVersions` is the
    /// step's `list-policy-versions` output, when it ran.
    public static func limitFindings(for command: ProposedCommand, policyVersions: JSONValue? = nil) -> [LimitFinding] {
        limitFindings(argv: command.argv, preconditions: command.preconditions, policyVersions: policyVersions)
    }

    public static func limitFindings(argv: [String], preconditions: [String], policyVersions: JSONValue? = nil) -> [LimitFinding] {
        var findings: [LimitFinding] = []
        let document = (value("--policy-document", in: argv) ?? value("--policy", in: argv) ?? value("--inline-policy", in: argv))
            .flatMap { try? JSONValue.parse($0) }
        for precondition in preconditions {
            switch precondition {
            case "policy_size_within_limit":
                guard let document else { continue }
                let used = PolicyQuota.characterCount(of: document)
                let verb = verb(argv)
                let (quota, maximum): (LimitFinding.Quota, Int) = switch verb {
                case "put-user-policy": (.inlinePolicySize, PolicyQuota.inlineUserPolicyCharacters)
                // A permission set's inline policy is provisioned as each role's inline policy.
                case "put-role-policy", "put-inline-policy-to-permission-set": (.inlinePolicySize, PolicyQuota.inlineRolePolicyCharacters)
                case "put-group-policy": (.inlinePolicySize, PolicyQuota.inlineGroupPolicyCharacters)
                default: (.managedPolicySize, PolicyQuota.managedPolicyCharacters)
                }
                findings.append(LimitFinding(quota: quota, used: used, maximum: maximum,
                                             whatToDo: used > maximum ? "split the statements into a customer managed policy, or narrow the actions and resources" : nil))
            case "bucket_policy_size_within_limit":
                guard let document else { continue }
                let used = PolicyQuota.byteCount(of: document)
                findings.append(LimitFinding(quota: .bucketPolicySize, used: used, maximum: PolicyQuota.bucketPolicyBytes,
                                             whatToDo: used > PolicyQuota.bucketPolicyBytes ? "merge statements or move grants into identity policies" : nil))
            case "trust_policy_size_within_limit":
                guard let document else { continue }
                let used = PolicyQuota.characterCount(of: document)
                findings.append(LimitFinding(quota: .trustPolicySize, used: used, maximum: PolicyQuota.trustPolicyCharacters,
                                             whatToDo: used > PolicyQuota.trustPolicyCharacters
                                                ? "merge statements that share a principal, or ask for a higher role trust policy length quota (up to 4,096)" : nil))
            case "policy_versions_below_limit":
                guard let policyVersions else { continue }
                let versions = ManagedPolicyVersion.list(fromListPolicyVersionsOutput: policyVersions)
                // Creating a version needs a free slot: five versions already means one must go.
                let used = versions.count + 1
                var whatToDo: String?
                if used > PolicyQuota.versionsPerManagedPolicy {
                    let arn = value("--policy-arn", in: argv) ?? "POLICY_ARN"
                    if let oldest = ManagedPolicyVersion.oldestNonDefault(in: versions) {
                        whatToDo = "back up and delete the oldest non-default version \(oldest.id) first: "
                            + "aws iam get-policy-version --policy-arn \(arn) --version-id \(oldest.id), then "
                            + "aws iam delete-policy-version --policy-arn \(arn) --version-id \(oldest.id)"
                    } else {
                        whatToDo = "every version is the default one; delete a version by hand first"
                    }
                }
                findings.append(LimitFinding(quota: .managedPolicyVersions, used: used,
                                             maximum: PolicyQuota.versionsPerManagedPolicy, whatToDo: whatToDo))
            default:
                continue
            }
        }
        return findings
    }

    /// `list-policy-versions` output as it stands after a change ran: a deleted version is gone
    /// (so the five-version check on the next change counts what is really there).
    public static func policyVersions(_ listOutput: JSONValue, after argv: [String]) -> JSONValue {
        guard verb(argv) == "delete-policy-version", let deleted = value("--version-id", in: argv),
              case .object(var object) = listOutput, let versions = listOutput["Versions"]?.arrayValue else { return listOutput }
        object["Versions"] = .array(versions.filter { $0["VersionId"]?.stringValue != deleted })
        return .object(object)
    }

    /// The step's `list-policy-versions` answer as it stands now: the last one read, less the
    /// versions later changes of the step deleted. Nil when the step has not listed them.
    public static func policyVersions(step: String, in transcript: [TranscriptEntry]) -> JSONValue? {
        var versions: JSONValue?
        for entry in transcript where entry.stepID == step {
            guard case .ran(let outcome) = entry.result, outcome.succeeded else { continue }
            if verb(entry.argv) == "list-policy-versions" {
                versions = try? JSONValue.parse(outcome.stdout)
            } else if entry.mutates, let listed = versions {
                versions = policyVersions(listed, after: entry.argv)
            }
        }
        return versions
    }

    /// The name Identity Center gives a permission set's inline policy on each role it provisions.
    public static let provisionedInlinePolicyName = "AwsSSOInlinePolicy"

    /// The policy a change writes and its new document, read off the command's argv.
    /// - Parameter principal: the denied request's caller; a permission set's inline policy lands
    ///   on its role (`AWSReservedSSO_…`) as `AwsSSOInlinePolicy`, which the argv does not name.
    public static func target(of argv: [String], principal: RequestPrincipal? = nil) -> (target: PolicyChangeTarget, document: JSONValue)? {
        guard let text = value("--policy-document", in: argv) ?? value("--policy", in: argv) ?? value("--inline-policy", in: argv),
              let document = try? JSONValue.parse(text) else { return nil }
        switch verb(argv) {
        case "put-inline-policy-to-permission-set":
            guard let role = principal?.roleArn?.split(separator: "/").last.map(String.init), role.hasPrefix("AWSReservedSSO_") else { return nil }
            return (.inlinePolicy(owner: .role(role), name: provisionedInlinePolicyName, current: nil, otherInlineDocuments: []), document)
        case "put-user-policy", "put-role-policy", "put-group-policy":
            guard let name = value("--policy-name", in: argv) else { return nil }
            let owner: InlinePolicyOwner
            if let user = value("--user-name", in: argv) { owner = .user(user) }
            else if let role = value("--role-name", in: argv) { owner = .role(role) }
            else if let group = value("--group-name", in: argv) { owner = .group(group) }
            else { return nil }
            return (.inlinePolicy(owner: owner, name: name, current: nil, otherInlineDocuments: []), document)
        case "put-bucket-policy":
            guard let bucket = value("--bucket", in: argv) else { return nil }
            return (.bucketPolicy(bucket: bucket, current: nil), document)
        case "update-assume-role-policy":
            guard let role = value("--role-name", in: argv) else { return nil }
            return (.trustPolicy(role: role, current: nil), document)
        case "create-policy-version":
            guard let arn = value("--policy-arn", in: argv) else { return nil }
            return (.managedPolicy(arn: arn, versions: []), document)
        default:
            return nil
        }
    }

    /// The denied request evaluated again, offline, with the changed document in place: the
    /// first check after a change, before IAM's own simulation and a real retry.
    public static func verification(of argv: [String], analysis: EventAnalysis?) -> String? {
        guard let deciding = analysis?.deciding, let (target, document) = target(of: argv, principal: deciding.request.principal) else { return nil }
        do {
            let result = try ChangeVerification.evaluate(deciding.request, policies: deciding.policies,
                                                         replacing: target, with: document)
            switch result.decision {
            case .allowed: return "Re-evaluated offline with the new document: the denied request is now allowed."
            case .undecided:
                return "Re-evaluated offline with the new document: undecided, it depends on "
                    + result.missingContextKeys.joined(separator: ", ") + "."
            case .explicitDeny, .implicitDeny:
                return "Re-evaluated offline with the new document: still denied — " + result.deciding.summary
            }
        } catch {
            return "The new document could not be evaluated: \(error)"
        }
    }

    /// What a change that ran did, and how to undo it. `backup` is the output of the step's
    /// backup read (nil when there was nothing to back up: the undo then deletes what was added).
    public static func applied(_ command: ProposedCommand, outcome: CommandOutcome, backup: JSONValue?,
                               backupPath: String?) -> AppliedChange {
        applied(argv: command.argv, step: command.stepID, commandID: command.commandID, output: outcome.stdout,
                backup: backup, backupPath: backupPath)
    }

    public static func applied(argv: [String], step: String, commandID: String, output: String, backup: JSONValue?,
                               backupPath: String?) -> AppliedChange {
        let verb = verb(argv)
        var target = verb
        var rollback: [[String]] = []
        switch verb {
        case "put-user-policy", "put-role-policy", "put-group-policy":
            let (option, kind) = verb == "put-user-policy" ? ("--user-name", "user")
                : verb == "put-role-policy" ? ("--role-name", "role") : ("--group-name", "group")
            let owner = value(option, in: argv) ?? "?"
            let name = value("--policy-name", in: argv) ?? "?"
            target = "inline policy \(name) of \(kind) \(owner)"
            if let old = backup?["PolicyDocument"].flatMap(PolicyDocumentText.decode) {
                rollback = [["aws", "iam", verb, option, owner, "--policy-name", name, "--policy-document", old.serialized()]]
            } else {
                rollback = [["aws", "iam", "delete-\(kind)-policy", option, owner, "--policy-name", name]]
            }
        case "put-bucket-policy":
            let bucket = value("--bucket", in: argv) ?? "?"
            target = "bucket policy of \(bucket)"
            if let old = backup?["Policy"]?.stringValue {
                rollback = [["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", old]]
            } else {
                rollback = [["aws", "s3api", "delete-bucket-policy", "--bucket", bucket]]
            }
        case "update-assume-role-policy":
            let role = value("--role-name", in: argv) ?? "?"
            target = "trust policy of role \(role)"
            // A role always has a trust policy: the undo writes the backed-up one back.
            if let old = backup?["Role"]?["AssumeRolePolicyDocument"].flatMap(PolicyDocumentText.decode) {
                rollback = [["aws", "iam", "update-assume-role-policy", "--role-name", role, "--policy-document", old.serialized()]]
            }
        case "create-policy-version":
            let arn = value("--policy-arn", in: argv) ?? "?"
            target = "managed policy \(arn)"
            let created = (try? JSONValue.parse(output))?["PolicyVersion"]?["VersionId"]?.stringValue
            if let previous = backup?["PolicyVersion"]?["VersionId"]?.stringValue {
                rollback.append(["aws", "iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", previous])
            }
            if let created {
                rollback.append(["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", created])
            }
        case "delete-policy-version":
            let arn = value("--policy-arn", in: argv) ?? "?"
            let version = value("--version-id", in: argv) ?? "?"
            target = "version \(version) of managed policy \(arn) (deleted)"
            // IAM cannot restore a version id: the undo re-creates its document as a new version.
            if let old = backup?["PolicyVersion"]?["Document"].flatMap(PolicyDocumentText.decode) {
                rollback = [["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", old.serialized()]]
            }
        case "put-inline-policy-to-permission-set":
            let (instance, set) = (value("--instance-arn", in: argv) ?? "?", value("--permission-set-arn", in: argv) ?? "?")
            target = "inline policy of permission set \(set)"
            let provision = ["aws", "sso-admin", "provision-permission-set", "--instance-arn", instance,
                             "--permission-set-arn", set, "--target-type", "ALL_PROVISIONED_ACCOUNTS"]
            // get-inline-policy-for-permission-set answers "" (or nothing) when there was none.
            if let old = backup?["InlinePolicy"]?.stringValue, !old.isEmpty {
                rollback = [["aws", "sso-admin", "put-inline-policy-to-permission-set", "--instance-arn", instance,
                             "--permission-set-arn", set, "--inline-policy", old], provision]
            } else {
                rollback = [["aws", "sso-admin", "delete-inline-policy-from-permission-set", "--instance-arn", instance,
                             "--permission-set-arn", set], provision]
            }
        case "provision-permission-set":
            // Undone with the inline policy it provisioned: that rollback provisions again.
            target = "accounts of permission set \(value("--permission-set-arn", in: argv) ?? "?")"
        case "create-policy":
            let created = (try? JSONValue.parse(output))?["Policy"]?["Arn"]?.stringValue
            target = "managed policy \(created ?? value("--policy-name", in: argv) ?? "?")"
            if let created { rollback = [["aws", "iam", "delete-policy", "--policy-arn", created]] }
        case "attach-user-policy", "attach-role-policy", "attach-group-policy":
            let kind = String(verb.dropFirst("attach-".count).dropLast("-policy".count))
            let option = "--\(kind)-name"
            let owner = value(option, in: argv) ?? "?"
            let arn = value("--policy-arn", in: argv) ?? "?"
            target = "\(kind) \(owner)"
            rollback = [["aws", "iam", "detach-\(kind)-policy", option, owner, "--policy-arn", arn]]
        default:
            break
        }
        return AppliedChange(step: step, summary: "\(verb) (\(commandID))", target: target, argv: argv,
                             backupPaths: backupPath.map { [$0] } ?? [], rollbackArgv: rollback)
    }
}
