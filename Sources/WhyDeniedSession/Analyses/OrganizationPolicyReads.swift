import WhyDeniedAnalysis
import WhyDeniedJSON

/// The service control policies (or, with `.resourceControlPolicies`, the resource control
/// policies) on the principal's account path, from what the runbook's
/// organization reads (step `check_iam`) captured: the organization's management account, the
/// parents from the account up to the root (`organization_parents_N`, an OU while
/// `organization_ou_N` is not empty), the OUs' names, the SCP ids attached at each level and
/// each SCP's document. Levels go root first, then each OU (named by its path, `OU
/// Workloads/Prod (ou-…)`), the account last; each SCP is named with its id (`DenyDeletes
/// (p-4cg0soi8)`, the id also kept as its `arn` for `update-policy`). With
/// `.resourceAccountControlPolicies`, the RCPs on the path of another account that owns the
/// resource, as step `check_resource_account_rcps` captured them (`resource_organization_…`).
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
    /// Whose organization path is walked, and the captures the walk fills: the principal's
    /// account (`check_iam`), or the account that owns a resource in another account
    /// (`check_resource_account_rcps`, fact `resource.other_account`).
    public struct Path: Sendable, Equatable {
        /// The fact naming the account at the bottom of the path.
        let accountFact: String
        /// `describe-organization`'s answer: the principal's step asks it; a snapshot's read of a
        /// resource alone asks it in the resource account's step.
        let management: [String]
        /// `<parents>_N`: the parents at level N (an OU while `<ous>_N` is not empty).
        let parents: String
        let ous: String
        let ouNames: String

        static let principal = Path(accountFact: "principal.account_id", management: ["organization_management_account"],
                                    parents: "organization_parents",
                                    ous: "organization_ou", ouNames: "organization_ou_names")
        static let resourceAccount = Path(accountFact: "resource.other_account",
                                          management: ["organization_management_account", "resource_organization_management_account"],
                                          parents: "resource_organization_parents",
                                          ous: "resource_organization_ou", ouNames: "resource_organization_ou_names")

        /// The captures of the walk from the account up to the root, `describe-organization`'s too:
        /// its failure leaves the policies unknown.
        var captures: Set<String> {
            Set(management + [ouNames]
                + (1...OrganizationPolicyReads.maximumParents).flatMap { ["\(parents)_\($0)", "\(ous)_\($0)"] })
        }
    }

    /// SCPs or RCPs: the same path, their own listings and documents. RCPs restrict the
    /// account's resources (whoever asks); read on the principal's path, they are those of a
    /// resource in the principal's account; `.resourceAccountControlPolicies` are those of a
    /// resource in another account.
    public struct Kind: Sendable, Equatable {
        public let type: PolicyType
        /// "SCP", "RCP".
        public let short: String
        let accountIDs: String
        let parentPairs: String
        let parentIDs: String
        let documents: String
        let path: Path

        public static let serviceControlPolicies = Kind(type: .serviceControlPolicy, short: "SCP", accountIDs: "account_scp_ids",
                                                        parentPairs: "parent_scps", parentIDs: "parent_scp_ids",
                                                        documents: "service_control_policies", path: .principal)
        public static let resourceControlPolicies = Kind(type: .resourceControlPolicy, short: "RCP", accountIDs: "account_rcp_ids",
                                                         parentPairs: "parent_rcps", parentIDs: "parent_rcp_ids",
                                                         documents: "resource_control_policies", path: .principal)
        /// The RCPs on the path of the account that owns the resource, when it is not the
        /// principal's. Its SCPs are not read: SCPs restrict that account's own principals, and
        /// the denied caller is not one of them.
        public static let resourceAccountControlPolicies = Kind(type: .resourceControlPolicy, short: "RCP", accountIDs: "resource_account_rcp_ids",
                                                                parentPairs: "resource_parent_rcps", parentIDs: "resource_parent_rcp_ids",
                                                                documents: "resource_account_control_policies", path: .resourceAccount)

        /// The path's captures and this kind's own: a failed read of any leaves these policies unknown.
        var captures: Set<String> { path.captures.union([accountIDs, parentPairs, parentIDs, documents]) }
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

    /// The runbook captures the organization reads fill; a read of any of them that fails
    /// leaves the SCPs (or RCPs) unknown (see `FailedPolicyRead`).
    static let captures: Set<String> = Kind.serviceControlPolicies.captures.union(Kind.resourceControlPolicies.captures)
        .union(Kind.resourceAccountControlPolicies.captures)

    /// - Parameters:
    ///   - notInUse: `describe-organization` answered AWSOrganizationsNotInUseException.
    ///   - readerAccount: the account of the session's credentials (`get-caller-identity`).
    ///   - kind: SCPs (the default) or RCPs.
    public static func read(_ kind: Kind = .serviceControlPolicies, captures: [String: JSONValue], facts: [String: JSONValue],
                            parameters: [String: String], failedReads: [String: FailedPolicyRead], notInUse: Bool,
                            readerAccount: String?) -> Result {
        guard let account = facts[kind.path.accountFact]?.stringValue, !account.isEmpty else { return Result() }
        let name = UnreadPolicy.organizationPathName(kind.type, of: account)
        // Another account's RCPs are named by that account (the evaluator applies them to its resources).
        let otherAccount = kind.path == .principal ? nil : account
        if let failed = failedReads.values.sorted(by: { $0.key < $1.key }).first(where: { kind.captures.contains($0.capture) }) {
            return Result(unread: UnreadPolicy(type: kind.type, name: name, failedRead: failed.read,
                                               reason: Self.refusal(failed.reason, account: account) + Self.whoMayRead, account: otherAccount))
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
                                                   + "that says nothing of account \(account)'s" + Self.whoMayRead, account: otherAccount))
        }
        guard let management = kind.path.management.lazy.compactMap({ captures[$0]?.stringValue }).first,
              // A runbook without this kind's listings (RCPs are read since issue 14) reads none of them.
              captures[kind.accountIDs] != nil || captures[kind.parentPairs] != nil || kind == .serviceControlPolicies else {
            // Not read (the step was not reached, or its runbook has no organization reads).
            return Result()
        }
        var result = Result(managementAccount: management)
        let ouNames = Dictionary(list(captures[kind.path.ouNames]).compactMap { pair -> (String, String)? in
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
            guard let parent = list(captures["\(kind.path.parents)_\(level)"]).first?.stringValue else { break }
            if list(captures["\(kind.path.ous)_\(level)"]).isEmpty {
                root = parent
                break
            }
            ouPath.append(parent)
        }
        guard let root else {
            result.unread = UnreadPolicy(type: kind.type, name: name,
                                         reason: "the path from account \(account) up to the root was not read to the end (list-parents)",
                                         account: otherAccount)
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
                                                 reason: "its document was not read (describe-policy)", account: otherAccount)
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

    /// Fact `resource.other_account`: the account that owns the resource when it is not the
    /// principal's, from the resource profile's account (`captures.resource_account`) or else the
    /// resource's ARN; none when either side is unknown or both are the same. Learned once the
    /// resource's policy is read (analysis `evaluate_resource_policies`), so that step
    /// `check_resource_account_rcps` walks that account's path.
    public static func resourceAccountFacts(captures: [String: JSONValue], facts: [String: JSONValue]) -> [String: JSONValue] {
        let owner = [captures["resource_account"]?.stringValue, facts["resource.account_id"]?.stringValue]
            .compactMap { $0 }.first { !$0.isEmpty }
        guard let owner, let principal = facts["principal.account_id"]?.stringValue, owner != principal else { return [:] }
        return [Path.resourceAccount.accountFact: .string(owner)]
    }

    /// A refused walk of another account's path says why in the operator's words: AWS answers
    /// ChildNotFoundException (list-parents) or AccountNotFoundException for an account outside
    /// the organization the reads are made in.
    static func refusal(_ reason: String, account: String) -> String {
        guard ["ChildNotFoundException", "AccountNotFoundException", "TargetNotFoundException"].contains(where: reason.contains) else { return reason }
        return "account \(account) is not in the organization the organization reads are made in (\(reason)); "
            + "its RCPs are read in its own organization"
    }

    static let whoMayRead = " (organization reads work only from the management account or a delegated administrator: give the organization profile, --org-profile)"

    static func list(_ value: JSONValue?) -> [JSONValue] { CapturedAccount.list(value) }
}
