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
        if value == caller.arn { return .direct }
        if let account = caller.account {
            if value == account { return .account }
            if let parts = ArnParts(value), parts.service == "iam", parts.resource == "root", parts.account == account {
                return .account
            }
        }
        if let issuer = caller.roleArn {
            if caller.kind == .assumedRole || caller.kind == .role {
                if sameRole(value, issuer) { return .roleArn }
            } else if caller.kind == .federatedUser, value == issuer {
                return .roleArn
            }
        }
        if caller.kind == .role, sameRole(value, caller.arn) { return .direct }
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
