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
        default:
            return candidates.indices.last
        }
    }
}
