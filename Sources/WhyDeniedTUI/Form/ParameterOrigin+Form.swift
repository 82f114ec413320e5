import WhyDeniedSession

extension ParameterOrigin {
    /// How the form shows where a value came from: `from AWS_REGION`, `default`,
    /// `pasted: error message: 'perform: s3:GetObject'`.
    public var formText: String {
        switch source {
        case .environment: "from \(detail ?? "the environment")"
        case .defaultValue: detail.map { "pasted: \($0)" } ?? "default"
        case .commandLine: "from the command line"
        case .errorMessage, .cloudTrailEvent, .decodedMessage: "pasted: \(detail ?? description)"
        case .typed, .captured: detail ?? description
        }
    }
}
