import WhyDeniedJSON

/// Which of a step's backup reads a change replaces. The implement step may read several (the
/// default version a new one supersedes, the old version deleted to make room), so the pick is
/// by what the change touches, never by order alone.
///
/// ```swift
/// ChangeBackup.index(for: ["aws", "iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1"],
///                    among: [ChangeBackup.Candidate(argv: getDefault, output: v3), .init(argv: getV1, output: v1)])   // 1
/// ```
public enum ChangeBackup {
    public struct Candidate: Sendable, Equatable {
        public var argv: [String]
        public var output: JSONValue?

        public init(argv: [String], output: JSONValue?) {
            self.argv = argv
            self.output = output
        }
    }

    /// The read of `step` that backs up what `change` is about to replace: among the step's
    /// successful reads that returned a policy (`Policy`, `PolicyDocument`,
    /// `PolicyVersion.Document`), the one `index(for:among:)` picks. The driver keeps it as the
    /// change's backup; the change dialog shows it as "before".
    public static func read(for change: [String], step: String,
                            in transcript: [TranscriptEntry]) -> (commandID: String, output: JSONValue)? {
        let reads: [(commandID: String, candidate: Candidate)] = transcript.compactMap { entry in
            guard entry.stepID == step, !entry.mutates, case .ran(let outcome) = entry.result, outcome.succeeded,
                  let output = try? JSONValue.parse(outcome.stdout), policy(in: output) != nil else { return nil }
            return (entry.commandID, Candidate(argv: entry.argv, output: output))
        }
        guard let index = index(for: change, among: reads.map(\.candidate)), let output = reads[index].candidate.output else { return nil }
        return (reads[index].commandID, output)
    }

    /// The policy a read returned, as the CLI printed it (a JSON string for a bucket policy,
    /// an object or URL-encoded text for IAM documents; `get-role` holds the trust policy,
    /// `get-inline-policy-for-permission-set` a permission set's inline policy).
    public static func policy(in output: JSONValue) -> JSONValue? {
        output["Policy"] ?? output["PolicyDocument"] ?? output["PolicyVersion"]?["Document"]
            ?? output["Role"]?["AssumeRolePolicyDocument"] ?? output["InlinePolicy"]
    }

    public static func index(for change: [String], among candidates: [Candidate]) -> Int? {
        func value(_ option: String, _ argv: [String]) -> String? { RunbookChange.value(option, in: argv) }
        func reads(_ verb: String, sameAs options: [String]) -> (Candidate) -> Bool {
            { candidate in
                RunbookChange.verb(candidate.argv) == verb && options.allSatisfy { value($0, candidate.argv) == value($0, change) }
            }
        }
        switch RunbookChange.verb(change) {
        case "delete-policy-version":
            return candidates.firstIndex(where: reads("get-policy-version", sameAs: ["--policy-arn", "--version-id"]))
        case "create-policy-version":
            let samePolicy = reads("get-policy-version", sameAs: ["--policy-arn"])
            return candidates.firstIndex { samePolicy($0) && $0.output?["PolicyVersion"]?["IsDefaultVersion"]?.boolValue == true }
                ?? candidates.firstIndex(where: samePolicy)
        case "put-user-policy":
            return candidates.firstIndex(where: reads("get-user-policy", sameAs: ["--user-name", "--policy-name"]))
        case "put-role-policy":
            return candidates.firstIndex(where: reads("get-role-policy", sameAs: ["--role-name", "--policy-name"]))
        case "put-group-policy":
            return candidates.firstIndex(where: reads("get-group-policy", sameAs: ["--group-name", "--policy-name"]))
        case "put-bucket-policy":
            return candidates.firstIndex(where: reads("get-bucket-policy", sameAs: ["--bucket"]))
        case "put-inline-policy-to-permission-set":
            return candidates.firstIndex(where: reads("get-inline-policy-for-permission-set", sameAs: ["--instance-arn", "--permission-set-arn"]))
        case "update-assume-role-policy":
            return candidates.firstIndex(where: reads("get-role", sameAs: ["--role-name"]))
        default:
            return candidates.indices.last
        }
    }
}
