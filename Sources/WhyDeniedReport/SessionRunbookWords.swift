import WhyDeniedRunbook
import WhyDeniedSession

extension RecordedSession {
    /// The step titles and command words of `runbook` when it is the one this session ran (by
    /// id); nil otherwise, so the ids are shown rather than another runbook's words.
    public func operatorWords(_ runbook: Runbook?) -> OperatorWords? {
        runbook.flatMap { $0.id == self.runbook ? OperatorWords($0) : nil }
    }
}
