import Foundation
import WhyDeniedEvidence

/// Reads pasted text (an authorization error message or CloudTrail content) into parameter
/// values, each with where it came from, and the pasted denial as the parser read it (what the
/// performer answers `Effect.parsePastedText` with).
public enum PastedEvidence {
    public static func read(_ text: String, now: Date = Date()) -> Message {
        let prefill = Prefill.from(text: text, now: now)
        if prefill.parameters.isEmpty {
            return .prefillFailed(prefill.problems.isEmpty ? "nothing recognisable in the pasted text"
                                                            : prefill.problems.joined(separator: "; "))
        }
        return .prefillReady(prefill.parameters, denial: prefill.denial)
    }
}
