/// A caller the resource owner's trail names only by account and IAM unique id: CloudTrail's
/// `userIdentity.type` `AWSAccount`, e.g. `{"principalId": "AROAEXAMPLE:session", "accountId":
/// "111111111111"}` for a role session of another account. The unique id before the colon is the
/// role's id (`AROA…`) or the user's id (`AIDA…`); after it comes the session name.
///
/// ```swift
/// let caller = AccountOnlyCaller(account: "111111111111", principalId: "AROAEXAMPLE:job")
/// caller.resolve(in: ["AROAEXAMPLE": "arn:aws:iam::111111111111:role/team/Reader"]).0.kind   // .assumedRole
/// caller.resolve(in: [:]).0.kind                                                            // .accountOnly
/// ```
struct AccountOnlyCaller {
    let account: String
    let principalId: String?

    /// `AROAEXAMPLE` of `AROAEXAMPLE:job`.
    var uniqueId: String? {
        guard let principalId, !principalId.isEmpty else { return nil }
        let id = String(principalId.prefix { $0 != ":" })
        return id.isEmpty ? nil : id
    }

    var sessionName: String? {
        guard let principalId, let colon = principalId.firstIndex(of: ":") else { return nil }
        let name = principalId[principalId.index(after: colon)...]
        return name.isEmpty ? nil : String(name)
    }

    /// What the id prefix says the caller is: `AROA` a role session, `AIDA` an IAM user.
    var idKind: String {
        switch uniqueId?.prefix(4) {
        case "AROA": return "a session of a role"
        case "AIDA": return "an IAM user"
        default: return "a principal"
        }
    }

    /// The role session or user with this unique id when `knownPrincipals` (unique id → ARN)
    /// has it, else a caller known only by its account, with a note saying which.
    func resolve(in knownPrincipals: [String: String]) -> (RequestPrincipal, [String]) {
        let idText = principalId.map { "principalId \($0)" } ?? "no principalId"
        if let uniqueId, let arn = knownPrincipals[uniqueId], let parts = ArnParts(arn),
           parts.service == "iam", parts.account == account {
            if parts.resource.hasPrefix("role/") {
                let roleName = parts.resource.split(separator: "/").last.map(String.init) ?? parts.resource
                let session = "arn:\(parts.partition):sts::\(account):assumed-role/\(roleName)/\(sessionName ?? "unknown-session")"
                return (RequestPrincipal(arn: session, kind: .assumedRole, account: account, roleArn: arn, uniqueId: uniqueId),
                        ["The resource owner's trail names the caller only as account \(account), \(idText); unique id \(uniqueId) is role \(arn) (from its RoleId)."])
            }
            if parts.resource.hasPrefix("user/") {
                return (RequestPrincipal(arn: arn, kind: .iamUser, account: account, uniqueId: uniqueId),
                        ["The resource owner's trail names the caller only as account \(account), \(idText); unique id \(uniqueId) is user \(arn) (from its UserId)."])
            }
        }
        let who = uniqueId.map { "\(idKind) with unique id \($0)" } ?? "a principal"
        return (RequestPrincipal(arn: principalId ?? "account \(account)", kind: .accountOnly, account: account, uniqueId: uniqueId),
                ["The caller is unknown beyond its account: the resource owner's trail names only account \(account) and \(idText) (\(who)). Read that role or user (get-role/get-user give RoleId/UserId) or the caller's own trail to name it."])
    }
}
