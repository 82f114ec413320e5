import WhyDeniedJSON

/// Who a resource-side Allow names (`Principal.AWS`), why, and for a caller known only by its
/// account the condition that narrows the account-wide grant and the warning it needs.
///
/// Example: a role session gets `"AWS": "arn:aws:iam::111122223333:role/DataAnalystRole"`; an
/// `AWSAccount` caller `AROAEXAMPLE:job` of 111111111111 that no snapshot names gets
/// `"AWS": "arn:aws:iam::111111111111:root"` with `StringLike aws:userid AROAEXAMPLE:*` and a
/// warning that the account's administrators decide who in it uses the grant.
struct PrincipalGrant {
    var arn: String
    var reason: String
    /// `(operator, key, value, why)` added as the statement's Condition.
    var condition: (operator: String, key: String, value: String, reason: String)?
    var warning: String?

    static func forCaller(_ principal: RequestPrincipal, partition: String) -> PrincipalGrant {
        guard principal.kind == .accountOnly, let account = principal.account else {
            let isRole = principal.kind == .assumedRole || principal.kind == .role
            let holder = isRole ? (principal.roleArn ?? principal.arn) : principal.arn
            return PrincipalGrant(arn: holder, reason: isRole ? "The caller only. Naming the role (not the session) keeps working for new sessions of it."
                                                              : "The caller only.")
        }
        let root = "arn:\(partition):iam::\(account):root"
        let delegation = "Granting \(root) delegates to the administrators of account \(account): whoever their identity-based policies allow there gets this access."
        guard let uniqueId = principal.uniqueId else {
            return PrincipalGrant(
                arn: root,
                reason: "The caller is unknown beyond its account \(account) (the trail gives no unique id), so only the whole account can be named.",
                warning: delegation + " Find out which role or user called (the caller's own trail) and name it instead.")
        }
        // Role sessions are `AROA…:session`; a user's aws:userid is its id alone.
        let value = uniqueId.hasPrefix("AROA") ? "\(uniqueId):*" : uniqueId
        return PrincipalGrant(
            arn: root,
            reason: "The caller is unknown beyond its account \(account): the trail names only unique id \(uniqueId), which no role or user read here has, and a policy cannot name a principal by id.",
            condition: ("StringLike", "aws:userid", value,
                        "Narrows the account-wide grant to the caller's unique id \(uniqueId) from the event's principalId (it stays with that role or user, and a re-created one gets a new id)."),
            warning: delegation + " The aws:userid condition keeps it to \(uniqueId); name the role or user instead once known (get-role/get-user in \(account) give RoleId/UserId).")
    }

    /// Adds the Principal to a statement, with its reason under `path`.
    func applyPrincipal(to object: inout JSONObject, path: String, reasons: inout [ElementReason]) {
        object["Principal"] = .object(JSONObject([("AWS", .string(arn))]))
        reasons.append(ElementReason(element: "\(path).Principal.AWS", value: arn, reason: reason))
    }

    /// Adds the narrowing condition, if any, after Action and Resource as policies are written.
    func applyCondition(to object: inout JSONObject, path: String, reasons: inout [ElementReason]) {
        guard let condition else { return }
        object["Condition"] = .object(JSONObject([(condition.operator, .object(JSONObject([(condition.key, .string(condition.value))])))]))
        reasons.append(ElementReason(element: "\(path).Condition.\(condition.operator).\(condition.key)", value: condition.value, reason: condition.reason))
    }
}
