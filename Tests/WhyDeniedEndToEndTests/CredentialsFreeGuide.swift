import Foundation
import WhyDeniedSandbox
import WhyDeniedTestSupport

/// `whydenied guide` in tmux with no credentials anywhere: HOME is `home`, the CLI config holds
/// `config` (profiles without keys), every AWS_* credential variable of the test's own
/// environment is unset, and the endpoint is a closed loopback port, so nothing leaves the
/// machine (the CLI fails on the credentials before it connects).
enum CredentialsFreeGuide {
    static func start(home: URL, config: String, width: Int, height: Int) throws -> TmuxSession {
        let configFile = home.appendingPathComponent("aws-config")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let closedPort = try LoopbackPort.free()
        let environment = [
            "HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path, "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": configFile.path, "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("no-credentials").path,
            "AWS_PAGER": "",
        ]
        let unset = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                     "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                     "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"]
        let arguments = ["env"] + unset.flatMap { ["-u", $0] }
            + [GuidedBinary.path, "guide", "--endpoint-url", "http://127.0.0.1:\(closedPort)", "--region", "us-east-1",
               "--param", "principal=DataAnalystRole", "--param", "time_frame=1 hour ago"]
        return try TmuxSession(command: arguments, width: width, height: height, environment: environment)
    }
}
