import WhyDeniedJSON

/// Turns the verdicts on a denied call into a `LeastPrivilegeFix`, using the action catalog to
/// say why each action and resource is there and to keep `*` for actions without a resource type.
///
/// ```swift
/// let fix = LeastPrivilegeRecommender(catalog: .bundled).recommend(for: denied, analysed: results)
/// fix.policiesToAdd.first?.policy   // {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", …}]}
/// fix.commands.first?.argv          // ["aws", "iam", "put-role-policy", "--role-name", …]
/// ```
public struct LeastPrivilegeRecommender: Sendable {
    public let catalog: ActionCatalog

    public init(catalog: ActionCatalog) {
        self.catalog = catalog
    }

    public func recommend(for denied: DeniedRequest, analysed: [AnalysedRequest]) -> LeastPrivilegeFix {
        var fix = LeastPrivilegeFix(kind: .nothingToChange, summary: "", policiesToAdd: [], denyEdits: [], failedConditions: [],
                                    commands: [], possibleExtraActions: denied.call.hints, missingContextKeys: [], warnings: [])
        let explicit = analysed.filter { $0.result.decision == .explicitDeny }
        let implicit = analysed.filter { $0.result.decision == .implicitDeny }
        let undecided = analysed.filter { $0.result.decision == .undecided }

        var seen = Set<String>()
        for item in explicit {
            guard let trace = item.result.deciding.statement else { continue }
            let key = "\(trace.policy.type.rawValue)|\(trace.policy.name)|\(trace.statement.index)"
            guard seen.insert(key).inserted else { continue }
            let edits = DenyStatementEdits(analysed: item, trace: trace)
            if edits.conditionIsRequestProperty {
                fix.failedConditions += edits.failedConditions()
            }
            let edit = edits.edit(caller: item.request.principal)
            fix.denyEdits.append(edit)
            if let warning = edit.warning { fix.warnings.append(warning) }
            if let document = edit.editedPolicy {
                let resourceArn = resourceArnForPolicyCommand(trace.policy.type, item)
                let commands = FixCommands.replace(trace.policy, document: document, resourceArn: resourceArn)
                // A guardrail's edit is offered, never the default.
                fix.commands += commands.map { FixCommand(purpose: $0.purpose, argv: $0.argv, alternative: $0.alternative || edit.looksIntentional) }
            }
        }
        if !implicit.isEmpty {
            addAllows(for: implicit, denied: denied, into: &fix)
            if !fix.policiesToAdd.isEmpty { fix.warnings += Self.resourceTypeNotes(denied) }
        }
        for item in undecided {
            fix.missingContextKeys += item.result.missingContextKeys.filter { !fix.missingContextKeys.contains($0) }
        }

        if !fix.failedConditions.isEmpty && fix.policiesToAdd.isEmpty {
            fix.kind = .meetCondition
            let first = fix.failedConditions[0]
            fix.summary = "Denied by \(explicit[0].result.deciding.statement.map { "\($0.policy), \($0.statement.label)" } ?? "a Deny statement") because \(first.operator) \(first.key) (\(first.expectedValues.joined(separator: ", "))) held for the request's value \(first.requestValues?.joined(separator: ", ") ?? "(none)"). \(first.advice)"
        } else if !fix.denyEdits.isEmpty {
            fix.kind = .editDeny
            fix.summary = fix.denyEdits.map(\.description).joined(separator: " ")
                + (fix.policiesToAdd.isEmpty ? "" : " Then add: " + fix.policiesToAdd.map { "\($0.policyName) on \($0.attachmentTargetArn)" }.joined(separator: ", ") + ".")
        } else if !fix.policiesToAdd.isEmpty {
            fix.kind = .addAllow
            fix.summary = "Add " + fix.policiesToAdd.map { "\($0.policyName) (\($0.target.operatorWords)) on \($0.attachmentTargetArn)" }.joined(separator: " and ") + "."
        } else if !undecided.isEmpty {
            fix.kind = .cannotTell
            // An unread policy comes first: no edit is safe before its words are known.
            let unread = undecided.flatMap(\.result.unreadPolicies)
            var reasons: [String] = []
            if !unread.isEmpty {
                reasons.append("Cannot tell until it is read: \(unread.map(\.description).joined(separator: "; ")). Fix that read (permission, connection) and run it again.")
            }
            if !fix.missingContextKeys.isEmpty || unread.isEmpty {
                reasons.append("Cannot tell without \(fix.missingContextKeys.joined(separator: ", ")): find out what the request carried for \(fix.missingContextKeys.count == 1 ? "it" : "them") (the event does not say).")
            }
            fix.summary = reasons.joined(separator: " ")
        } else if analysed.isEmpty {
            fix.kind = .cannotTell
            fix.summary = "No request could be evaluated: " + (denied.notes.isEmpty ? "nothing to analyse." : denied.notes.joined(separator: " "))
        } else if !implicit.isEmpty, let stopping = fix.warnings.first {
            // Denied, yet no statement to add or edit: a setting beside the policies (S3 Block
            // Public Access, an object's ACL) decided, and its own words say what to change.
            fix.summary = "No policy statement to add: " + stopping
        } else {
            fix.summary = "The policies given allow this call. They may have changed since the event, or something not modelled denied it (a session policy, an S3 ACL or Block Public Access, a KMS grant)."
        }
        return fix
    }

    private func resourceArnForPolicyCommand(_ type: PolicyType, _ item: AnalysedRequest) -> String? {
        switch type {
        case .vpcEndpointPolicy:
            if case .present(let value) = item.request.context.lookup("aws:SourceVpce") { return value.values.first }
            return nil
        case .roleTrustPolicy, .kmsKeyPolicy, .resourceBased:
            return item.request.resource?.arn
        default:
            return nil
        }
    }

    /// The Allow for the caller's identity when only the error message is known ("because no
    /// identity-based policy allows …"): every action the call needs, on its concrete resources.
    public func identityAllowFromMessage(for denied: DeniedRequest) -> LeastPrivilegeFix {
        let principal = denied.principal
        let holderArn = principal.kind == .assumedRole || principal.kind == .role ? (principal.roleArn ?? principal.arn) : principal.arn
        let name = PolicyJSONEditing.policyName("whydenied-\(denied.call.servicePrefix)-\(denied.call.apiName)")
        let (statements, reasons) = allowStatements(for: denied.requests, denied: denied, principal: nil,
                                                    sidBase: "WhyDenied\(denied.call.apiName)")
        let document = PolicyJSONEditing.newDocument(statements)
        let isUser = principal.kind == .iamUser
        return LeastPrivilegeFix(
            kind: .addAllow,
            summary: "AWS says no identity-based policy allows the call: add \(name) to \(holderArn).",
            policiesToAdd: [PolicyToAdd(target: isUser ? .userInlinePolicy : .roleInlinePolicy, attachmentTargetArn: holderArn,
                                        policyName: name, policy: document, reasons: reasons)],
            denyEdits: [], failedConditions: [],
            commands: FixCommands.addIdentityPolicy(holderArn: holderArn, holderIsUser: isUser, name: name, document: document),
            possibleExtraActions: denied.call.hints, missingContextKeys: [],
            warnings: ["Built from the error message alone (no account snapshot): other policy types were not checked."]
                + Self.resourceTypeNotes(denied))
    }

    /// For actions authorized against several resource types: which ARNs the evidence gave and
    /// which are scoped templates, so the operator can narrow the latter.
    static func resourceTypeNotes(_ denied: DeniedRequest) -> [String] {
        denied.resourceGrants.sorted { $0.key < $1.key }.map { action, grants in
            let fromEvidence = grants.filter { if case .evidence = $0.origin { return true } else { return false } }
            let templates = grants.filter { if case .scopedTemplate = $0.origin { return true } else { return false } }
            var text = "\(action) is authorized against \(grants.count) resource types (\(grants.map(\.resourceType).joined(separator: ", "))); the fix grants each."
            if !fromEvidence.isEmpty { text += " From the evidence: \(fromEvidence.map { "\($0.resourceType) \($0.arn)" }.joined(separator: ", "))." }
            if !templates.isEmpty { text += " Scoped templates, not from the evidence (narrow them when known): \(templates.map { "\($0.resourceType) \($0.arn)" }.joined(separator: ", "))." }
            return text
        }
    }

    // MARK: Implicit deny → Allow statements

    private func addAllows(for items: [AnalysedRequest], denied: DeniedRequest, into fix: inout LeastPrivilegeFix) {
        let principal = items[0].request.principal
        let holderArn = principal.kind == .assumedRole || principal.kind == .role ? (principal.roleArn ?? principal.arn) : principal.arn
        let partition = items.compactMap { $0.request.resource.flatMap { ArnParts($0.arn)?.partition } }.first ?? "aws"
        let grant = PrincipalGrant.forCaller(principal, partition: partition)
        let baseName = PolicyJSONEditing.policyName("whydenied-\(denied.call.servicePrefix)-\(denied.call.apiName)")

        // Group the requests by the gate that blocked them.
        var byTarget: [PolicyToAdd.Target: [AnalysedRequest]] = [:]
        var order: [PolicyToAdd.Target] = []
        for item in items {
            for gate in item.result.blockedBy {
                guard let target = target(for: gate, principal: principal, fix: &fix) else { continue }
                if byTarget[target] == nil { order.append(target) }
                byTarget[target, default: []].append(item)
            }
        }
        for target in order {
            let group = byTarget[target] ?? []
            let needsPrincipal = [.resourcePolicy, .kmsKeyPolicy, .roleTrustPolicy].contains(target)
            let (statements, reasons) = allowStatements(for: group.map(\.request), denied: denied, principal: needsPrincipal ? grant : nil,
                                                        sidBase: "WhyDenied\(denied.call.apiName)",
                                                        governsItsOwnResource: target == .roleTrustPolicy)
            let newPolicy = PolicyJSONEditing.newDocument(statements)
            switch target {
            case .roleInlinePolicy, .userInlinePolicy:
                if let owner = group[0].request.resource?.account, let caller = principal.account, owner != caller {
                    fix.warnings.insert(CrossAccountSides.callerSideMissing(owner: owner, caller: caller), at: 0)
                }
                fix.policiesToAdd.append(PolicyToAdd(target: target, attachmentTargetArn: holderArn, policyName: baseName, policy: newPolicy, reasons: reasons))
                fix.commands += FixCommands.addIdentityPolicy(holderArn: holderArn, holderIsUser: target == .userInlinePolicy, name: baseName, document: newPolicy)
            case .resourcePolicy, .kmsKeyPolicy, .roleTrustPolicy:
                let resourceArn = group[0].request.resource?.arn ?? "*"
                let policyType: PolicyType = target == .kmsKeyPolicy ? .kmsKeyPolicy : (target == .roleTrustPolicy ? .roleTrustPolicy : .resourceBased)
                let existing = target == .kmsKeyPolicy ? group[0].policies.keyPolicy
                    : (target == .roleTrustPolicy ? group[0].policies.roleTrustPolicy : group[0].policies.resourcePolicy)
                let attachTo = target == .resourcePolicy ? (FixCommands.s3Bucket(resourceArn).map { "arn:aws:s3:::\($0)" } ?? resourceArn) : resourceArn
                let merged = PolicyJSONEditing.appending(statements, to: existing.map(\.document.json))
                // Writing a resource-side policy replaces it whole: the statements it has stay.
                fix.policiesToAdd.append(PolicyToAdd(target: target, attachmentTargetArn: attachTo, policyName: existing?.name ?? "\(policyType.displayName) of \(attachTo)",
                                                     policy: newPolicy, reasons: reasons,
                                                     replacementDocument: existing == nil ? nil : merged))
                let reference = PolicyReference(type: policyType, name: existing?.name ?? "new policy")
                let commands = FixCommands.replace(reference, document: merged, resourceArn: resourceArn)
                if commands.isEmpty {
                    fix.warnings.append("No CLI command is generated for this resource type; add the statement to the policy of \(attachTo) with the service's own API.")
                }
                fix.commands += commands
                if let warning = grant.warning, !fix.warnings.contains(warning) { fix.warnings.append(warning) }
                if let owner = group[0].request.resource?.account, let caller = principal.account, owner != caller,
                   !fix.warnings.contains(where: { $0.hasPrefix("Cross-account request: the resource side") }) {
                    fix.warnings.insert(CrossAccountSides.resourceSideMissing(owner: owner, caller: caller, resource: attachTo), at: 0)
                }
                if principal.kind == .accountOnly, denied.isCrossAccount {
                    fix.warnings.append("Cross-account access needs both sides: the caller's own identity-based policies in account \(principal.account ?? "?") must allow \(group.map(\.request.action).joined(separator: ", ")) too, and whydenied could not read them.")
                }
                if existing == nil, target == .resourcePolicy {
                    fix.warnings.append("No resource policy of \(attachTo) was in the evidence: the command writes a new one; if the resource already has a policy, merge the statement into it instead.")
                }
            case .permissionsBoundary:
                guard let boundary = group[0].policies.permissionsBoundary else { continue }
                let merged = PolicyJSONEditing.appending(statements, to: boundary.document.json)
                fix.policiesToAdd.append(PolicyToAdd(target: target, attachmentTargetArn: boundary.arn ?? holderArn, policyName: boundary.name,
                                                     policy: newPolicy, reasons: reasons, replacementDocument: merged))
                fix.commands += FixCommands.replace(PolicyReference(type: .permissionsBoundary, name: boundary.name, arn: boundary.arn, attachment: boundary.attachment),
                                                    document: merged, resourceArn: nil)
                fix.warnings.append("The permissions boundary \(boundary.name) is what failed: widen the boundary (usually owned by administrators), not the role's own policies. Every principal using this boundary gains the new permission's ceiling.")
            case .serviceControlPolicy, .resourceControlPolicy:
                let gate = group[0].result.blockedBy.first { $0.policyType == (target == .serviceControlPolicy ? .serviceControlPolicy : .resourceControlPolicy) }
                fix.policiesToAdd.append(PolicyToAdd(target: target, attachmentTargetArn: gate?.organizationLevel ?? "organization", policyName: "Allow at \(gate?.organizationLevel ?? "the level that denies")",
                                                     policy: newPolicy, reasons: reasons.filter { !$0.element.contains("Principal") }))
                fix.warnings.append("No Allow in the \(target == .serviceControlPolicy ? "SCPs" : "RCPs") at \(gate?.organizationLevel ?? "one level"): this is an organization guardrail (an allow-list). Changing it affects every account below that level; ask the organization's administrators. "
                                     + OrganizationPolicyOwner.sentence(managementAccount: group[0].policies.managementAccount))
            case .vpcEndpointPolicy:
                fix.policiesToAdd.append(PolicyToAdd(target: target, attachmentTargetArn: denied.context["aws:SourceVpce"]?.values.first ?? "VPC endpoint", policyName: "VPC endpoint policy",
                                                     policy: newPolicy, reasons: reasons))
                fix.warnings.append("The VPC endpoint policy does not allow the call; it is a network guardrail usually owned by the platform team.")
            }
        }
    }

    /// Which policy a failed gate asks to extend; nil (with a warning) when no policy can be.
    private func target(for gate: GateResult, principal: RequestPrincipal, fix: inout LeastPrivilegeFix) -> PolicyToAdd.Target? {
        // No statement lifts S3 Block Public Access: its owner changes the setting, or the policy
        // stops being public. The reason names both and the command; whydenied does not apply it.
        // Nor an object ACL of another account's object: the bucket policy cannot grant it.
        if gate.name == S3BucketAccessRules.gateName || gate.name == S3BucketAccessRules.objectACLGateName {
            fix.warnings.append(gate.reason)
            return nil
        }
        switch gate.policyType {
        case .identityBased:
            switch principal.kind {
            case .iamUser: return .userInlinePolicy
            case .assumedRole, .role: return .roleInlinePolicy
            case .federatedUser:
                fix.warnings.append("A federated user's permissions come from the IAM user that called GetFederationToken and its session policy; extend those.")
                return nil
            case .root, .service, .anonymous:
                return .resourcePolicy
            case .accountOnly:
                fix.warnings.append("The caller's identity-based policies are in account \(principal.account ?? "?") and it is unknown which role or user called; its administrators must allow the call there.")
                return nil
            }
        case .resourceBased: return .resourcePolicy
        case .kmsKeyPolicy: return .kmsKeyPolicy
        case .roleTrustPolicy: return .roleTrustPolicy
        case .permissionsBoundary: return .permissionsBoundary
        case .serviceControlPolicy: return .serviceControlPolicy
        case .resourceControlPolicy: return .resourceControlPolicy
        case .vpcEndpointPolicy: return .vpcEndpointPolicy
        case .sessionPolicy:
            fix.warnings.append("The session policy passed when the role was assumed does not allow the call; assume the role again with a session policy that includes it (or none).")
            return nil
        }
    }

    /// One Allow statement per distinct resource list: actions with a resource type get their
    /// concrete ARNs, actions without one get `*` in a statement of their own.
    /// - Parameter governsItsOwnResource: a role trust policy applies to its role only and IAM
    ///   rejects a Resource element in it, so its statements have none.
    func allowStatements(for requests: [AuthorizationRequest], denied: DeniedRequest, principal: PrincipalGrant?,
                         sidBase: String, governsItsOwnResource: Bool = false) -> ([JSONValue], [ElementReason]) {
        var groups: [(resources: [String], actions: [String])] = []
        for request in requests {
            let action = request.action
            // An action authorized against several resource types needs each of them granted.
            let resources = denied.resourceGrants[action].map { $0.map(\.arn) } ?? [request.resource?.arn ?? "*"]
            if let index = groups.firstIndex(where: { $0.resources == resources }) {
                if !groups[index].actions.contains(action) { groups[index].actions.append(action) }
            } else {
                groups.append((resources, [action]))
            }
        }
        // Merge groups that share the same action list (one statement, several resources).
        var merged: [(resources: [String], actions: [String])] = []
        for group in groups {
            if group.resources != ["*"], let index = merged.firstIndex(where: { $0.actions == group.actions && $0.resources != ["*"] }) {
                merged[index].resources += group.resources
            } else {
                merged.append(group)
            }
        }

        var statements: [JSONValue] = []
        var reasons: [ElementReason] = [ElementReason(element: "Version", value: "2012-10-17", reason: "The current policy language; needed for policy variables and required by most validators.")]
        for (offset, group) in merged.enumerated() {
            let path = "Statement[\(offset)]"
            let sid = PolicyJSONEditing.sid(merged.count == 1 ? sidBase : "\(sidBase)\(offset + 1)")
            var object = JSONObject([("Sid", .string(sid)), ("Effect", .string("Allow"))])
            reasons.append(ElementReason(element: "\(path).Sid", value: sid, reason: "Names the statement so it can be found and removed later."))
            reasons.append(ElementReason(element: "\(path).Effect", value: "Allow", reason: "The request was denied for lack of an Allow; nothing else needs to change."))
            principal?.applyPrincipal(to: &object, path: path, reasons: &reasons)
            object["Action"] = PolicyJSONEditing.strings(group.actions)
            for (index, action) in group.actions.enumerated() {
                let known = try? catalog.action(action)
                let level = known?.accessLevel.isEmpty == false ? " (access level \(known!.accessLevel))" : ""
                let why = denied.call.actions.contains(action)
                    ? "\(denied.eventName) needs \(action)\(level)."
                    : "AWS named \(action) as the refused action\(level)."
                reasons.append(ElementReason(element: group.actions.count == 1 ? "\(path).Action" : "\(path).Action[\(index)]", value: action, reason: why))
            }
            if governsItsOwnResource {
                principal?.applyCondition(to: &object, path: path, reasons: &reasons)
                statements.append(.object(object))
                continue
            }
            object["Resource"] = PolicyJSONEditing.strings(group.resources)
            for (index, resource) in group.resources.enumerated() {
                let element = group.resources.count == 1 ? "\(path).Resource" : "\(path).Resource[\(index)]"
                if resource == "*" {
                    reasons.append(ElementReason(element: element, value: "*", reason: "\(group.actions.joined(separator: ", ")) \(group.actions.count == 1 ? "has" : "have") no resource type, so only \"*\" can grant \(group.actions.count == 1 ? "it" : "them")."))
                } else if let (action, grant) = group.actions.lazy.compactMap({ action in
                    denied.resourceGrants[action]?.first { $0.arn == resource }.map { (action, $0) } }).first {
                    reasons.append(ElementReason(element: element, value: resource, reason: grant.reason(action: action)))
                } else {
                    let typeName = group.actions.compactMap { denied.resourceTypes[$0] }.first
                    let template = typeName.flatMap { type in group.actions.lazy.compactMap { try? self.catalog.resourceTypes(of: $0).first { $0.name == type } }.first }
                    let typeText = typeName.map { " of resource type \($0)" + (template.map { " (\($0.arnTemplate))" } ?? "") } ?? ""
                    reasons.append(ElementReason(element: element, value: resource, reason: "The exact resource the call acted on\(typeText); nothing broader."))
                }
            }
            principal?.applyCondition(to: &object, path: path, reasons: &reasons)
            statements.append(.object(object))
        }
        return (statements, reasons)
    }
}
