/// For a request across accounts, which side failed and whose administrator can fix it: AWS
/// allows a cross-account request only when the caller's identity-based policies (in the
/// caller's account) and the resource's policy (in the owner's account) both allow it (IAM User
/// Guide, "Cross-account policy evaluation logic"). Each side is changed only by its account.
///
/// ```swift
/// CrossAccountSides.resourceSideMissing(owner: "222233334444", caller: "123456789012", resource: "arn:aws:s3:::partner-data")
/// // "Cross-account request: the caller's side (account 123456789012) allows it; the resource side is missing: …"
/// ```
enum CrossAccountSides {
    static func resourceSideMissing(owner: String, caller: String, resource: String) -> String {
        "Cross-account request: the resource side is missing. \(resource) belongs to account \(owner), not the caller's account \(caller): "
            + "its policy must grant the caller, and only account \(owner)'s administrator can change it "
            + "(whydenied applies it with that account's credentials: --resource-profile)."
    }

    static func callerSideMissing(owner: String, caller: String) -> String {
        "Cross-account request: the caller's side is missing. The caller's own identity-based policies in account \(caller) must allow it, "
            + "whatever the resource's policy in account \(owner) grants: account \(caller)'s administrator changes them."
    }
}
