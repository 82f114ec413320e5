/// Decides one request against a `PolicySet` with AWS's published evaluation logic (IAM User
/// Guide, "Policy evaluation logic", "Policy evaluation for requests within a single account",
/// "Cross-account policy evaluation logic"):
///
/// 1. an explicit Deny in any applicable policy decides;
/// 2. every SCP level (caller's account) and every RCP level (resource's account) must allow;
/// 3. a VPC endpoint policy on the path must allow;
/// 4. role trust and KMS key policies must allow themselves (a key policy not read makes the
///    verdict Undecided: IAM policies alone never allow a key);
/// 5. same account: a resource policy naming the IAM user / role session grants alone; naming the
///    role still passes through boundary and session policy; otherwise identity policies must
///    allow, within the boundary and the session policy. Cross account: both sides must allow.
/// 6. S3: the bucket's and the object's ACL grants are Allows of the resource side; an object
///    another account owns is granted by its ACL alone (`S3BucketAccessRules`).
///
/// Works three-valued: a context key the request does not carry yields `.undecided` naming it,
/// when (and only when) it could change allowed into denied or back; so does a policy that
/// could not be read (`UnreadPolicy`: resource side, boundary, identity or session policy).
/// `sts:GetCallerIdentity` is always allowed (`PermissionFreeAction`).
///
/// ```swift
/// let result = PolicyEvaluator().evaluate(request, against: policies)
/// print(result.deciding.summary)
/// ```
public struct PolicyEvaluator: Sendable {
    public var options: EvaluationOptions

    public init(options: EvaluationOptions = EvaluationOptions()) {
        self.options = options
    }

    public func evaluate(_ request: AuthorizationRequest, against policies: PolicySet) -> EvaluationResult {
        if let rule = PermissionFreeAction.rule(for: request) {
            return PermissionFreeAction.allowed(evaluateRead(request, against: policies), rule: rule)
        }
        if let controls = policies.s3Bucket, !controls.unread.isEmpty, S3BucketAccessRules.applies(controls, to: request) {
            return S3SettingResolution(controls: controls).resolve { assumed in
                var set = policies
                set.s3Bucket = assumed
                return evaluateWithUnreadPolicies(request, against: set)
            }
        }
        return evaluateWithUnreadPolicies(request, against: policies)
    }

    /// The verdict with unread policies resolved (`UnreadPolicyResolution`); S3's settings all read.
    func evaluateWithUnreadPolicies(_ request: AuthorizationRequest, against policies: PolicySet) -> EvaluationResult {
        let resolution = UnreadPolicyResolution(request: request, policies: policies)
        guard !resolution.applicable.isEmpty else {
            var result = evaluateRead(request, against: policies)
            result.notes += resolution.notes
            return result
        }
        return resolution.resolve { evaluateRead(request, against: $0) }
    }

    /// The verdict from the documents at hand: every policy the set names was read.
    func evaluateRead(_ original: AuthorizationRequest, against policies: PolicySet) -> EvaluationResult {
        var notes: [String] = []
        let request = withDerivedContext(original)
        let caller = request.principal
        let evaluator = StatementEvaluator(request: request, callerHasBoundary: policies.permissionsBoundary != nil)
        var traces: [StatementTrace] = []

        func examine(_ policy: AttachedPolicy, type: PolicyType, level: String? = nil) -> [StatementTrace] {
            let reference = PolicyReference(type: type, name: policy.name, arn: policy.arn,
                                            attachment: policy.attachment, organizationLevel: level)
            for warning in policy.document.warnings {
                notes.append("\(reference): \(warning)")
            }
            let examined = policy.document.statements.map { evaluator.evaluate($0, in: policy.document, policy: reference) }
            traces += examined
            return examined
        }
        func truth(_ trace: StatementTrace) -> Truth { evaluator.truth(of: trace) }
        func allows(_ examined: [StatementTrace]) -> Truth {
            Truth.any(examined.filter { $0.effect == .allow }.map(truth))
        }

        // Which resource-side policy applies to this action.
        let action = request.action.lowercased()
        let side = Self.resourceSideType(for: request)
        let isRoleAssumption = side == .roleTrustPolicy
        let isKMS = side == .kmsKeyPolicy
        var resourceSide: (policy: AttachedPolicy, type: PolicyType)?
        if isRoleAssumption {
            if let trust = policies.roleTrustPolicy { resourceSide = (trust, .roleTrustPolicy) }
            else { notes.append("\(request.action) needs the role trust policy to allow it, and none was given: evaluated as if it allows nothing") }
        } else if isKMS, let key = policies.keyPolicy {
            resourceSide = (key, .kmsKeyPolicy)
        } else if let resourcePolicy = policies.resourcePolicy {
            resourceSide = (resourcePolicy, .resourceBased)
        }
        if policies.roleTrustPolicy != nil, !isRoleAssumption { notes.append("role trust policy not applied: it only governs sts:AssumeRole*") }
        if policies.keyPolicy != nil, !isKMS { notes.append("KMS key policy not applied: the request is not a kms: action on a key") }
        let mustAllow = isRoleAssumption || (resourceSide?.type == .kmsKeyPolicy)

        var resourceAccount = request.resource?.account ?? resourceSide?.policy.ownerAccount
        if resourceAccount == nil {
            resourceAccount = caller.account
            if resourceSide != nil { notes.append("resource account not given: assumed to be the caller's account") }
        }
        let sameAccount = caller.account != nil && caller.account == resourceAccount

        var gates: [(GateResult, Truth)] = []
        func gate(_ name: String, _ type: PolicyType, level: String? = nil, _ value: Truth,
                  allows allowText: String, denies denyText: String) {
            let outcome: GateOutcome
            let reason: String
            switch value {
            case .yes: outcome = .allows; reason = allowText
            case .no: outcome = .denies; reason = denyText
            case .unknown(let keys):
                outcome = .unknown
                reason = "depends on \(keys.sorted().joined(separator: ", ")), which the request context does not give"
            }
            gates.append((GateResult(name: name, policyType: type, organizationLevel: level, outcome: outcome,
                                     missingContextKeys: value.missingKeys.sorted(), reason: reason), value))
        }

        // SCPs: the caller's account, every level.
        let scpExemption: String? = {
            if policies.serviceControlPolicies.isEmpty { return nil }
            if caller.kind == .service || caller.kind == .anonymous { return "SCPs not applied: they only restrict principals of the organization's accounts" }
            if caller.isServiceLinkedRole { return "SCPs not applied: service-linked roles are exempt" }
            if let management = policies.managementAccount, caller.account == management {
                return "SCPs not applied: they do not restrict principals of the management account"
            }
            return nil
        }()
        if let scpExemption { notes.append(scpExemption) }
        // SCPs and RCPs alike: every organization level must allow.
        func organizationGates(_ levels: [OrganizationLevel], _ type: PolicyType, _ kind: String, unattached: String) {
            for level in levels {
                let examined = level.policies.flatMap { examine($0, type: type, level: level.name) }
                gate("\(kind)s at \(level.name)", type, level: level.name, allows(examined),
                     allows: "an \(kind) at \(level.name) allows \(request.action)",
                     denies: level.policies.isEmpty ? "no \(kind) is attached at \(level.name)\(unattached), so nothing is allowed there"
                                                    : "no \(kind) at \(level.name) allows \(request.action) (implicit deny)")
            }
        }
        if scpExemption == nil {
            organizationGates(policies.serviceControlPolicies, .serviceControlPolicy, "SCP", unattached: "")
        }

        // RCPs: the resource's account, every level, supported services only.
        let rcpExemption: String? = {
            if policies.resourceControlPolicies.isEmpty { return nil }
            if !options.rcpSupportedServices.contains(request.servicePrefix) { return "RCPs not applied: \(request.servicePrefix) is not a service RCPs restrict" }
            if action == "kms:retiregrant" { return "RCPs not applied: kms:RetireGrant cannot be restricted by RCPs" }
            if caller.isServiceLinkedRole { return "RCPs not applied: requests by service-linked roles are exempt" }
            if let management = policies.managementAccount, resourceAccount == management {
                return "RCPs not applied: they do not restrict resources of the management account"
            }
            return nil
        }()
        if let rcpExemption { notes.append(rcpExemption) }
        if rcpExemption == nil {
            organizationGates(policies.resourceControlPolicies, .resourceControlPolicy, "RCP",
                              unattached: " (RCPFullAWSAccess is missing)")
        }

        // VPC endpoint policy: only when the request came through an endpoint.
        if let endpointPolicy = policies.vpcEndpointPolicy {
            if case .present(let vpce) = request.context.lookup("aws:SourceVpce") {
                let examined = examine(endpointPolicy, type: .vpcEndpointPolicy)
                gate("VPC endpoint policy", .vpcEndpointPolicy, allows(examined),
                     allows: "the policy of endpoint \(vpce.values.joined(separator: ", ")) allows the request",
                     denies: "the policy of endpoint \(vpce.values.joined(separator: ", ")) does not allow the request")
            } else {
                notes.append("VPC endpoint policy not applied: the request context has no aws:SourceVpce")
            }
        }

        // Resource side.
        var resourceTraces: [StatementTrace] = []
        if let resourceSide {
            resourceTraces = examine(resourceSide.policy, type: resourceSide.type)
        }
        // S3: the bucket ACL's effective grants are Allows of the resource side too.
        let s3Rules = side == .resourceBased ? S3BucketAccessRules(controls: policies.s3Bucket, request: request) : nil
        var objectACLAllows: [StatementTrace] = []
        if let s3Rules {
            notes += s3Rules.controls.aclNotes + s3Rules.objectACLNotes
            if let acl = s3Rules.aclPolicy { resourceTraces += examine(acl, type: .resourceBased) }
            if s3Rules.objectOwnedByAnother {
                // The bucket owner cannot grant another account's object: its policy and ACL only deny.
                resourceTraces = resourceTraces.filter { $0.effect == .deny }
            }
            if let objectACL = s3Rules.objectACLPolicy {
                objectACLAllows = examine(objectACL, type: .resourceBased)
                resourceTraces += objectACLAllows
            }
        }
        let resourceAllows = resourceTraces.filter { $0.effect == .allow }
        func resourceAllow(_ kinds: Set<PrincipalMatchKind>) -> Truth {
            Truth.any(resourceAllows.filter { kinds.contains($0.principalMatch ?? .none) }.map(truth))
        }
        let resourceDirect = resourceAllow([.direct])
        let resourceRole = resourceAllow([.roleArn])
        // An object ACL grant to an account known only by its canonical id may be the caller's.
        let unsureObjectGrant = s3Rules?.grantToAnUnknownAccount ?? .no
        let resourceAny = resourceAllow([.direct, .roleArn, .account]) || unsureObjectGrant
        let resourceTypeName = resourceSide?.type.displayName ?? PolicyType.resourceBased.displayName

        // Identity side.
        let identityTraces = policies.identityPolicies.flatMap { examine($0, type: .identityBased) }
        var identityAllow = allows(identityTraces)
        if caller.kind == .root {
            identityAllow = .yes
            notes.append("the root user is allowed everything in its own account unless an SCP or an explicit Deny stops it")
        } else if caller.kind == .accountOnly {
            // Which role or user called is unknown, so are its identity-based policies.
            identityAllow = .unknown(["aws:PrincipalArn"])
            notes.append("the caller is known only by its account \(caller.account ?? "?") (\(caller.arn)): its identity-based policies there are unknown")
        } else if caller.kind == .service || caller.kind == .anonymous {
            identityAllow = .no
        }
        let boundaryTraces = policies.permissionsBoundary.map { examine($0, type: .permissionsBoundary) } ?? []
        let boundaryAllows: Truth = policies.permissionsBoundary == nil ? .yes : allows(boundaryTraces)
        let sessionTraces = policies.sessionPolicies.flatMap { examine($0, type: .sessionPolicy) }
        var sessionAllows: Truth = policies.sessionPolicies.isEmpty ? .yes : allows(sessionTraces)
        if caller.kind == .federatedUser, policies.sessionPolicies.isEmpty {
            sessionAllows = .no
        }

        // S3: an object another account owns is granted by its ACL alone, to every caller.
        if let s3Rules, s3Rules.objectACL != nil {
            let objectGrant = Truth.any(objectACLAllows.map(truth)) || unsureObjectGrant
            let name = S3BucketAccessControls.objectACLName(s3Rules.objectKey ?? "?", in: s3Rules.controls.bucket)
            if s3Rules.objectOwnedByAnother {
                gate(S3BucketAccessRules.objectACLGateName, .resourceBased, objectGrant,
                     allows: "the \(name) grants the caller \(request.action) (\(s3Rules.objectOwnerText))",
                     denies: s3Rules.objectACLRefusal)
            } else if objectGrant.isYes {
                notes.append("the \(name) grants the caller \(request.action) (\(s3Rules.objectOwnerText))")
            } else if case .no = objectGrant {
                notes.append("the \(name) does not grant the caller \(request.action) (\(s3Rules.objectOwnerText))")
            }
        }

        let sessionDenyText = policies.sessionPolicies.isEmpty
            ? "a federated user session without a session policy has no permissions"
            : "no session policy allows \(request.action)"
        if caller.kind == .service || caller.kind == .anonymous {
            gate("resource-side grant", resourceSide?.type ?? .resourceBased, resourceAny,
                 allows: "the \(resourceTypeName) allows the \(caller.kind == .service ? "service" : "anonymous") caller",
                 denies: "no \(resourceTypeName) allows the \(caller.kind == .service ? "service" : "anonymous") caller")
        } else if sameAccount {
            if mustAllow {
                gate("\(resourceTypeName) must allow", resourceSide?.type ?? .roleTrustPolicy, resourceAny,
                     allows: "the \(resourceTypeName) allows the caller",
                     denies: "no \(resourceTypeName) statement allows the caller; it must, even within one account")
            }
            gate("identity-based or resource-based grant", .identityBased, Truth.any([resourceDirect, resourceRole, identityAllow]),
                 allows: resourceDirect.isYes ? "the \(resourceTypeName) names the caller and grants on its own"
                                              : "an identity-based policy (or the \(resourceTypeName), naming the role) allows \(request.action)",
                 denies: "no identity-based policy allows \(request.action), and no \(resourceTypeName) grants it to the caller")
            if policies.permissionsBoundary != nil {
                gate("permissions boundary", .permissionsBoundary, resourceDirect || boundaryAllows,
                     allows: boundaryAllows.isYes ? "the permissions boundary allows \(request.action)"
                                                  : "the \(resourceTypeName) grants the caller directly, which the boundary does not limit",
                     denies: "the permissions boundary does not allow \(request.action)")
            }
            if !policies.sessionPolicies.isEmpty || caller.kind == .federatedUser {
                gate("session policy", .sessionPolicy, resourceDirect || sessionAllows,
                     allows: sessionAllows.isYes ? "the session policy allows \(request.action)"
                                                 : "the \(resourceTypeName) grants the session directly, which the session policy does not limit",
                     denies: sessionDenyText)
            }
        } else {
            gate("\(resourceTypeName) (cross-account)", resourceSide?.type ?? .resourceBased, resourceAny,
                 allows: "the \(resourceTypeName) in account \(resourceAccount ?? "?") allows the caller",
                 denies: resourceSide == nil
                    ? "the resource is in another account (\(resourceAccount ?? "?")) and no resource-based policy was given to allow the caller"
                    : "the resource is in another account (\(resourceAccount ?? "?")) and its \(resourceTypeName) does not allow the caller")
            gate("identity-based policy (cross-account)", .identityBased, identityAllow,
                 allows: "an identity-based policy allows \(request.action)",
                 denies: "no identity-based policy allows \(request.action); cross-account access needs both sides")
            if policies.permissionsBoundary != nil {
                gate("permissions boundary", .permissionsBoundary, boundaryAllows,
                     allows: "the permissions boundary allows \(request.action)",
                     denies: "the permissions boundary does not allow \(request.action)")
            }
            if !policies.sessionPolicies.isEmpty || caller.kind == .federatedUser {
                gate("session policy", .sessionPolicy, sessionAllows,
                     allows: "the session policy allows \(request.action)", denies: sessionDenyText)
            }
        }

        // S3 Block Public Access: a public bucket policy lets only the owner's account and AWS services in.
        if let refusal = s3Rules?.restriction(bucketPolicy: resourceSide?.type == .resourceBased ? resourceSide?.policy : nil) {
            gate(S3BucketAccessRules.gateName, .resourceBased, .no, allows: "", denies: refusal)
        }

        // Explicit denies anywhere among the policies examined.
        let denyTraces = traces.filter { $0.effect == .deny }
        let explicitDeny = Truth.any(denyTraces.map(truth))
        let gatesTruth = Truth.all(gates.map(\.1))
        let allowed = explicitDeny.negated && gatesTruth

        let gateResults = gates.map(\.0)
        let blockedBy = gateResults.filter { $0.outcome == .denies }
        let unknownDenies = denyTraces.filter { $0.outcome == .unknown }

        var deciding: DecidingReason
        var decision: Decision
        var missing: [String] = []
        switch (explicitDeny, allowed) {
        case (.yes, _):
            decision = .explicitDeny
            // Truth.any said yes, so a matched Deny exists.
            let statement = denyTraces.first { $0.outcome == .matched } ?? denyTraces[0]
            deciding = DecidingReason(policyType: statement.policy.type, policy: statement.policy, statement: statement,
                                      supportingStatements: [],
                                      summary: "Explicit deny in \(statement.policy), \(statement.statement.label): \(Self.describeMatch(statement)).")
        case (_, _) where AWSOwnedTarget.refusal(for: request) != nil:
            // Whatever the policies say, AWS refuses: name the platform rule, not a policy, since
            // no policy edit would help.
            let rule = AWSOwnedTarget.refusal(for: request) ?? ""
            decision = .implicitDeny
            deciding = DecidingReason(policyType: nil, policy: nil, statement: nil, supportingStatements: [],
                                      summary: "Denied by AWS, not by a policy: \(rule).", platformRule: rule)
        case (_, .yes):
            decision = .allowed
            let grants = resourceAllows + identityTraces.filter { $0.effect == .allow }
            let direct = resourceAllows.first { $0.outcome == .matched && $0.principalMatch == .direct }
            let identityGrant = identityTraces.first { $0.effect == .allow && $0.outcome == .matched }
            let resourceGrant = resourceAllows.first { $0.outcome == .matched }
            let primary = (sameAccount ? (direct ?? identityGrant ?? resourceGrant) : (identityGrant ?? resourceGrant))
                ?? grants.first { $0.outcome == .matched }
            var supporting: [StatementTrace] = []
            if let resourceGrant, resourceGrant != primary, !sameAccount || mustAllow { supporting.append(resourceGrant) }
            if let identityGrant, identityGrant != primary, !sameAccount || resourceGrant?.principalMatch == .account {
                supporting.append(identityGrant)
            }
            let summary: String
            if let primary {
                summary = "Allowed by \(primary.policy), \(primary.statement.label): \(Self.describeMatch(primary))."
                    + (supporting.isEmpty ? "" : " Also required: " + supporting.map { "\($0.policy), \($0.statement.label)" }.joined(separator: "; ") + ".")
            } else {
                summary = "Allowed: \(gateResults.map(\.reason).joined(separator: "; "))."
            }
            deciding = DecidingReason(policyType: primary?.policy.type ?? .identityBased, policy: primary?.policy,
                                      statement: primary, supportingStatements: supporting, summary: summary)
        case (_, .no):
            decision = .implicitDeny
            let first = blockedBy.first
            deciding = DecidingReason(policyType: first?.policyType, policy: nil, statement: nil, supportingStatements: [],
                                      summary: "Implicit deny: \(first?.reason ?? "no policy allows \(request.action)").")
            for trace in unknownDenies {
                notes.append("\(trace.policy), \(trace.statement.label) might also deny explicitly: it depends on \(trace.missingContextKeys.joined(separator: ", "))")
            }
        case (_, .unknown(let keys)):
            decision = .undecided
            missing = keys.sorted()
            let undecidedStatements = traces.filter { $0.outcome == .unknown }
            let first = unknownDenies.first ?? undecidedStatements.first
            let unknownGate = gateResults.first { $0.outcome == .unknown }
            var summary = "Undecided: the verdict depends on \(missing.joined(separator: ", ")), which the request context does not give."
            if let first {
                let pending = first.conditions.filter { $0.outcome == .unknown }
                    .map { "\($0.operator) \($0.key) [\($0.expectedValues.joined(separator: ", "))]" }
                let what = pending.isEmpty ? "its elements can be checked" : "its condition \(pending.joined(separator: " and ")) holds"
                summary += " \(first.policy), \(first.statement.label) (\(first.effect.rawValue)) decides it if \(what)"
                // What each value decides: a Deny that holds denies; when the rest is known to
                // allow, a Deny that does not hold leaves the request allowed.
                if first.effect == .deny, case .yes = gatesTruth, unknownDenies.count == 1 {
                    summary += ": if it holds, the request is explicitly denied; if not, the policies read allow it."
                } else {
                    summary += "."
                }
            }
            deciding = DecidingReason(policyType: first?.policy.type ?? unknownGate?.policyType, policy: first?.policy,
                                      statement: first, supportingStatements: undecidedStatements.filter { $0 != first },
                                      summary: summary)
        }
        return EvaluationResult(decision: decision, deciding: deciding, missingContextKeys: missing, gates: gateResults,
                                blockedBy: blockedBy, statements: traces, notes: notes)
    }

    /// The policy on the resource side of `request`: the role trust policy for `sts:AssumeRole*`
    /// and the session calls that go with it, the key policy for `kms:` requests on a key
    /// (account-level calls such as `kms:ListKeys` have none), the resource-based policy for any
    /// other request on a resource; nil for requests without a resource.
    static func resourceSideType(for request: AuthorizationRequest) -> PolicyType? {
        let action = request.action.lowercased()
        if action.hasPrefix("sts:assumerole") || action == "sts:tagsession" || action == "sts:setsourceidentity"
            || action == "sts:setcontext" {
            return .roleTrustPolicy
        }
        if request.servicePrefix == "kms", request.resource?.arn.contains(":key/") == true { return .kmsKeyPolicy }
        return request.resource == nil ? nil : .resourceBased
    }

    /// Fills the keys AWS derives from the caller and the resource, unless the request states them.
    func withDerivedContext(_ request: AuthorizationRequest) -> AuthorizationRequest {
        var result = request
        var context = request.context
        let caller = request.principal
        func fill(_ key: String, _ value: ContextValue?) {
            guard !context.isStated(key) else { return }
            if let value { context[key] = value } else { context.markAbsent(key) }
        }
        let identified = caller.kind != .service && caller.kind != .anonymous && caller.kind != .accountOnly
        if caller.kind == .accountOnly, let account = caller.account {
            fill("aws:PrincipalAccount", ContextValue(.string, account))
        }
        if identified {
            fill("aws:PrincipalArn", ContextValue(.arn, caller.principalArnForConditions))
            if let account = caller.account { fill("aws:PrincipalAccount", ContextValue(.string, account)) }
            let userName = caller.kind == .iamUser ? caller.arn.split(separator: "/").last.map(String.init) : nil
            fill("aws:username", userName.map { ContextValue(.string, $0) })
            let type: String
            switch caller.kind {
            case .iamUser: type = "User"
            case .assumedRole, .role: type = "AssumedRole"
            case .federatedUser: type = "FederatedUser"
            case .root: type = "Account"
            case .service, .anonymous, .accountOnly: type = "Anonymous"
            }
            fill("aws:PrincipalType", ContextValue(.string, type))
        } else if caller.kind == .anonymous {
            fill("aws:PrincipalType", ContextValue(.string, "Anonymous"))
            fill("aws:username", nil)
        }
        if caller.kind == .service {
            fill("aws:PrincipalServiceName", ContextValue(.string, caller.arn))
            fill("aws:PrincipalIsAWSService", ContextValue(.bool, "true"))
        }
        if let account = request.resource?.account { fill("aws:ResourceAccount", ContextValue(.string, account)) }
        result.context = context
        return result
    }

    /// "Action s3:* covers s3:GetObject; Resource arn:aws:s3:::b/* covers …; NotIpAddress aws:SourceIp
    /// [203.0.113.0/24] vs request 198.51.100.7".
    static func describeMatch(_ trace: StatementTrace) -> String {
        var parts: [String] = []
        let action = trace.action
        if action.element == "Action" {
            parts.append("Action \"\(action.matchedPattern ?? "?")\" covers \(action.requestValue)")
        } else {
            parts.append("NotAction [\(action.patterns.joined(separator: ", "))] does not exclude \(action.requestValue)")
        }
        if let resource = trace.resource {
            if resource.element == "Resource" {
                parts.append("Resource \"\(resource.matchedPattern ?? "?")\" covers \(resource.requestValue)")
            } else {
                parts.append("NotResource [\(resource.patterns.joined(separator: ", "))] does not exclude \(resource.requestValue)")
            }
        }
        if let principal = trace.principal {
            if principal.element == "Principal" {
                parts.append("Principal \(principal.matchedPattern ?? "?") names the caller (\(trace.principalMatch?.rawValue ?? "?") match)")
            } else {
                parts.append("NotPrincipal does not exclude the caller" + (principal.note.map { " (\($0))" } ?? ""))
            }
        }
        for condition in trace.conditions {
            let had = condition.requestValues.map { "the request had \($0.joined(separator: ", "))" }
                ?? (condition.keyState == .absent ? "the request does not carry it" : "the request value is unknown")
            parts.append("condition \(condition.operator) \(condition.key) [\(condition.expectedValues.joined(separator: ", "))] holds; \(had)")
        }
        return parts.joined(separator: "; ")
    }
}
