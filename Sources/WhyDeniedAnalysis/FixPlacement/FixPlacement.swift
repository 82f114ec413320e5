import WhyDeniedJSON

/// Where one policy change of a fix belongs: who owns its target and the change as code, so a
/// fix to a stack-, code- or Identity Center-owned target is carried where it sticks.
public struct FixPlacement: Sendable, Hashable {
    public var targetArn: String
    public var owner: FixTargetOwner
    /// Nil for a resource whose policy has no Terraform/CloudFormation resource here.
    public var code: FixAsCode?
    /// What the owner was worked out from (path, tags, attachment count as read).
    public var facts: FixTargetFacts

    /// One placement per policy to add. `facts` gives what the session read about an ARN
    /// (`AccountSnapshot.fixTargetFacts(for:)`); an ARN nothing was read about is judged by itself.
    public static func placements(for fix: LeastPrivilegeFix, facts: (String) -> FixTargetFacts) -> [FixPlacement] {
        fix.policiesToAdd.map { add in
            let read = facts(add.attachmentTargetArn)
            let owner = FixTargetOwner.classify(read)
            return FixPlacement(targetArn: add.attachmentTargetArn, owner: owner, code: FixAsCode.render(add, owner: owner), facts: read)
        }
    }

    /// Said when the changed policy is shared: every user, group and role it is attached to
    /// gets the change too.
    public var sharedPolicyNote: String? {
        guard let count = facts.attachmentCount, count > 1 else { return nil }
        return "The policy is attached to \(count) users, groups or roles: the change applies to every one of them."
    }

    public var json: JSONValue {
        var object = JSONObject([
            ("AttachmentTargetArn", .string(targetArn)),
            ("Owner", .string(owner.kind)),
            ("ChangeSticksInPlace", .bool(owner.changeSticksInPlace)),
            ("WhereTheChangeBelongs", .string(owner.whereTheChangeBelongs)),
        ])
        switch owner {
        case .identityCenter(let set): object["PermissionSet"] = .string(set)
        case .cloudFormation(let stack, let logicalId):
            object["Stack"] = .string(stack)
            if let logicalId { object["LogicalId"] = .string(logicalId) }
        case .infrastructureAsCode(let tool, let evidence):
            if let tool { object["Tool"] = .string(tool) }
            object["Evidence"] = .string(evidence)
        case .serviceLinked(let service): object["Service"] = .string(service)
        case .awsManaged, .direct: break
        }
        if let path = facts.path { object["Path"] = .string(path) }
        if let count = facts.attachmentCount { object["AttachmentCount"] = .number(Double(count)) }
        if let shared = sharedPolicyNote { object["SharedPolicyNote"] = .string(shared) }
        if let code {
            object["Terraform"] = .string(code.terraform)
            object["CloudFormation"] = .string(code.cloudFormation)
            if let note = code.note { object["CodeNote"] = .string(note) }
        }
        return .object(object)
    }
}
