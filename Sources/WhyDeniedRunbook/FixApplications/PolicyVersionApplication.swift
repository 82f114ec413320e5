/// `new_policy_version`: the fixed document as a managed policy's new default version (a
/// permissions boundary, its old statements kept). A policy already at IAM's five versions first
/// loses its oldest non-default one, backed up. Undone by making the old version the default
/// again and deleting the new one; a deleted version comes back as a new version with its document.
///
/// ```swift
/// PolicyVersionApplication().applied("create_policy_version", context)?.rollback
/// // [[… "set-default-policy-version" … "v2"], [… "delete-policy-version" … "v6"]]
/// ```
public struct PolicyVersionApplication: FixApplication {
    public init() {}

    public var kind: String { "new_policy_version" }

    public var commands: [FixCommand] {
        [
            FixCommand("backup_policy_version", why: "Saves the current default version before a new one replaces it.", phase: .backup,
                       argv: ["aws", "iam", "get-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}",
                              "--version-id", "{{facts.fix.current_version}}"]).with { $0.backup = true },
            FixCommand("policy_versions",
                       why: "A managed policy keeps at most five versions; the oldest non-default must go first if full.", phase: .backup,
                       argv: ["aws", "iam", "list-policy-versions", "--policy-arn", "{{facts.fix.policy_arn}}"]).with {
                $0.parser = "policy_version_to_delete"
                $0.captures = [.select("policy_version_ids", "Versions[*].VersionId", type: "list"),
                               .parser("version_to_delete", type: "string")]
            },
            FixCommand("backup_version_to_delete",
                       why: "Saves the oldest non-default version, which must be deleted to make room for the new one.", phase: .backup,
                       argv: ["aws", "iam", "get-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}",
                              "--version-id", "{{captures.version_to_delete}}"]).with {
                $0.needsCaptures = ["version_to_delete"]
                $0.backup = true
            },
            FixCommand("delete_policy_version",
                       why: "Deletes the oldest non-default version (5 is IAM's maximum); its document was just backed up.", phase: .change,
                       argv: ["aws", "iam", "delete-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}",
                              "--version-id", "{{captures.version_to_delete}}"]).with {
                $0.needsCaptures = ["version_to_delete"]
                $0.mutates = true
            },
            FixCommand("create_policy_version", why: "Adds the fixed document as the managed policy's new default version.", phase: .change,
                       argv: ["aws", "iam", "create-policy-version", "--policy-arn", "{{facts.fix.policy_arn}}",
                              "--policy-document", "{{facts.fix.policy_document}}", "--set-as-default"]).with {
                $0.mutates = true
                $0.preconditions = ["policy_size_within_limit", "policy_versions_below_limit"]
            },
            .verifyIdentityFix,
        ]
    }

    public func proposedTarget(_ context: FixContext) -> String {
        "new default version of \(context.facts["fix.policy_arn"]?.stringValue ?? context.fact("fix.policy_name"))"
    }

    public func applied(_ commandID: String, _ context: FixContext) -> FixChange? {
        let arn = context.fact("fix.policy_arn")
        switch commandID {
        case "delete_policy_version":
            let version = context.capture("version_to_delete") ?? "?"
            // IAM cannot restore a version id: the undo re-creates its document as a new version.
            let rollback = context.backup?["PolicyVersion"]?["Document"].flatMap(CLIPolicyDocument.decode).map {
                [["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", $0.serialized()]]
            }
            return FixChange(target: "version \(version) of managed policy \(arn) (deleted)", rollback: rollback ?? [])
        case "create_policy_version":
            var rollback: [[String]] = []
            if let previous = context.backup?["PolicyVersion"]?["VersionId"]?.stringValue {
                rollback.append(["aws", "iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", previous])
            }
            if let created = context.output?["PolicyVersion"]?["VersionId"]?.stringValue {
                rollback.append(["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", created])
            }
            return FixChange(target: "managed policy \(arn)", rollback: rollback, writes: .managedPolicy(arn: arn))
        default:
            return nil
        }
    }
}
