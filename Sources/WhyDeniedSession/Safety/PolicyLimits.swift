import WhyDeniedJSON
import WhyDeniedRunbook

/// The IAM and S3 quotas a policy change can run into. Sizes are counted the way IAM counts
/// them: characters, not counting white space. Inline limits are for the sum of all inline
/// policies of one user, role or group.
///
/// ```swift
/// PolicyQuota.characterCount(of: document)            // 312
/// PolicyQuota.inlineRolePolicyCharacters              // 10_240
/// ```
public enum PolicyQuota {
    public static let managedPolicyCharacters = 6_144
    public static let inlineUserPolicyCharacters = 2_048
    public static let inlineRolePolicyCharacters = 10_240
    public static let inlineGroupPolicyCharacters = 5_120
    public static let versionsPerManagedPolicy = 5
    /// Default quota; it can be raised to 20 through Service Quotas.
    public static let managedPoliciesPerUserOrRole = 10
    public static let managedPoliciesPerGroup = 10
    public static let bucketPolicyBytes = 20_480
    /// "Role trust policy length" default quota; it can be raised to 4,096 through Service Quotas.
    public static let trustPolicyCharacters = 2_048

    /// Characters IAM counts: everything except white space.
    public static func characterCount(of document: JSONValue) -> Int {
        document.serialized().unicodeScalars.filter { !$0.properties.isWhitespace }.count
    }

    public static func byteCount(of document: JSONValue) -> Int {
        document.serialized().utf8.count
    }
}

/// Whose inline policy a change touches.
public enum InlinePolicyOwner: Sendable, Hashable {
    case user(String), role(String), group(String)

    public var name: String {
        switch self {
        case .user(let name), .role(let name), .group(let name): name
        }
    }

    public var kindWord: String {
        switch self {
        case .user: "user"
        case .role: "role"
        case .group: "group"
        }
    }

    public var characterLimit: Int {
        switch self {
        case .user: PolicyQuota.inlineUserPolicyCharacters
        case .role: PolicyQuota.inlineRolePolicyCharacters
        case .group: PolicyQuota.inlineGroupPolicyCharacters
        }
    }
}

/// One version of a managed policy as `list-policy-versions` shows it; `document` once read
/// with `get-policy-version` (needed before that version may be deleted).
///
/// ```swift
/// ManagedPolicyVersion(id: "v1", isDefault: false, created: "2026-01-05T10:00:00Z")
/// ```
public struct ManagedPolicyVersion: Sendable, Hashable {
    public var id: String
    public var isDefault: Bool
    /// ISO 8601 `CreateDate` as the CLI prints it; compared as text, which sorts correctly.
    public var created: String
    public var document: JSONValue?

    public init(id: String, isDefault: Bool, created: String, document: JSONValue? = nil) {
        self.id = id
        self.isDefault = isDefault
        self.created = created
        self.document = document
    }

    /// Reads the `Versions` list of `aws iam list-policy-versions` output.
    public static func list(fromListPolicyVersionsOutput output: JSONValue) -> [ManagedPolicyVersion] {
        (output["Versions"]?.arrayValue ?? []).compactMap { item in
            guard let id = item["VersionId"]?.stringValue else { return nil }
            return ManagedPolicyVersion(id: id, isDefault: item["IsDefaultVersion"]?.boolValue ?? false,
                                        created: item["CreateDate"]?.stringValue ?? "",
                                        document: item["Document"].flatMap(CLIPolicyDocument.decode))
        }
    }

    /// The oldest version that is not the default: the one to delete to make room. Ties on
    /// the creation time go to the lower version number.
    public static func oldestNonDefault(in versions: [ManagedPolicyVersion]) -> ManagedPolicyVersion? {
        versions.filter { !$0.isDefault }.min { lhs, rhs in
            if lhs.created != rhs.created { return lhs.created < rhs.created }
            return versionNumber(lhs.id) < versionNumber(rhs.id)
        }
    }

    static func versionNumber(_ id: String) -> Int { Int(id.drop(while: { !$0.isNumber })) ?? Int.max }
}

/// A quota a planned change was checked against: how much is used after the change, the
/// maximum, and, when it would be hit, what to do about it.
///
/// ```swift
/// let finding = LimitFinding(quota: .managedPolicyVersions, used: 5, maximum: 5,
///                            whatToDo: "delete the oldest non-default version v1 (backed up first)")
/// finding.isHit  // true
/// ```
public struct LimitFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Quota: String, Sendable, Hashable {
        case managedPolicySize = "managed_policy_size"
        case inlinePolicySize = "inline_policy_size"
        case bucketPolicySize = "bucket_policy_size"
        case managedPolicyVersions = "managed_policy_versions"
        case attachedManagedPolicies = "attached_managed_policies"
        case trustPolicySize = "trust_policy_size"
    }

    public var quota: Quota
    public var used: Int
    public var maximum: Int
    public var whatToDo: String?
    /// True when the plan already includes the remedy (deleting a version), so the change can go on.
    public var resolvedByPlan: Bool

    public init(quota: Quota, used: Int, maximum: Int, whatToDo: String? = nil, resolvedByPlan: Bool = false) {
        self.quota = quota
        self.used = used
        self.maximum = maximum
        self.whatToDo = whatToDo
        self.resolvedByPlan = resolvedByPlan
    }

    public var isHit: Bool { used > maximum }
    /// Hit and not taken care of by the plan: the change cannot be applied as planned.
    public var blocksChange: Bool { isHit && !resolvedByPlan }

    public var description: String {
        let name: String
        switch quota {
        case .managedPolicySize: name = "managed policy size (characters without white space)"
        case .inlinePolicySize: name = "inline policies size (all inline policies together, without white space)"
        case .bucketPolicySize: name = "bucket policy size (bytes)"
        case .managedPolicyVersions: name = "versions of this managed policy"
        case .attachedManagedPolicies: name = "managed policies attached"
        case .trustPolicySize: name = "role trust policy size (characters without white space)"
        }
        let status = isHit ? (resolvedByPlan ? "limit reached, handled by the plan" : "LIMIT HIT") : "ok"
        return "\(name): \(used) of \(maximum) — \(status)" + (whatToDo.map { "; \($0)" } ?? "")
    }
}
