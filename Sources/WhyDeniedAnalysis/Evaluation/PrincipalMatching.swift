/// Decides whether a Principal entry names the caller, and how (see `PrincipalMatchKind`).
///
/// ```swift
/// PrincipalMatching.match(PrincipalEntry(type: .aws, value: "111122223333"), caller)  // .account
/// ```
public enum PrincipalMatching {
    public static func match(_ entry: PrincipalEntry, _ caller: RequestPrincipal) -> PrincipalMatchKind {
        switch entry.type {
        case .wildcard:
            return .direct
        case .service:
            return caller.kind == .service && entry.value.lowercased() == caller.arn.lowercased() ? .direct : .none
        case .federated:
            guard let provider = caller.federatedProvider else { return .none }
            return provider.lowercased() == entry.value.lowercased() ? .direct : .none
        case .canonicalUser:
            return caller.canonicalUserId == entry.value ? .direct : .none
        case .aws:
            return matchAWS(entry.value, caller)
        }
    }

    static func matchAWS(_ value: String, _ caller: RequestPrincipal) -> PrincipalMatchKind {
        if value == "*" { return .direct }
        guard caller.kind != .service, caller.kind != .anonymous else { return .none }
        // A caller given by its role ARN acts as a session of that role: a grant naming the role
        // is still limited by the boundary and the session policy (IAM User Guide, "Permissions
        // boundaries", Resource-based policies), so it is never a direct match.
        if caller.kind == .role { return sameRole(value, caller.arn) ? .roleArn : matchAccount(value, caller) }
        // Only the account is known; `arn` holds the trail's principalId, never a policy's ARN.
        if caller.kind == .accountOnly { return matchAccount(value, caller) }
        if value == caller.arn { return .direct }
        if matchAccount(value, caller) == .account { return .account }
        if let issuer = caller.roleArn {
            if caller.kind == .assumedRole {
                if sameRole(value, issuer) { return .roleArn }
            } else if caller.kind == .federatedUser, value == issuer {
                return .roleArn
            }
        }
        return .none
    }

    /// For a caller known only by its account (`.accountOnly`): the first entry naming one role,
    /// user or session of that account, which the caller may or may not be, and how it would match.
    static func mightName(_ entries: [PrincipalEntry], _ caller: RequestPrincipal) -> (entry: PrincipalEntry, kind: PrincipalMatchKind)? {
        guard caller.kind == .accountOnly, let account = caller.account else { return nil }
        for entry in entries where entry.type == .aws {
            guard let parts = ArnParts(entry.value), parts.account == account, parts.resource != "root",
                  parts.service == "iam" || parts.service == "sts" else { continue }
            return (entry, parts.resource.hasPrefix("role/") ? .roleArn : .direct)
        }
        return nil
    }

    /// The caller's account named by its id or its root ARN.
    static func matchAccount(_ value: String, _ caller: RequestPrincipal) -> PrincipalMatchKind {
        guard let account = caller.account else { return .none }
        if value == account { return .account }
        if let parts = ArnParts(value), parts.service == "iam", parts.resource == "root", parts.account == account {
            return .account
        }
        return .none
    }

    /// Role ARNs compared by partition, account and role name: session ARNs drop the role's path.
    static func sameRole(_ lhs: String, _ rhs: String) -> Bool {
        guard let left = ArnParts(lhs), let right = ArnParts(rhs),
              left.service == "iam", right.service == "iam",
              left.resource.hasPrefix("role/"), right.resource.hasPrefix("role/") else { return false }
        return left.partition == right.partition && left.account == right.account
            && left.resource.split(separator: "/").last == right.resource.split(separator: "/").last
    }
}
