import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRunbook

/// The session policies of the caller's session, from what the runbook's `check_session_policy`
/// step captured: the call that issued the session (AssumeRole, AssumeRoleWithSAML,
/// AssumeRoleWithWebIdentity, GetFederationToken) found in CloudTrail (`session_issuer`), its
/// inline `policy` and the documents of its managed `policyArns` (`session_managed_policies`).
///
/// Not finding the call is said in a note, since most sessions carry no session policy; it is an
/// unread session policy (Undecided, naming it) only when the error message says a session policy
/// decided (`denial.policy_type` is `sessionPolicy`). A managed session policy whose read failed
/// is unread whatever the message says: the issuing call shows the session has it.
///
/// ```swift
/// let read = SessionPolicyReads.read(captures: engine.captures, facts: engine.facts, failedReads: failed)
/// read.policies.map(\.name)   // ["session policy of AssumeRole 04c882a5-…"]
/// ```
public enum SessionPolicyReads {
    public struct Result: Sendable, Equatable {
        public var policies: [SnapshotPolicy] = []
        public var unread: [UnreadPolicy] = []
        public var notes: [String] = []
    }

    static let managedVersionsCapture = "session_managed_policy_versions"
    static let managedPoliciesCapture = "session_managed_policies"

    /// The captures whose failed read leaves a session policy unknown (see `FailedPolicyRead`).
    static let captures: Set<String> = Set(SessionIssuerParser.issuerCaptures + SessionIssuerParser.policyArnsCaptures
        + [managedVersionsCapture, managedPoliciesCapture])

    /// A federated user (`GetFederationToken`): its permissions are the calling IAM user's policies
    /// intersected with the session policies the call passed (none passed: no permissions, though a
    /// resource policy naming the federated user can still grant). Without the call, both are
    /// unread: the verdict is Undecided unless a policy that was read decides alone.
    static func federatedUser(_ facts: [String: JSONValue], why: String) -> Result {
        let name = federatedName(facts)
        let reason = "a federated user's permissions are the policies of the IAM user that called GetFederationToken, "
            + "intersected with the session policies that call passed; \(why)"
        return Result(unread: [
            UnreadPolicy(type: .identityBased, name: "policies of the IAM user that federated \(name)", reason: reason),
            UnreadPolicy(type: .sessionPolicy, name: "session policy of federated user \(name)", reason: reason),
        ])
    }

    static func federatedName(_ facts: [String: JSONValue]) -> String {
        facts["principal.name"]?.stringValue ?? facts["principal.arn"]?.stringValue ?? "?"
    }

    /// A federated user's GetFederationToken call, found: the session policies it passed are read;
    /// the calling IAM user's policies bound it too and are not read (unread, naming the user).
    /// A call that passed none left the federated user without permissions of its own: an empty
    /// session policy.
    static func federatedUser(_ facts: [String: JSONValue], issuer: JSONValue, read: Result, event: String) -> Result {
        let name = federatedName(facts)
        let caller = issuer["issued_by"]?.stringValue
        var result = read
        result.unread.insert(UnreadPolicy(
            type: .identityBased, name: "policies of the IAM user that federated \(name)" + (caller.map { " (\($0))" } ?? ""),
            reason: "a federated user's permissions are also bounded by the policies of the IAM user that called \(event); "
                + "whydenied does not read that user's policies"), at: 0)
        if read.policies.isEmpty && read.unread.isEmpty {
            let none: JSONValue = .object(JSONObject([("Version", .string("2012-10-17")), ("Statement", .array([]))]))
            result.policies.append(SnapshotPolicy(name: "no session policy passed by \(event): the federated user has no permissions of its own",
                                                  attachedTo: facts["principal.arn"]?.stringValue ?? name,
                                                  file: "captures.session_issuer_federation_token", document: none))
        }
        return result
    }

    public static func read(captures: [String: JSONValue], facts: [String: JSONValue],
                            failedReads: [String: FailedPolicyRead]) -> Result {
        let federated = facts["principal.kind"]?.stringValue == "federated_user"
        guard let session = federated ? federatedName(facts) : facts["principal.session_name"]?.stringValue else { return Result() }
        let principal = facts["principal.arn"]?.stringValue ?? session
        let messageBlamesIt = facts["denial.policy_type"]?.stringValue == "sessionPolicy"
        let name = "session policy of session \(session)"
        let found = SessionIssuerParser.issuerCaptures.lazy.compactMap { name in captures[name].map { (name, $0) } }.first
        guard let (issuerCapture, issuer) = found, case .object = issuer else {
            let failed = failedReads.values.sorted { $0.key < $1.key }.first { SessionIssuerParser.issuerCaptures.contains($0.capture) }
            let historyUnavailable = facts[FactCatalog.unavailableSource(service: "cloudtrail", operation: "lookup-events")]?.stringValue
            let why = failed.map { "the look-up of the call that issued it failed (\($0.read): \($0.reason))" }
                ?? historyUnavailable.map { "CloudTrail's event history was unavailable to this session (lookup-events: \($0)), so the call that issued it was not looked up" }
                ?? (federated ? "no GetFederationToken event issuing it was found in CloudTrail's event history"
                              : "no AssumeRole, AssumeRoleWithSAML or AssumeRoleWithWebIdentity event issuing it was found in CloudTrail's event history")
            // A federated user always has the session policies its call passed: unknown, never none.
            if federated { return federatedUser(facts, why: why) }
            guard messageBlamesIt else {
                return Result(notes: ["Session policies of session \(session) not read: \(why). "
                                      + "Most sessions have none; the verdict assumes none."])
            }
            return Result(unread: [UnreadPolicy(type: .sessionPolicy, name: name, failedRead: failed?.read,
                                                reason: failed?.reason ?? "\(why), and the error message says a session policy decided")])
        }
        let event = "\(issuer["event_name"]?.stringValue ?? "the issuing call") \(issuer["event_id"]?.stringValue ?? "")"
            .trimmingCharacters(in: .whitespaces)
        var result = Result()
        if let document = issuer["policy"], case .object = document {
            result.policies.append(SnapshotPolicy(name: "session policy of \(event)", attachedTo: principal,
                                                  file: "captures.\(issuerCapture).policy", document: document))
        }
        for (index, item) in CapturedAccount.list(captures[managedPoliciesCapture]).enumerated() {
            guard let document = item["document"] else { continue }
            let arn = item["arn"]?.stringValue
            result.policies.append(SnapshotPolicy(name: "managed session policy \(arn?.split(separator: "/").last.map(String.init) ?? "\(index + 1)")",
                                                  arn: arn, attachedTo: principal,
                                                  file: "captures.\(managedPoliciesCapture)[\(index)]", document: document))
        }
        for failed in failedReads.values.sorted(by: { $0.key < $1.key })
        where failed.capture == managedVersionsCapture || failed.capture == managedPoliciesCapture {
            let arn = failed.item.first ?? "?"
            result.unread.append(UnreadPolicy(type: .sessionPolicy, name: "managed session policy \(arn) of \(event)",
                                              failedRead: failed.read, reason: failed.reason))
        }
        if federated {
            result = federatedUser(facts, issuer: issuer, read: result, event: event)
            result.notes.append("Federated user \(session) was made by \(event) (matched on its \(issuer["matched_on"]?.stringValue ?? "?")); "
                                + "its session policies limit it.")
            return result
        }
        let matched = issuer["matched_on"]?.stringValue.map { " (matched on its \($0))" } ?? ""
        if result.policies.isEmpty && result.unread.isEmpty {
            result.notes.append("Session \(session) was issued by \(event)\(matched) without a session policy.")
        } else {
            result.notes.append("Session \(session) was issued by \(event)\(matched) with \(result.policies.count + result.unread.count) session policy(ies); they limit the session.")
        }
        return result
    }
}
