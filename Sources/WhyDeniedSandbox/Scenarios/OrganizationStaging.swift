import Foundation
import WhyDeniedJSON
import WhyDeniedRunner

/// An organization in the sandbox for the SCP scenarios: the sandbox's own account
/// (123456789012) creates it and so is its management account, which SCPs never restrict; the
/// denied principal lives in a member account made with `create-account`, inside OU
/// Workloads/Prod. moto keeps SCPs in its organization model only (it enforces no policy), so the
/// denial itself is staged as the error message AWS prints.
///
/// The member account is reached as AWS does it, through `sts assume-role` of
/// OrganizationAccountAccessRole; its temporary keys become profile `sandbox-member` in the
/// sandbox's own credentials file, and the session runs as that profile while the organization
/// reads run as `default` (the management account's dummy keys): `--profile sandbox-member
/// --org-profile default`.
///
/// ```swift
/// let org = try await seeder.stageOrganization()
/// try await org.member.run(["aws", "iam", "create-user", "--user-name", "erin"])
/// ```
public struct StagedOrganization: Sendable {
    public static let memberProfile = "sandbox-member"
    public static let managementProfile = "default"

    public var rootId: String
    public var workloadsOU: String
    public var prodOU: String
    public var memberAccount: String
    /// A seeder whose commands run in the member account.
    public var member: ScenarioSeeder
}

extension ScenarioSeeder {
    func stageOrganization() async throws -> StagedOrganization {
        try await run(["aws", "organizations", "create-organization", "--feature-set", "ALL"])
        let roots = try await run(["aws", "organizations", "list-roots"])
        let root = try Self.field(roots["Roots"]?[0]?["Id"], "Roots[0].Id", of: ["aws", "organizations", "list-roots"])
        let workloads = try await createOU("Workloads", under: root)
        let prod = try await createOU("Prod", under: workloads)
        let created = try await run(["aws", "organizations", "create-account", "--email", "workloads-prod@example.com",
                                     "--account-name", "workloads-prod"])
        let account = try Self.field(created["CreateAccountStatus"]?["AccountId"], "CreateAccountStatus.AccountId",
                                     of: ["aws", "organizations", "create-account"])
        try await run(["aws", "organizations", "move-account", "--account-id", account, "--source-parent-id", root,
                       "--destination-parent-id", prod])
        let assumeArgv = ["aws", "sts", "assume-role", "--role-arn", "arn:aws:iam::\(account):role/OrganizationAccountAccessRole",
                          "--role-session-name", "whydenied-sandbox"]
        let assumed = try await run(assumeArgv)
        let credentials = assumed["Credentials"]
        let key = try Self.field(credentials?["AccessKeyId"], "Credentials.AccessKeyId", of: assumeArgv)
        let secret = try Self.field(credentials?["SecretAccessKey"], "Credentials.SecretAccessKey", of: assumeArgv)
        let token = try Self.field(credentials?["SessionToken"], "Credentials.SessionToken", of: assumeArgv)
        // The sandbox's credentials file (moto's dummy keys only); the profile points at the member account.
        let credentialsFile = workDirectory.appendingPathComponent("credentials")
        let existing = (try? String(contentsOf: credentialsFile, encoding: .utf8)) ?? ""
        try (existing + "\n[\(StagedOrganization.memberProfile)]\naws_access_key_id = \(key)\naws_secret_access_key = \(secret)\naws_session_token = \(token)\n")
            .write(to: credentialsFile, atomically: true, encoding: .utf8)
        var connection = await runner.connection
        connection.profile = StagedOrganization.memberProfile
        let member = ScenarioSeeder(runner: runner.connected(to: connection), workDirectory: workDirectory, now: now,
                                    deliversEvents: deliversEvents, progress: progress)
        return StagedOrganization(rootId: root, workloadsOU: workloads, prodOU: prod, memberAccount: account, member: member)
    }

    /// `create-policy` of an SCP, returning its id (`p-…`).
    func createServiceControlPolicy(_ name: String, content: String) async throws -> String {
        let argv = ["aws", "organizations", "create-policy", "--name", name, "--description", name,
                    "--type", "SERVICE_CONTROL_POLICY", "--content", content]
        return try Self.field(try await run(argv)["Policy"]?["PolicySummary"]?["Id"], "Policy.PolicySummary.Id", of: argv)
    }

    /// A user in the member account whose own policy allows `actions` on the bucket, and the bucket.
    static func stageMemberUser(_ member: ScenarioSeeder, user: String, bucket: String, actions: [String]) async throws {
        try await member.run(["aws", "iam", "create-user", "--user-name", user])
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        let arn = try await member.createManagedPolicy("ReleaseBucketAccess", document: """
            {"Version":"2012-10-17","Statement":[{"Sid":"ReleaseBucket","Effect":"Allow","Action":[\(list)],"Resource":["arn:aws:s3:::\(bucket)","arn:aws:s3:::\(bucket)/*"]}]}
            """)
        try await member.run(["aws", "iam", "attach-user-policy", "--user-name", user, "--policy-arn", arn])
        try await member.run(["aws", "s3api", "create-bucket", "--bucket", bucket])
    }

    private func createOU(_ name: String, under parent: String) async throws -> String {
        let argv = ["aws", "organizations", "create-organizational-unit", "--parent-id", parent, "--name", name]
        return try Self.field(try await run(argv)["OrganizationalUnit"]?["Id"], "OrganizationalUnit.Id", of: argv)
    }

    static func field(_ value: JSONValue?, _ path: String, of argv: [String]) throws -> String {
        guard let text = value?.stringValue, !text.isEmpty else {
            throw SandboxError.seedFailed(command: argv, message: "no \(path) in the answer")
        }
        return text
    }
}
