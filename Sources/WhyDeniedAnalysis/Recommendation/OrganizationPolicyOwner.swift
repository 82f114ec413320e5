/// Who may change an SCP or RCP: the administrators of the organization's management account
/// (or of a delegated administrator account). whydenied shows the edit and never applies it.
///
/// ```swift
/// OrganizationPolicyOwner.sentence(managementAccount: "123456789012")
/// // "Its owners are the administrators of the organization's management account 123456789012 …"
/// ```
enum OrganizationPolicyOwner {
    static func sentence(managementAccount: String?) -> String {
        let account = managementAccount.map { "management account \($0)" } ?? "management account"
        return "Its owners are the administrators of the organization's \(account) (or a delegated administrator): "
            + "the change is theirs to make, from that account; whydenied shows it and never applies it."
    }
}
