/// Client-side pacing: how long to wait so two starts of the same operation are at least
/// `minimumInterval` apart (CloudTrail LookupEvents allows 2 requests per second per account and
/// Region). Pure; the runner keeps the last start instants.
///
/// ```swift
/// RequestPacer.wait(minimumInterval: .milliseconds(500), sinceLastStart: .milliseconds(200))
/// // .milliseconds(300)
/// ```
public enum RequestPacer {
    public static func wait(minimumInterval: Duration, sinceLastStart: Duration?) -> Duration {
        guard let sinceLastStart else { return .zero }
        return sinceLastStart >= minimumInterval ? .zero : minimumInterval - sinceLastStart
    }

    /// Known per-operation limits applied even when the runbook does not say.
    public static func defaultInterval(for argv: [String]) -> Duration? {
        let words = argv.filter { !$0.hasPrefix("-") }
        if words.count >= 3, words[1] == "cloudtrail", words[2] == "lookup-events" { return .milliseconds(500) }
        return nil
    }
}
