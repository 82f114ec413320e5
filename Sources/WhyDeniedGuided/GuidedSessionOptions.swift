import WhyDeniedRunner
import WhyDeniedSession

/// How a guided session starts: prefilled parameters and where `aws` commands go.
///
/// ```swift
/// var options = GuidedSessionOptions(prefill: ["region": "us-east-1"], endpointURL: sandbox.endpointURL, sandbox: true)
/// ```
package struct GuidedSessionOptions: Sendable {
    package var prefill: [String: String] = [:]
    package var endpointURL: String?
    package var sandbox = false
    /// Set when SIGTERM, SIGHUP or SIGINT ends the session; the journal's end names it.
    package var interruption: SessionInterruption?
    /// `--replay`: the recorded runs that answer every command; nothing is started.
    package var replay: [RunRecord]?

    package init(prefill: [String: String] = [:], endpointURL: String? = nil, sandbox: Bool = false) {
        self.prefill = prefill
        self.endpointURL = endpointURL
        self.sandbox = sandbox
    }
}
