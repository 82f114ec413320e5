import Foundation
import Testing
@testable import WhyDeniedSession

/// Issue 16 §2, "never a dead end": a check that failed on the credentials becomes a
/// `CredentialsCheck` (what is missing in operator words, the profiles to try); other failures
/// do not. The profiles come from `aws configure list-profiles` or, on CLI v1, the CLI's files.
@Suite struct CredentialsCheckTests {
    /// The CLI's real stderr (aws-cli 1.45 here, same text in v2) goes through the one classifier.
    @Test func unableToLocateCredentialsIsMissingCredentials() throws {
        let failure = CommandFailure.classify(
            stderr: "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n",
            exitCode: 255, argv: ["aws", "sts", "get-caller-identity"])
        let check = try #require(CredentialsCheck(after: failure, profile: nil, stepID: "verify_dependencies",
                                                  profiles: ["audit", "dev"]))
        #expect(check.problem == .missing)
        #expect(check.headline.hasPrefix("No AWS credentials: the AWS CLI found none for the default profile"))
        #expect(check.detail.contains("Unable to locate credentials"))
        #expect(check.profiles == ["audit", "dev"])
    }

    @Test func expiredAndUnknownProfileNameTheProfile() throws {
        let expired = CommandFailure.classify(
            stderr: "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired",
            exitCode: 254, argv: ["aws", "sts", "get-caller-identity"])
        let check = try #require(CredentialsCheck(after: expired, profile: "audit", stepID: "s", profiles: []))
        #expect(check.problem == .expired)
        #expect(check.headline == "The AWS credentials of profile audit have expired.")
        #expect(check.remedy.contains("aws sso login --profile audit"))

        let unknown = CommandFailure.classify(stderr: "The config profile (nope) could not be found", exitCode: 255,
                                              argv: ["aws", "sts", "get-caller-identity"])
        #expect(CredentialsCheck(after: unknown, profile: "nope", stepID: "s", profiles: [])?.headline
            == "The AWS CLI has no profile named nope.")
    }

    /// Another profile does not help with a denial, a throttle or an endpoint that is down.
    @Test(arguments: [
        CommandFailure.permissionDenied(action: "sts:GetCallerIdentity", message: "denied"),
        .throttled(message: "Rate exceeded"),
        .endpointUnreachable(detail: "Could not connect to the endpoint URL"),
        .cliMissing(searched: "PATH"),
    ])
    func otherFailuresAreNotACredentialsCheck(failure: CommandFailure) {
        #expect(CredentialsCheck(after: failure, profile: nil, stepID: "s", profiles: ["a"]) == nil)
        #expect(!CredentialsCheck.applies(to: failure))
    }

    @Test func listProfilesIsReadOnlyToTheClassifier() {
        let classification = CommandClassifier.bundled.classify(ConfiguredProfiles.listArgv)
        #expect(!classification.mutates)
    }

    @Test func profilesFromTheListingAndFromTheFiles() throws {
        #expect(ConfiguredProfiles.fromListing("audit\ndev\n\naudit\n") == ["audit", "dev"])
        let config = """
            [default]
            region = us-east-1
            [profile audit]
            sso_session = corp
            [sso-session corp]
            sso_start_url = https://example.awsapps.com/start
            [services local]
            [ profile dev ]
            """
        #expect(ConfiguredProfiles.fromFiles(config: config, credentials: "[ci]\naws_access_key_id = x\n[default]\n")
            == ["default", "audit", "dev", "ci"])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[profile audit]\n[profile dev]\n".write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        #expect(ConfiguredProfiles.fromFiles(environment: ["AWS_CONFIG_FILE": folder.appendingPathComponent("config").path,
                                                           "HOME": folder.path]) == ["audit", "dev"])
        #expect(ConfiguredProfiles.fromFiles(environment: ["HOME": folder.appendingPathComponent("empty").path]).isEmpty)
    }
}
