import WhyDeniedJSON

/// What one `aws iam get-account-authorization-details` answers: every user, group and role of
/// the account with its inline policies, attached managed policies, groups and permissions
/// boundary, and each customer managed policy with its versions. A batch reads this once per
/// account instead of about five reads per principal (`LiveAccountReader`).
///
/// Policy documents arrive as JSON objects from the CLI (it decodes IAM's policy documents) and as
/// URL-encoded JSON strings from the raw API; both are read. An inline policy whose document cannot
/// be read leaves its user, role or group out (`undecodable`), so that principal is read with its
/// own reads rather than with a policy missing.
///
/// ```swift
/// let details = try AccountAuthorizationDetails(parsing: JSONValue.parse(outcome.stdout))
/// details.roles["DataAnalystRole"]?.attachedPolicyArns   // ["arn:aws:iam::111122223333:policy/AnalystS3ReadOnly"]
/// ```
public struct AccountAuthorizationDetails: Sendable, Equatable {
    /// The read. No AWS managed policies: with them the answer carries every version of every
    /// AWS managed policy in use, and the CLI prints it all; the few a batch needs are read by ARN.
    public static let argv = ["aws", "iam", "get-account-authorization-details", "--filter", "User", "Role", "Group", "LocalManagedPolicy"]

    public struct InlinePolicy: Sendable, Equatable {
        public var name: String
        public var document: JSONValue
    }

    /// A user or a role (`UserDetailList`, `RoleDetailList`).
    public struct Identity: Sendable, Equatable {
        public var name: String
        public var arn: String
        /// `UserId` / `RoleId`.
        public var uniqueId: String?
        public var path: String?
        /// `[{Key, Value}]` as IAM returns them.
        public var tags: JSONValue?
        public var inlinePolicies: [InlinePolicy]
        public var attachedPolicyArns: [String]
        /// A user's groups, by name (`GroupList`); empty for a role.
        public var groupNames: [String]
        public var permissionsBoundaryArn: String?
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var arn: String
        public var inlinePolicies: [InlinePolicy]
        public var attachedPolicyArns: [String]
    }

    /// A customer managed policy (`Policies`), with its default version's document.
    public struct ManagedPolicy: Sendable, Equatable {
        public var arn: String
        public var defaultVersionId: String?
        /// The document of the version marked `IsDefaultVersion`; nil when it is missing or unreadable.
        public var defaultDocument: JSONValue?
    }

    public var users: [String: Identity] = [:]
    public var roles: [String: Identity] = [:]
    public var groups: [String: Group] = [:]
    public var policies: [String: ManagedPolicy] = [:]
    /// Users, roles and groups left out because an inline policy's document could not be read, as `user/NAME`.
    public var undecodable: [String] = []

    public init(parsing output: JSONValue) throws(OutputParsers.ParseError) {
        guard output.objectValue != nil, output["UserDetailList"] != nil || output["RoleDetailList"] != nil else {
            throw OutputParsers.ParseError(parser: "account_authorization_details", reason: "the output has no UserDetailList or RoleDetailList")
        }
        users = identities(output["UserDetailList"], kind: "User")
        roles = identities(output["RoleDetailList"], kind: "Role")
        for group in output["GroupDetailList"]?.arrayValue ?? [] {
            guard let name = group["GroupName"]?.stringValue, let arn = group["Arn"]?.stringValue else { continue }
            guard let inline = Self.inlinePolicies(group["GroupPolicyList"]) else { undecodable.append("group/\(name)"); continue }
            groups[name] = Group(name: name, arn: arn, inlinePolicies: inline, attachedPolicyArns: Self.attachedArns(group))
        }
        for policy in output["Policies"]?.arrayValue ?? [] {
            guard let arn = policy["Arn"]?.stringValue else { continue }
            let defaultVersion = policy["DefaultVersionId"]?.stringValue
            let version = (policy["PolicyVersionList"]?.arrayValue ?? []).first { $0["IsDefaultVersion"]?.boolValue == true }
            // A version list that disagrees with DefaultVersionId is not trusted: get-policy-version reads it.
            let document = version.flatMap { version -> JSONValue? in
                guard defaultVersion == nil || version["VersionId"]?.stringValue == defaultVersion else { return nil }
                return try? PolicyText.document(version["Document"], parser: "account_authorization_details", field: "PolicyVersionList[].Document")
            }
            policies[arn] = ManagedPolicy(arn: arn, defaultVersionId: defaultVersion ?? version?["VersionId"]?.stringValue,
                                          defaultDocument: document)
        }
    }

    /// `UserDetailList` or `RoleDetailList` (`kind`: "User" or "Role", the prefix of their keys:
    /// `UserName`, `UserId`, `UserPolicyList`…); one whose inline policy cannot be read is left
    /// out and named in `undecodable`. A role has no `GroupList`: its group names are empty.
    private mutating func identities(_ list: JSONValue?, kind: String) -> [String: Identity] {
        var read: [String: Identity] = [:]
        for entry in list?.arrayValue ?? [] {
            guard let name = entry["\(kind)Name"]?.stringValue, let arn = entry["Arn"]?.stringValue else { continue }
            guard let inline = Self.inlinePolicies(entry["\(kind)PolicyList"]) else {
                undecodable.append("\(kind.lowercased())/\(name)")
                continue
            }
            read[name] = Identity(name: name, arn: arn, uniqueId: entry["\(kind)Id"]?.stringValue, path: entry["Path"]?.stringValue,
                                  tags: entry["Tags"], inlinePolicies: inline, attachedPolicyArns: Self.attachedArns(entry),
                                  groupNames: (entry["GroupList"]?.arrayValue ?? []).compactMap(\.stringValue),
                                  permissionsBoundaryArn: entry["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue)
        }
        return read
    }

    /// `[{PolicyName, PolicyDocument}]` with each document decoded; nil when one cannot be.
    private static func inlinePolicies(_ list: JSONValue?) -> [InlinePolicy]? {
        var policies: [InlinePolicy] = []
        for entry in list?.arrayValue ?? [] {
            guard let name = entry["PolicyName"]?.stringValue,
                  let document = try? PolicyText.document(entry["PolicyDocument"], parser: "account_authorization_details",
                                                          field: "PolicyDocument") else { return nil }
            policies.append(InlinePolicy(name: name, document: document))
        }
        return policies
    }

    /// `AttachedManagedPolicies[*].PolicyArn`.
    private static func attachedArns(_ entity: JSONValue) -> [String] {
        (entity["AttachedManagedPolicies"]?.arrayValue ?? []).compactMap { $0["PolicyArn"]?.stringValue }
    }
}
