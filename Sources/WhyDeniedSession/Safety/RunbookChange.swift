import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook

/// The safety around one change the runbook's implement step proposes: its named preconditions
/// checked against IAM's limits before it runs, and, once it ran, the record of what changed with
/// the backup and the commands that undo it (from the fix's `FixApplication`, never the argv
/// read back). Pure: argv, outputs and documents in, findings and
/// `AppliedChange` out.
///
/// ```swift
/// let findings = RunbookChange.limitFindings(for: command, policyVersions: listOutput)
/// if findings.contains(where: \.blocksChange) { /* say what to do, do not run */ }
/// let (change, _) = RunbookChange.applied(command, outcome: outcome, facts: session.engine.facts,
///                                         captures: session.engine.captures, backup: nil, backupPath: nil)
/// change.rollbackArgv   // [["aws", "iam", "delete-user-policy", …]], from the fix's `FixApplication`
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

    /// The policy a change wrote, as the offline re-check replaces it.
    /// - Parameter principal: the denied request's caller; a permission set's inline policy lands
    ///   on its role (`AWSReservedSSO_…`) as `AwsSSOInlinePolicy`, which the fix does not name.
    public static func target(of written: WrittenPolicy, principal: RequestPrincipal? = nil) -> PolicyChangeTarget? {
        switch written {
        case .callerRoleInlinePolicy(let name):
            guard let role = principal?.roleArn?.split(separator: "/").last.map(String.init), role.hasPrefix("AWSReservedSSO_") else { return nil }
            return .inlinePolicy(owner: .role(role), name: name, current: nil, otherInlineDocuments: [])
        case .inlinePolicy(let kind, let owner, let name):
            let owner: InlinePolicyOwner = switch kind {
            case .user: .user(owner)
            case .role: .role(owner)
            case .group: .group(owner)
            }
            return .inlinePolicy(owner: owner, name: name, current: nil, otherInlineDocuments: [])
        case .bucketPolicy(let bucket):
            return .bucketPolicy(bucket: bucket, current: nil)
        case .trustPolicy(let role):
            return .trustPolicy(role: role, current: nil)
        case .managedPolicy(let arn):
            return .managedPolicy(arn: arn, versions: [])
        }
    }

    /// The denied request evaluated again, offline, with the changed document in place: the
    /// first check after a change, before IAM's own simulation and a real retry. Nil for a
    /// change that writes no fix document (an attachment, a deletion, provisioning).
    public static func verification(of written: WrittenPolicy?, document: JSONValue?, analysis: EventAnalysis?) -> String? {
        guard let written, let document, let deciding = analysis?.deciding,
              let target = target(of: written, principal: deciding.request.principal) else { return nil }
        do {
            let result = try ChangeVerification.evaluate(deciding.request, policies: deciding.policies,
                                                         replacing: target, with: document)
            switch result.decision {
            case .allowed: return "Re-evaluated offline with the new document: the denied request is now allowed."
            case .undecided:
                // Unknown policies and unknown context keys alike leave it open: name each.
                let unknowns = result.unreadPolicies.map(\.description) + result.missingContextKeys.map { "context key \($0)" }
                return "Re-evaluated offline with the new document: undecided, it depends on "
                    + (unknowns.isEmpty ? result.deciding.summary : unknowns.joined(separator: "; ")) + "."
            case .explicitDeny, .implicitDeny:
                return "Re-evaluated offline with the new document: still denied — " + result.deciding.summary
            }
        } catch {
            return "The new document could not be evaluated: \(error)"
        }
    }

    /// What a change that ran did, how to undo it, and the policy it wrote, from the fix
    /// application the facts name (`fix.kind`). `backup` is the output of the step's backup read
    /// (nil when there was nothing to back up: the undo then deletes what was added). A change
    /// no fix application knows (a runbook's own, like Athena's table) is recorded without an undo.
    public static func applied(_ command: ProposedCommand, outcome: CommandOutcome, facts: [String: JSONValue],
                               captures: [String: JSONValue], backup: JSONValue?, backupPath: String?) -> (change: AppliedChange, writes: WrittenPolicy?) {
        applied(commandID: command.commandID, step: command.stepID, argv: command.argv, output: outcome.stdout,
                facts: facts, captures: captures, backup: backup, backupPath: backupPath)
    }

    /// - Parameter argv: what ran, kept in the record as it is (the target and undo come from the fix).
    public static func applied(commandID: String, step: String, argv: [String], output: String, facts: [String: JSONValue],
                               captures: [String: JSONValue] = [:], backup: JSONValue?,
                               backupPath: String?) -> (change: AppliedChange, writes: WrittenPolicy?) {
        let context = FixContext(facts: facts, captures: captures, output: try? JSONValue.parse(output), backup: backup)
        let fixed = FixApplications.application(for: facts)?.applied(commandID, context)
        let change = AppliedChange(step: step, summary: "\(verb(argv)) (\(commandID))", target: fixed?.target ?? verb(argv), argv: argv,
                                   backupPaths: backupPath.map { [$0] } ?? [], rollbackArgv: fixed?.rollback ?? [])
        return (change, fixed?.writes)
    }
}
