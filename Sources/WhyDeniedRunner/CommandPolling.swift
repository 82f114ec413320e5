import Foundation
import WhyDeniedJSON
import WhyDeniedSession

extension AWSCommandRunner {
    /// Runs `request` again and again (without its `polling`, so retries, pacing and time limits
    /// apply to each run) until the value at `poll.select` is terminal, pausing between runs as
    /// `PollRequest.pause(beforeAttempt:)` says. The outcome is the last run's, with every
    /// process start counted; a terminal state in `failOn`, an answer without the value, or
    /// running out of attempts make it a failure with the reason the operator needs.
    func runPolling(_ request: CommandRequest, poll: PollRequest,
                    sleep: @Sendable (Duration) async -> Void) async -> CommandOutcome {
        var single = request
        single.polling = nil
        var attempts = 0
        var milliseconds = 0
        var waited = Duration.zero
        var last: CommandOutcome?
        for attempt in 1...poll.maxAttempts {
            if attempt > 1 {
                if Task.isCancelled { break }
                let pause = poll.pause(beforeAttempt: attempt)
                await sleep(pause)
                waited += pause
            }
            var outcome = await run(single)
            attempts += outcome.attempts
            milliseconds += outcome.durationMilliseconds
            outcome.attempts = attempts
            outcome.durationMilliseconds = milliseconds
            if outcome.failure != nil { return outcome }
            guard let answer = try? JSONValue.parse(outcome.stdout),
                  let state = poll.select.select(in: answer).flatMap(Self.text) else {
                outcome.failure = .failed(code: nil, message: "the answer has no \(poll.select) to poll on")
                return outcome
            }
            if poll.until.contains(state) {
                if poll.failOn.contains(state) {
                    let reason = poll.reason.flatMap { $0.select(in: answer) }.flatMap(Self.text) ?? "no reason given"
                    outcome.failure = .failed(code: state, message: "ended \(state): \(reason)")
                }
                return outcome
            }
            last = outcome
            last?.failure = .failed(code: nil, message: "still \(state) after \(attempt) checks over \(Self.seconds(waited)) s; " +
                                    "it may finish later: run this command again to keep waiting")
        }
        guard var outcome = last else {
            return CommandOutcome(argv: ["aws"] + request.argv.dropFirst(), ending: .cancelled, attempts: attempts, failure: .cancelled)
        }
        if Task.isCancelled { outcome.failure = .cancelled }
        return outcome
    }

    private static func text(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return value.scalarText
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// Pages merged on a nested list (Athena's `ResultSet.Rows`): that list is concatenated across
/// pages, everything else comes from the first page; without a path, `PageMerger.merge`.
enum PagedItems {
    static func merge(_ pages: [JSONValue], tokenField: String, itemsPath: JSONPath?) -> JSONValue {
        guard let itemsPath, let first = pages.first, case .object(var merged) = first,
              let keys = Self.keys(itemsPath), !keys.isEmpty else {
            return PageMerger.merge(pages, tokenField: tokenField)
        }
        var items: [JSONValue] = []
        for page in pages { items += itemsPath.select(in: page)?.arrayValue ?? [] }
        merged = Self.setting(.array(items), at: keys[...], in: merged)
        merged[tokenField] = nil
        return .object(merged)
    }

    private static func keys(_ path: JSONPath) -> [String]? {
        var keys: [String] = []
        for component in path.components {
            guard case .key(let key) = component else { return nil }
            keys.append(key)
        }
        return keys
    }

    private static func setting(_ value: JSONValue, at keys: ArraySlice<String>, in object: JSONObject) -> JSONObject {
        var object = object
        guard let key = keys.first else { return object }
        if keys.count == 1 {
            object[key] = value
        } else {
            let inner = object[key]?.objectValue ?? JSONObject()
            object[key] = .object(setting(value, at: keys.dropFirst(), in: inner))
        }
        return object
    }
}
