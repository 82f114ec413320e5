/// The resource control policies on the organization path of another account than the
/// snapshot's: the account that owns a resource its principals were denied. They restrict every
/// request to that account's resources, whoever asks (AWS Organizations User Guide, "RCP
/// evaluation"), so a cross-account request is evaluated against them; an account whose path
/// was not read at all has no entry and its RCPs stay an unread stand-in
/// (`UnreadPolicy.organizationPath`).
///
/// ```swift
/// ResourceAccountControlPolicies(accountId: "444455556666", levels: [root, prodOU, account])   // read
/// ResourceAccountControlPolicies(accountId: "444455556666", unread: refused)                   // walk refused
/// ```
public struct ResourceAccountControlPolicies: Sendable, Hashable {
    public var accountId: String
    /// Root first, the account last; empty with `unread` nil: RCPs are not enabled, none apply.
    public var levels: [OrganizationPolicyLevel]
    /// The walk failed or was refused (the account in another organization, no permission).
    public var unread: UnreadPolicy?

    public init(accountId: String, levels: [OrganizationPolicyLevel] = [], unread: UnreadPolicy? = nil) {
        self.accountId = accountId
        self.levels = levels
        self.unread = unread
    }
}
