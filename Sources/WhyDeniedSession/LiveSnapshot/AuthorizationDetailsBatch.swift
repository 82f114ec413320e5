import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook

/// A batch's identity reads for the principals of one account, through one `aws iam
/// get-account-authorization-details` (the CLI pages it itself: one process) instead of about
/// five reads per principal. Only for an account with more than one user or role in the batch:
/// for one, its own reads are fewer bytes. Each managed policy and boundary the principals need
/// is still read once with `get-policy` (its tags say who owns it; the answer has none), and
/// with `get-policy-version` when the answer does not carry its document (AWS managed policies).
///
/// Whatever is not answered is read the usual way, per principal: the whole account when the
/// read is refused (it needs `iam:GetAccountAuthorizationDetails`, which an operator may lack;
/// said in the notes), a principal or group missing from the answer, a policy read that failed
/// (its own reads record it as unread, as always).
///
/// ```swift
/// let answered = await AuthorizationDetailsBatch.read(principals: arns, effects: { _ in cache }, concurrency: 2) { print($0) }
/// answered.captures["arn:aws:iam::111122223333:role/DataAnalystRole"]?["role_policies"]
/// ```
public enum AuthorizationDetailsBatch {
    public struct Answered: Sendable {
        /// Per principal ARN, what its identity reads would have captured.
        public var captures: [String: [String: JSONValue]] = [:]
        public var notes: [String] = []
    }

    struct Principal {
        var arn: String
        var isUser: Bool
        var name: String
    }

    public static func read(principals: [String], effects: (_ account: String?) -> (any SessionEffects)?, concurrency: Int,
                            progress: @escaping @Sendable (String) -> Void) async -> Answered {
        var byAccount: [(account: String, principals: [Principal])] = []
        for arn in principals {
            guard let identity = PrincipalIdentity(arn: arn), let account = identity.accountId, let name = identity.name,
                  [.iamUser, .role, .assumedRole].contains(identity.kind) else { continue }
            let principal = Principal(arn: arn, isUser: identity.kind == .iamUser, name: name)
            if let index = byAccount.firstIndex(where: { $0.account == account }) {
                byAccount[index].principals.append(principal)
            } else {
                byAccount.append((account, [principal]))
            }
        }
        var answered = Answered()
        for (account, principals) in byAccount {
            // Two sessions of one role are one role: their reads are the same argv, read once anyway.
            guard Set(principals.map { "\($0.isUser)/\($0.name)" }).count > 1, let reads = effects(account) else { continue }
            let outcome = await reads.run(CommandRequest(argv: AccountAuthorizationDetails.argv, timeout: .seconds(300)))
            guard outcome.succeeded else {
                let why = outcome.failure?.operatorMessage ?? "exit status \(GuidedSession.exitStatus(outcome))"
                let refused = if case .permissionDenied? = outcome.failure { true } else { false }
                answered.notes.append("Account \(account): `aws iam get-account-authorization-details` "
                                      + (refused ? "was refused (it needs iam:GetAccountAuthorizationDetails): \(why)" : "failed: \(why)")
                                      + "; each principal's policies were read with its own reads instead.")
                continue
            }
            let details: AccountAuthorizationDetails
            do {
                details = try AccountAuthorizationDetails(parsing: try JSONValue.parse(outcome.stdout))
            } catch {
                answered.notes.append("Account \(account): the answer of `aws iam get-account-authorization-details` could not be read (\(error)); "
                                      + "each principal's policies were read with its own reads instead.")
                continue
            }
            let policies = await managedPolicies(needed: neededPolicies(principals, in: details), details: details,
                                                 reads: reads, concurrency: concurrency)
            for principal in principals {
                let captures = principal.isUser
                    ? IdentityReadCaptures.captures(forUser: principal.name, in: details, managedPolicies: policies)
                    : IdentityReadCaptures.captures(forRole: principal.name, in: details, managedPolicies: policies)
                if let captures {
                    answered.captures[principal.arn] = captures
                } else {
                    progress("\(principal.arn): not all of its policies are in get-account-authorization-details' answer; read with its own reads.")
                }
            }
        }
        return answered
    }

    /// The managed policies and boundaries of the principals found in the answer, each once, in order.
    static func neededPolicies(_ principals: [Principal], in details: AccountAuthorizationDetails) -> [String] {
        var arns: [String] = []
        for principal in principals {
            guard let identity = principal.isUser ? details.users[principal.name] : details.roles[principal.name],
                  let needed = IdentityReadCaptures.managedPolicyArns(of: identity, in: details) else { continue }
            for arn in needed.attached + (needed.boundary.map { [$0] } ?? []) where !arns.contains(arn) { arns.append(arn) }
        }
        return arns
    }

    /// `get-policy` of each (the runbook's own argv, so a principal read per principal in the same
    /// batch reuses it), and `get-policy-version` of those whose document the answer lacks. A
    /// policy whose reads failed is left out: the principals that need it are read per principal.
    static func managedPolicies(needed arns: [String], details: AccountAuthorizationDetails, reads: any SessionEffects,
                                concurrency: Int) async -> [String: IdentityReadCaptures.ManagedPolicyRead] {
        let known = details.policies
        let found = await BoundedConcurrency.map(arns, limit: concurrency) { arn -> IdentityReadCaptures.ManagedPolicyRead? in
            let outcome = await reads.run(CommandRequest(argv: ["aws", "iam", "get-policy", "--policy-arn", arn]))
            guard outcome.succeeded, let policy = (try? JSONValue.parse(outcome.stdout))?["Policy"],
                  let version = policy["DefaultVersionId"]?.stringValue else { return nil }
            if let answer = known[arn], answer.defaultVersionId == version, let document = answer.defaultDocument {
                return IdentityReadCaptures.ManagedPolicyRead(policy: policy, versionId: version, document: document)
            }
            let versionOutcome = await reads.run(CommandRequest(argv: ["aws", "iam", "get-policy-version", "--policy-arn", arn,
                                                                       "--version-id", version]))
            guard versionOutcome.succeeded, let output = try? JSONValue.parse(versionOutcome.stdout),
                  let document = try? PolicyText.document(output["PolicyVersion"]?["Document"], parser: "policy_document",
                                                          field: "PolicyVersion.Document") else { return nil }
            return IdentityReadCaptures.ManagedPolicyRead(policy: policy, versionId: version, document: document)
        }
        var reads: [String: IdentityReadCaptures.ManagedPolicyRead] = [:]
        for (arn, read) in zip(arns, found) { reads[arn] = read }
        return reads
    }
}
