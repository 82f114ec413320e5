import Testing
import WhyDeniedEvidence
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// A denied sts:AssumeRole known from the pasted message alone. The role's trust policy is the
/// resource side and must allow the caller itself, even in the same account (IAM User Guide,
/// "Policy evaluation logic": role trust policies and KMS key policies are the exceptions where an
/// identity-policy Allow is not enough). The fix names exactly the caller and keeps the
/// trust policy's statements.
@Suite struct TrustPolicyRecommendTests {
    static let account = "123456789012"
    static let role = "arn:aws:iam::123456789012:role/DeployRole"
    static let user = "arn:aws:iam::123456789012:user/ci-deployer"
    static let session = "arn:aws:sts::123456789012:assumed-role/BuildRole/build-42"
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Sid":"TrustReleaseManagers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ReleaseManagerRole"},"Action":"sts:AssumeRole"}]}"#
    static let mayAssume = #"{"Version":"2012-10-17","Statement":[{"Sid":"AssumeDeploy","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/DeployRole"}]}"#

    /// The message STS returns, for a user caller and for a role session (role chaining).
    static func message(caller: String) -> String {
        "User: \(caller) is not authorized to perform: sts:AssumeRole on resource: \(role)"
    }

    func analyse(caller: String, trustPolicy: String = trust, identityPolicy: String? = mayAssume) throws -> EventAnalysis {
        let text = Self.message(caller: caller)
        let parsed = try #require(AuthorizationErrorParser.parseIfAuthorizationError(text))
        #expect(parsed.principal?.arn == caller)
        #expect(parsed.action == "sts:AssumeRole")
        #expect(parsed.resource == Self.role)
        let reported = ReportedRequest(principalArn: try #require(parsed.principal?.arn), action: "sts:AssumeRole",
                                       resourceArn: parsed.resource, region: "us-east-1", message: parsed)
        let holder = caller.contains(":assumed-role/") ? "arn:aws:iam::123456789012:role/BuildRole" : caller
        let snapshot = AccountSnapshot(
            accountId: Self.account,
            principals: [SnapshotPrincipal(arn: holder, policies: identityPolicy.map { [SnapshotBuilder.policy("AssumeDeployRole", $0, attachedTo: holder)] } ?? [])],
            resourcePolicies: [SnapshotResourcePolicy(resourceArn: Self.role, kind: .roleTrustPolicy,
                                                      policy: SnapshotBuilder.policy("trust policy of DeployRole", trustPolicy, attachedTo: Self.role))])
        let denied = try DeniedRequest(reported: reported, catalog: .bundled)
        return DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot)).analyse(denied, errorMessage: text)
    }

    @Test(arguments: [user, session])
    func theTrustPolicyIsTheMissingSideAndTheFixNamesExactlyTheCaller(caller: String) throws {
        let analysis = try analyse(caller: caller)
        #expect(analysis.decision == .implicitDeny)
        let blocked = try #require(analysis.deciding?.result.blockedBy)
        // The identity side allows; only the trust policy is missing an Allow.
        #expect(blocked.map(\.policyType) == [.roleTrustPolicy], "\(blocked)")
        #expect(analysis.deciding?.result.deciding.summary.contains("trust policy") == true,
                "\(String(describing: analysis.deciding?.result.deciding.summary))")

        let fix = try #require(analysis.fix)
        #expect(fix.kind == .addAllow)
        let add = try #require(fix.policiesToAdd.first)
        #expect(add.target == .roleTrustPolicy)
        #expect(add.attachmentTargetArn == Self.role)
        #expect(add.policyName == "trust policy of DeployRole")
        let statement = try #require(add.policy["Statement"]?[0])
        // A session is trusted through its role: naming the role keeps working for new sessions.
        let trusted = caller == Self.user ? Self.user : "arn:aws:iam::123456789012:role/BuildRole"
        #expect(statement["Principal"] == .object(JSONObject([("AWS", .string(trusted))])))
        // Why the principal: a session's reason speaks of its role; a user's has no session to speak of.
        let why = try #require(add.reasons.first { $0.element.hasSuffix(".Principal.AWS") }?.reason)
        #expect(why.contains("session") == (caller == Self.session), "\(why)")
        #expect(statement["Action"]?.stringValue == "sts:AssumeRole")
        // A trust policy governs its own role: IAM rejects a Resource element in it.
        #expect(statement["Resource"] == nil, "\(statement)")
        #expect(!add.reasons.contains { $0.element.hasSuffix(".Resource") })

        // The whole trust policy after the change: the old statement kept, the caller's added.
        let replacement = try #require(add.replacementDocument)
        let sids = (replacement["Statement"]?.arrayValue ?? []).compactMap { $0["Sid"]?.stringValue }
        #expect(sids == ["TrustReleaseManagers", statement["Sid"]?.stringValue].compactMap { $0 })
        #expect(replacement["Statement"]?.arrayValue?.allSatisfy { $0["Resource"] == nil } == true)

        // The command writes that whole document.
        let command = try #require(fix.commands.first)
        #expect(Array(command.argv.prefix(5)) == ["aws", "iam", "update-assume-role-policy", "--role-name", "DeployRole"])
        #expect(try JSONValue.parse(command.argv[6]) == replacement)
    }

    @Test func withTheFixInPlaceTheRequestIsAllowed() throws {
        let analysis = try analyse(caller: Self.user)
        let replacement = try #require(analysis.fix?.policiesToAdd.first?.replacementDocument)
        let fixed = try analyse(caller: Self.user, trustPolicy: replacement.serialized())
        #expect(fixed.decision == .allowed)
    }

    @Test func inOneAccountATrustPolicyNamingTheCallerIsEnoughWithoutAnIdentityAllow() throws {
        // The other direction of the same rule: a resource-side Allow naming the user grants
        // within the account, while an identity-side Allow alone (above) does not.
        let trusting = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ci-deployer"},"Action":"sts:AssumeRole"}]}"#
        #expect(try analyse(caller: Self.user, trustPolicy: trusting, identityPolicy: nil).decision == .allowed)
        #expect(try analyse(caller: Self.user, identityPolicy: nil).decision == .implicitDeny)
    }
}
