import WhyDeniedJSON

/// Who owns the place a fix would change, and so where the change belongs. A change made beside
/// its owner is undone or refused: Identity Center rewrites its roles from the permission set,
/// the next stack or Terraform deployment puts its policies back, service-linked roles and AWS
/// managed policies cannot be edited at all.
///
/// ```swift
/// FixTargetOwner.classify(FixTargetFacts(arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataAnalyst_0123456789abcdef"))
/// // .identityCenter(permissionSet: "DataAnalyst")
/// ```
public enum FixTargetOwner: Sendable, Hashable, Codable {
    /// A role IAM Identity Center made from a permission set.
    case identityCenter(permissionSet: String)
    /// A resource a CloudFormation stack created (CDK and SAM stacks included).
    case cloudFormation(stack: String, logicalId: String?)
    /// Tagged as managed by code: `tool` when the tag names it (terraform, pulumi, …), else nil.
    case infrastructureAsCode(tool: String?, evidence: String)
    /// A service-linked role: its policies belong to the service.
    case serviceLinked(service: String)
    /// A policy AWS maintains (`arn:aws:iam::aws:policy/…`).
    case awsManaged
    /// Nothing says anyone else owns it.
    case direct

    /// Short name for tables and JSON (`identity-center`, `cloudformation`, …).
    public var kind: String {
        switch self {
        case .identityCenter: "identity-center"
        case .cloudFormation: "cloudformation"
        case .infrastructureAsCode: "infrastructure-as-code"
        case .serviceLinked: "service-linked"
        case .awsManaged: "aws-managed"
        case .direct: "direct"
        }
    }

    /// Whether applying the fix in place sticks.
    public var changeSticksInPlace: Bool { self == .direct }

    /// One sentence: who owns it and where the change belongs.
    public var whereTheChangeBelongs: String {
        switch self {
        case .identityCenter(let set):
            "Owned by IAM Identity Center (permission set \(set)): change the permission set and provision it; a direct edit of the role is overwritten at the next provisioning."
        case .cloudFormation(let stack, let logicalId):
            "Owned by CloudFormation stack \(stack)\(logicalId.map { " (resource \($0))" } ?? ""): change the template and deploy it; a direct edit is drift the next stack update reverts."
        case .infrastructureAsCode(let tool, let evidence):
            "Managed as code\(tool.map { " by \($0)" } ?? "") (\(evidence)): change the code and apply it; a direct edit is reverted by the next apply."
        case .serviceLinked(let service):
            "A service-linked role of \(service): its policies are AWS's and cannot be edited; change the caller's or the resource's side instead."
        case .awsManaged:
            "An AWS managed policy: it cannot be changed; attach a customer managed or inline policy instead."
        case .direct:
            "Managed directly (no Identity Center path, stack or code tags seen): the change can be applied in place."
        }
    }

    /// Why the session does not apply the fix to the target itself, or nil when it may (the
    /// owner is direct). A change the owner reverts or refuses is never offered as a direct apply.
    public var directApplyWithheld: String? {
        switch self {
        case .direct:
            nil
        case .identityCenter(let set):
            "Not applied to the role: IAM Identity Center rewrites it from permission set \(set) at the next provisioning. The change goes to the permission set instead (the report carries it as Terraform and CloudFormation too)."
        case .cloudFormation(let stack, _):
            "Not applied directly: the next deployment of CloudFormation stack \(stack) reverts a change made beside it. Change the template (the report carries the change as CloudFormation and Terraform)."
        case .infrastructureAsCode(let tool, _):
            "Not applied directly: the next \(tool.map { "\($0) " } ?? "")apply of the code that manages it reverts a change made beside it. Change the code (the report carries the change as Terraform and CloudFormation)."
        case .serviceLinked(let service):
            "Never applied: a service-linked role of \(service) cannot be edited; its policies are AWS's. Grant on the caller's or the resource's side instead."
        case .awsManaged:
            "Never applied: an AWS managed policy cannot be changed. Attach a customer managed or inline policy instead."
        }
    }

    public static func classify(_ facts: FixTargetFacts) -> FixTargetOwner {
        let name = facts.arn.split(separator: "/").last.map(String.init) ?? facts.arn
        let path = facts.path ?? pathInArn(facts.arn)
        if facts.arn.hasPrefix("arn:") && facts.arn.contains(":iam::aws:policy/") { return .awsManaged }
        if path.hasPrefix("/aws-reserved/sso.amazonaws.com/") || name.hasPrefix("AWSReservedSSO_") {
            return .identityCenter(permissionSet: permissionSetName(roleName: name))
        }
        if path.hasPrefix("/aws-service-role/") {
            let service = path.split(separator: "/").dropFirst().first.map(String.init) ?? "an AWS service"
            return .serviceLinked(service: service)
        }
        let tags = facts.tags
        if let stack = tags.first(where: { $0.key == "aws:cloudformation:stack-name" })?.value {
            return .cloudFormation(stack: stack, logicalId: tags.first(where: { $0.key == "aws:cloudformation:logical-id" })?.value)
        }
        if let codeTag = infrastructureAsCodeTag(tags) { return codeTag }
        return .direct
    }

    /// The permission set an Identity Center role was made from, by its name
    /// (`AWSReservedSSO_DataAnalyst_0123456789abcdef` → `DataAnalyst`); nil for any other role.
    public static func identityCenterPermissionSet(roleName: String) -> String? {
        roleName.hasPrefix("AWSReservedSSO_") ? permissionSetName(roleName: roleName) : nil
    }

    /// `AWSReservedSSO_<PermissionSetName>_<16 hex>`: the name without the prefix and the suffix.
    static func permissionSetName(roleName: String) -> String {
        var rest = roleName.hasPrefix("AWSReservedSSO_") ? String(roleName.dropFirst("AWSReservedSSO_".count)) : roleName
        if let underscore = rest.lastIndex(of: "_") {
            let suffix = rest[rest.index(after: underscore)...]
            if suffix.count == 16, suffix.allSatisfy(\.isHexDigit) { rest = String(rest[..<underscore]) }
        }
        return rest
    }

    /// The IAM path in a role, user or policy ARN: `arn:aws:iam::1:role/a/b/Name` → `/a/b/`.
    static func pathInArn(_ arn: String) -> String {
        guard let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last else { return "/" }
        let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 2 else { return "/" }
        return "/" + parts.dropFirst().dropLast().joined(separator: "/") + "/"
    }

    /// Tags the common code tools leave (keys compared without case and separators).
    static func infrastructureAsCodeTag(_ tags: [FixTargetFacts.Tag]) -> FixTargetOwner? {
        let tools = ["terraform", "opentofu", "pulumi", "cdk", "crossplane", "ansible", "cloudformation"]
        func normalized(_ key: String) -> String { key.lowercased().filter { $0.isLetter || $0.isNumber } }
        for tag in tags {
            let key = normalized(tag.key)
            let value = tag.value.lowercased()
            if let tool = tools.first(where: { key == $0 || key.hasPrefix($0) }) {
                return .infrastructureAsCode(tool: tool, evidence: "tag \(tag.key)=\(tag.value)")
            }
            if ["managedby", "managed", "createdby", "provisionedby", "deployedby", "iac", "owner", "tool"].contains(key) {
                if let tool = tools.first(where: { value.contains($0) }) {
                    return .infrastructureAsCode(tool: tool, evidence: "tag \(tag.key)=\(tag.value)")
                }
                if key != "owner" && key != "createdby" {
                    return .infrastructureAsCode(tool: nil, evidence: "tag \(tag.key)=\(tag.value)")
                }
            }
        }
        return nil
    }
}

/// What the session read about a fix target: its ARN, IAM path, tags and, for a managed
/// policy, how many users, groups and roles it is attached to (`get-role`, `get-user`,
/// `get-policy` answers; `AttachmentCount` counts them all).
///
/// ```swift
/// FixTargetFacts(arn: "arn:aws:iam::111122223333:policy/AnalystBoundary", path: "/", attachmentCount: 3)
/// ```
public struct FixTargetFacts: Sendable, Hashable {
    public struct Tag: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) { self.key = key; self.value = value }
    }

    public var arn: String
    public var path: String?
    public var tags: [Tag]
    /// Users, groups and roles the managed policy is attached to; nil when not read (or not a policy).
    public var attachmentCount: Int?

    public init(arn: String, path: String? = nil, tags: [Tag] = [], attachmentCount: Int? = nil) {
        self.arn = arn
        self.path = path
        self.tags = tags
        self.attachmentCount = attachmentCount
    }

    /// The same IAM user, role or managed policy whatever the ARN's form: an error message and
    /// an assumed role name a role without its path (`role/Name`), `get-role` with it
    /// (`role/team/Name`). Nil for an ARN that is not one of these.
    public static func iamEntityKey(_ arn: String) -> String? {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[2] == "iam" else { return nil }
        let parts = fields[5].split(separator: "/")
        guard let type = parts.first, ["role", "user", "policy"].contains(type), let name = parts.last, parts.count > 1 else { return nil }
        return "\(fields[1]):\(fields[4]):\(type):\(name)"
    }

    /// Reads `{Key, Value}` pairs as IAM returns them (`Role.Tags`, `Policy.Tags`).
    public static func tags(fromIAM value: JSONValue?) -> [Tag] {
        (value?.arrayValue ?? []).compactMap { item in
            guard let key = item["Key"]?.stringValue, let value = item["Value"]?.stringValue else { return nil }
            return Tag(key: key, value: value)
        }.sorted { $0.key < $1.key }
    }
}
