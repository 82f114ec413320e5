import WhyDeniedAnalysis
import WhyDeniedJSON

/// The service control policies (or, with `.resourceControlPolicies`, the resource control
/// policies) on the principal's account path, from what the runbook's
/// organization reads (step `check_iam`) captured: the organization's management account, the
/// parents from the account up to the root (`organization_parents_N`, an OU while
/// `organization_ou_N` is not empty), the OUs' names, the SCP ids attached at each level and
/// each SCP's document. Levels go root first, then each OU (named by its path, `OU
/// Workloads/Prod (ou-…)`), the account last; each SCP is named with its id (`DenyDeletes
/// (p-4cg0soi8)`, the id also kept as its `arn` for `update-policy`).
///
/// A read that failed or was refused leaves the SCPs unknown, never absent: one `UnreadPolicy`
/// of type `.serviceControlPolicy` the evaluator resolves with its stand-ins. The one answer
/// that there are none is `AWSOrganizationsNotInUseException` for the principal's own account:
/// credentials of that account, no organization profile.
///
/// ```swift
/// let read = OrganizationPolicyReads.read(captures: engine.captures, facts: engine.facts,
///                                         parameters: engine.parameters, failedReads: failed, notInUse: false,
///                                         readerAccount: "560356375890")
/// read.levels.map(\.target)   // ["r-a9fr", "OU Workloads (ou-a9fr-xzr93qyh)", "account 560356375890"]
/// ```
public enum OrganizationPolicyReads {
    /// SCPs or RCPs: the same path, their own listings and documents. RCPs restrict the
    /// account's resources (whoever asks); read on the principal's path, they are those of a
    /// resource in the principal's account.
    public struct Kind: Sendable, Equatable {
        public let type: PolicyType
        /// "SCP", "RCP".
        public let short: String
        let accountIDs: String
        let parentPairs: String
        let parentIDs: String
        let documents: String

        public static let serviceControlPolicies = Kind(type: .serviceControlPolicy, short: "SCP", accountIDs: "account_scp_ids",
                                                        parentPairs: "parent_scps", parentIDs: "parent_scp_ids",
                                                        documents: "service_control_policies")
        public static let resourceControlPolicies = Kind(type: .resourceControlPolicy, short: "RCP", accountIDs: "account_rcp_ids",
                                                         parentPairs: "parent_rcps", parentIDs: "parent_rcp_ids",
                                                         documents: "resource_control_policies")

        /// The path's captures and this kind's own: a failed read of any leaves these policies unknown.
        var captures: Set<String> { OrganizationPolicyReads.pathCaptures.union([accountIDs, parentPairs, parentIDs, documents]) }
    }

    public struct Result: Sendable, Equatable {
        /// Root first, the account last; empty when there are none or they are unknown.
        public var levels: [OrganizationPolicyLevel] = []
        public var managementAccount: String?
        /// The SCPs could not be read: the evaluator treats them as unknown.
        public var unread: UnreadPolicy?
        public var notes: [String] = []
    }

    /// OUs can nest five deep, so the path has at most six parents above the account.
    static let maximumParents = 6

    /// The captures of the walk from the account up to the root, shared by SCPs and RCPs.
    static let pathCaptures: Set<String> = Set(["organization_management_account", "organization_ou_names"]
        + (1...maximumParents).flatMap { ["organization_parents_\($0)", "organization_ou_\($0)"] })

    /// The runbook captures the organization reads fill; a read of any of them that fails
    /// leaves the SCPs (or RCPs) unknown (see `FailedPolicyRead`).
    static let captures: Set<String> = Kind.serviceControlPolicies.captures.union(Kind.resourceControlPolicies.captures)

    /// - Parameters:
    ///   - notInUse: `describe-organization` answered AWSOrganizationsNotInUseException.
    ///   - readerAccount: the account of the session's credentials (`get-caller-identity`).
    ///   - kind: SCPs (the default) or RCPs.
    public static func read(_ kind: Kind = .serviceControlPolicies, captures: [String: JSONValue], facts: [String: JSONValue],
                            parameters: [String: String], failedReads: [String: FailedPolicyRead], notInUse: Bool,
                            readerAccount: String?) -> Result {
        guard let account = facts["principal.account_id"]?.stringValue else { return Result() }
        let name = UnreadPolicy.organizationPathName(kind.type, of: account)
        if let failed = failedReads.values.sorted(by: { $0.key < $1.key }).first(where: { kind.captures.contains($0.capture) }) {
            return Result(unread: UnreadPolicy(type: kind.type, name: name, failedRead: failed.read,
                                               reason: failed.reason + Self.whoMayRead))
        }
        let orgProfile = parameters["org_profile"].flatMap { $0.isEmpty ? nil : $0 }
        if notInUse {
            let reader = readerAccount
            if orgProfile == nil, reader == account {
                // One note says it for SCPs and RCPs alike.
                return Result(notes: kind == .serviceControlPolicies
                    ? ["Account \(account) is not in an organization (describe-organization: AWSOrganizationsNotInUseException): no SCPs or RCPs apply."] : [])
            }
            let who = orgProfile.map { "profile \($0)" } ?? "account \(reader ?? "?")"
            return Result(unread: UnreadPolicy(type: kind.type, name: name, failedRead: "aws organizations describe-organization",
                                               reason: "AWSOrganizationsNotInUseException: \(who), which made the read, is not in an organization; "
                                                   + "that says nothing of account \(account)'s" + Self.whoMayRead))
        }
        guard let management = captures["organization_management_account"]?.stringValue,
              // A runbook without this kind's listings (RCPs are read since issue 14) reads none of them.
              captures[kind.accountIDs] != nil || captures[kind.parentPairs] != nil || kind == .serviceControlPolicies else {
            // Not read (the step was not reached, or its runbook has no organization reads).
            return Result()
        }
        var result = Result(managementAccount: management)
        let ouNames = Dictionary(list(captures["organization_ou_names"]).compactMap { pair -> (String, String)? in
            guard let id = pair["item"]?.stringValue, let name = pair["value"]?.stringValue else { return nil }
            return (id, name)
        }, uniquingKeysWith: { first, _ in first })
        var policiesByTarget: [String: [String]] = [:]
        for pair in list(captures[kind.parentPairs]) {
            guard let target = pair["item"]?.stringValue, let id = pair["value"]?.stringValue else { continue }
            policiesByTarget[target, default: []].append(id)
        }
        policiesByTarget[account] = list(captures[kind.accountIDs]).compactMap(\.stringValue)
        var documents: [String: (name: String, document: JSONValue, index: Int)] = [:]
        for (index, item) in list(captures[kind.documents]).enumerated() {
            guard let id = item["id"]?.stringValue, let document = item["document"] else { continue }
            documents[id] = (item["name"]?.stringValue ?? id, document, index)
        }

        // Climb: the account's parent, then each OU's, until the root.
        var ouPath: [String] = []   // ids, top-down once reversed
        var root: String?
        for level in 1...maximumParents {
            guard let parent = list(captures["organization_parents_\(level)"]).first?.stringValue else { break }
            if list(captures["organization_ou_\(level)"]).isEmpty {
                root = parent
                break
            }
            ouPath.append(parent)
        }
        guard let root else {
            result.unread = UnreadPolicy(type: kind.type, name: name,
                                         reason: "the path from account \(account) up to the root was not read to the end (list-parents)")
            return result
        }
        ouPath.reverse()
        var targets: [(id: String, display: String)] = [(root, root)]
        for (depth, ou) in ouPath.enumerated() {
            let path = ouPath[...depth].map { ouNames[$0] ?? $0 }.joined(separator: "/")
            targets.append((ou, "OU \(path) (\(ou))"))
        }
        targets.append((account, "account \(account)"))

        for (level, target) in targets.enumerated() {
            // A listing that failed or did not run is a failed read (above): none here means an empty list.
            let ids = policiesByTarget[target.id] ?? []
            var policies: [SnapshotPolicy] = []
            for id in ids {
                guard let found = documents[id] else {
                    result.unread = UnreadPolicy(type: kind.type, name: "\(kind.short) \(id) attached to \(target.display)",
                                                 reason: "its document was not read (describe-policy)")
                    return result
                }
                policies.append(SnapshotPolicy(name: "\(found.name) (\(id))", arn: id, attachedTo: target.display,
                                               file: "captures.\(kind.documents)[\(found.index)]", document: found.document))
            }
            result.levels.append(OrganizationPolicyLevel(level: level, target: target.display, policies: policies))
        }
        // While SCPs are enabled AWS keeps at least one attached to every root, OU and account
        // (DetachPolicy); RCPFullAWSAccess cannot be detached at all: a level without one means
        // the policy type is not enabled, not "deny all".
        if let bare = result.levels.first(where: { $0.policies.isEmpty }) {
            let place = bare.level == 0 ? "root \(bare.target)" : bare.target
            result.notes.append("No \(kind.short) is attached at \(place): \(kind.short)s are not enabled in the organization, so none apply.")
            result.levels = []
        }
        return result
    }

    static let whoMayRead = " (organization reads work only from the management account or a delegated administrator: give the organization profile, --org-profile)"

    static func list(_ value: JSONValue?) -> [JSONValue] { CapturedAccount.list(value) }
}
