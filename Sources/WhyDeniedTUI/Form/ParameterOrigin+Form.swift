import WhyDeniedSession

extension ParameterOrigin {
    /// How the form shows where a value came from: `from AWS_REGION`, `default`,
    /// `pasted: error message: 'perform: s3:GetObject'`, `from event 3f1c0b2a: awsRegion` (a CloudTrail
    /// event pasted or loaded from a file, whose origin then names the file).
    public var formText: String {
        switch source {
        case .environment: "from \(detail ?? "the environment")"
        case .defaultValue: detail.map { "pasted: \($0)" } ?? "default"
        case .commandLine: "from the command line"
        case .errorMessage, .decodedMessage: "pasted: \(detail ?? description)"
        case .cloudTrailEvent: "from \(detail ?? description)"
        case .typed, .captured: detail ?? description
        }
    }
}
