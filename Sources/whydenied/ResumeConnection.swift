import WhyDeniedRunner
import WhyDeniedSession

/// Where `resume --continue` sends the session's remaining commands: exactly where the journal
/// says the session's commands went (its `connection` line: endpoint, profile, region), never
/// anywhere else. An explicit `--endpoint-url` or `--profile` that differs, or an
/// `AWS_ENDPOINT_URL` / `AWS_PROFILE` in the environment that would redirect the CLI, is
/// refused. A journal written before the connection was recorded continues only when the
/// operator says where with `--endpoint-url` or `--profile`.
///
/// ```swift
/// let connection = try ResumeConnection.choose(journaled: recorded.connection, regionParameter: "us-east-1",
///                                              endpointURL: nil, profile: nil, executable: "aws",
///                                              environment: ProcessInfo.processInfo.environment).get()
/// ```
enum ResumeConnection {
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    static func choose(journaled: SessionConnection?, regionParameter: String?, endpointURL: String?, profile: String?,
                       executable: String, environment: [String: String]) -> Result<AWSConnection, Refusal> {
        guard let journaled else {
            guard endpointURL != nil || profile != nil else {
                return .failure(Refusal(description: """
                    this session's journal does not say where its commands went (it was written before whydenied \
                    recorded the endpoint and profile). Say where the remaining commands go: --endpoint-url URL \
                    (a sandbox) or --profile NAME (AWS)
                    """))
            }
            return .success(AWSConnection(executable: executable, profile: profile, region: regionParameter,
                                          endpointURL: endpointURL))
        }
        let newSession = "start a new session with `whydenied run` to go elsewhere"
        if let endpointURL, endpointURL != journaled.endpointURL {
            return .failure(Refusal(description: """
                the session ran against \(SessionConnection.describe(endpoint: journaled.endpointURL)), not \(endpointURL): \
                its remaining commands go there only. Drop --endpoint-url, or \(newSession)
                """))
        }
        if let profile, profile != journaled.profile {
            return .failure(Refusal(description: """
                the session ran with \(journaled.profile.map { "profile \($0)" } ?? "the default credentials"), not profile \
                \(profile): its remaining commands run as before only. Drop --profile, or \(newSession)
                """))
        }
        let connection = AWSConnection(executable: executable, profile: journaled.profile,
                                       region: journaled.region ?? regionParameter, endpointURL: journaled.endpointURL)
        // Options we pass win over the environment; only an unset value can be redirected by it.
        let effective = connection.target(inherited: environment)
        if effective.endpointURL != journaled.endpointURL {
            return .failure(Refusal(description: """
                the session ran against \(SessionConnection.describe(endpoint: journaled.endpointURL)), but AWS_ENDPOINT_URL \
                in this environment would send its commands to \(effective.endpointURL ?? "?"). Unset it, or \(newSession)
                """))
        }
        if effective.profile != journaled.profile {
            return .failure(Refusal(description: """
                the session ran with the default credentials, but AWS_PROFILE in this environment would run its commands \
                as profile \(effective.profile ?? "?"). Unset it, or \(newSession)
                """))
        }
        return .success(connection)
    }
}
