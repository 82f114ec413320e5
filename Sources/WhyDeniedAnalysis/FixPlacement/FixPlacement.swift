import WhyDeniedJSON

/// Where one policy change of a fix belongs: who owns its target and the change as code, so a
/// fix to a stack-, code- or Identity Center-owned target is carried where it sticks.
public struct FixPlacement: Sendable, Hashable {
    public var targetArn: String
    public var owner: FixTargetOwner
    /// Nil for a resource whose policy has no Terraform/CloudFormation resource here.
    public var code: FixAsCode?

    /// One placement per policy to add. `tags` gives what the session read for an ARN.
    public static func placements(for fix: LeastPrivilegeFix, tags: (String) -> [String: String]) -> [FixPlacement] {
        fix.policiesToAdd.map { add in
            let facts = FixTargetFacts(arn: add.attachmentTargetArn,
                                       tags: tags(add.attachmentTargetArn).sorted { $0.key < $1.key }
                                           .map { FixTargetFacts.Tag(key: $0.key, value: $0.value) })
            let owner = FixTargetOwner.classify(facts)
            return FixPlacement(targetArn: add.attachmentTargetArn, owner: owner, code: FixAsCode.render(add, owner: owner))
        }
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
        if let code {
            object["Terraform"] = .string(code.terraform)
            object["CloudFormation"] = .string(code.cloudFormation)
            if let note = code.note { object["CodeNote"] = .string(note) }
        }
        return .object(object)
    }
}
