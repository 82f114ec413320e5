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

/// What the session read about a fix target: its ARN, IAM path and tags.
public struct FixTargetFacts: Sendable, Hashable {
    public struct Tag: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) { self.key = key; self.value = value }
    }

    public var arn: String
    public var path: String?
    public var tags: [Tag]

    public init(arn: String, path: String? = nil, tags: [Tag] = []) {
        self.arn = arn
        self.path = path
        self.tags = tags
    }
}
