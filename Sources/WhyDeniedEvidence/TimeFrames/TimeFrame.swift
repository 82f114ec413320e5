import Foundation

/// A time range resolved to explicit UTC instants, as the runbook's `time_frame` parameter ends
/// up: every command gets `--start-time`/`--end-time` from it, and the operator sees `display`.
///
/// ```swift
/// let frame = try TimeFrame.parse("last 2h", now: now)
/// frame.display   // "2023-06-15T12:00:00Z → 2023-06-15T14:00:00Z (last 2 hours)"
/// ```
public struct TimeFrame: Sendable, Hashable {
    public let start: Date
    public let end: Date
    /// What the operator typed, described in words (`last 2 hours`, `yesterday (UTC)`).
    public let meaning: String
    /// True when the range starts more than 90 days before `now`: `cloudtrail lookup-events`
    /// cannot see it, so the S3 trail files, CloudWatch Logs or Athena must be used.
    public let exceedsLookupWindow: Bool
    public let warnings: [String]

    public static let lookupWindowDays = 90

    public var startText: String { Timestamp.format(start) }
    public var endText: String { Timestamp.format(end) }
    /// `start,end` in the form `TimeFrame.parse` reads back.
    public var canonical: String { "\(startText),\(endText)" }
    public var display: String { "\(startText) → \(endText) (\(meaning))" }
    public var duration: TimeInterval { end.timeIntervalSince(start) }

    public init(start: Date, end: Date, meaning: String, now: Date) {
        self.start = start
        self.end = end
        self.meaning = meaning
        let windowStart = now.addingTimeInterval(-Double(Self.lookupWindowDays) * 86_400)
        exceedsLookupWindow = start < windowStart
        var warnings: [String] = []
        if exceedsLookupWindow {
            warnings.append("starts more than \(Self.lookupWindowDays) days ago: cloudtrail lookup-events only keeps \(Self.lookupWindowDays) days; use the trail's S3 files, CloudWatch Logs or Athena")
        }
        if end > now.addingTimeInterval(300) {
            warnings.append("ends in the future (now is \(Timestamp.format(now)))")
        }
        self.warnings = warnings
    }

    /// The window of ±`margin` around one instant, e.g. around a denied event's time.
    public static func around(_ instant: Date, margin: TimeInterval = 15 * 60, now: Date) -> TimeFrame {
        TimeFrame(start: instant.addingTimeInterval(-margin), end: instant.addingTimeInterval(margin),
                  meaning: "±\(Self.describe(margin)) around \(Timestamp.format(instant))", now: now)
    }

    static func describe(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds) seconds" }
        let units: [(Double, String)] = [(604_800, "week"), (86_400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]
        for (size, name) in units where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            let count = Int(seconds / size)
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(Int(seconds)) seconds"
    }
}

/// Why a time frame could not be read, with the forms that are accepted.
public struct TimeFrameError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String

    public static let acceptedForms = "`2023-06-15T14:00:00Z,2023-06-15T16:00:00Z`, `1 hour ago`, `a day ago`, `last 2h`, `30m`, `yesterday`, `today`, an ISO time, or epoch seconds/milliseconds"

    public var description: String { "time frame \"\(input)\": \(reason). Accepted: \(Self.acceptedForms)" }
}

extension TimeFrame {
    /// Reads a time frame relative to `now` (passed in, so the result is reproducible):
    ///
    /// - `2023-06-15T14:00:00Z,2023-06-15T16:00:00Z` (also `start..end`, `start to end`, epoch pairs)
    /// - `1 hour ago`, `a day ago`, `3 days ago`: from then until now
    /// - `last 2h`, `past 30 minutes`, `30m`, `2d`, `1w`: the same
    /// - `yesterday`, `today`: UTC calendar days (today ends now)
    /// - one instant (ISO time, epoch seconds or milliseconds): ±15 minutes around it
    public static func parse(_ text: String, now: Date) throws(TimeFrameError) -> TimeFrame {
        let input = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ reason: String) -> TimeFrameError { TimeFrameError(input: input, reason: reason) }
        guard !input.isEmpty else { throw fail("it is empty") }
        guard input.count <= 200 else { throw fail("it is \(input.count) characters long") }
        let lowered = input.lowercased()

        // Two instants.
        for separator in [",", "..", " to ", " - ", "/"] where lowered.contains(separator) {
            // An ISO time contains '-' and ':' but never " - "; '/' only splits ISO intervals.
            let parts = lowered.components(separatedBy: separator)
            guard parts.count == 2 else { continue }
            guard let start = instant(parts[0]) else { throw fail("the start \"\(parts[0].trimmingCharacters(in: .whitespaces))\" is not a time") }
            guard let end = instant(parts[1]) else { throw fail("the end \"\(parts[1].trimmingCharacters(in: .whitespaces))\" is not a time") }
            guard start < end else { throw fail("the start is not before the end") }
            return TimeFrame(start: start, end: end, meaning: "as given", now: now)
        }

        switch lowered {
        case "yesterday":
            let today = Timestamp.startOfUTCDay(now)
            return TimeFrame(start: today.addingTimeInterval(-86_400), end: today, meaning: "yesterday (UTC)", now: now)
        case "today":
            return TimeFrame(start: Timestamp.startOfUTCDay(now), end: now, meaning: "today (UTC) until now", now: now)
        case "now":
            return around(now, now: now)
        default:
            break
        }

        if let single = instant(lowered) {
            return around(single, now: now)
        }
        if let duration = try relativeDuration(lowered, fail: fail) {
            return TimeFrame(start: now.addingTimeInterval(-duration), end: now, meaning: "last \(describe(duration))", now: now)
        }
        throw fail("it is neither a range, a relative time, nor a timestamp")
    }

    /// An ISO time or epoch number.
    static func instant(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return Timestamp.parseISO(trimmed.uppercased()) ?? Timestamp.parseEpoch(trimmed)
    }

    /// `1 hour ago`, `a day ago`, `last 2h`, `past 30 minutes`, `30m`, `2 days`: the length in
    /// seconds. Nil when the text is not of that shape.
    static func relativeDuration(_ text: String, fail: (String) -> TimeFrameError) throws(TimeFrameError) -> TimeInterval? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var marked = false
        if words.last == "ago" { words.removeLast(); marked = true }
        if let first = words.first, ["last", "past", "previous", "within"].contains(first) {
            words.removeFirst()
            marked = true
        }
        guard !words.isEmpty, words.count <= 2 else { return nil }
        var amountText: String
        var unitText: String
        if words.count == 2 {
            amountText = words[0]
            unitText = words[1]
        } else {
            // `2h`, `30m`, `90min`, or a bare unit after `last` (`last hour`).
            let word = words[0]
            let digits = word.prefix(while: { $0.isNumber || $0 == "." })
            amountText = String(digits)
            unitText = String(word.dropFirst(digits.count))
            guard unitText.allSatisfy(\.isLetter) else { return nil }
            if amountText.isEmpty {
                guard marked else { return nil }
                amountText = "1"
            }
        }
        if amountText == "a" || amountText == "an" || amountText == "one" { amountText = "1" }
        guard let unit = unitSeconds(unitText) else {
            if marked || Double(amountText) != nil, !unitText.isEmpty { throw fail("\"\(unitText)\" is not a unit (use s, m, h, d, w, months or years)") }
            return nil
        }
        guard let amount = Double(amountText), amount.isFinite else {
            if marked { throw fail("\"\(amountText)\" is not a number") }
            return nil
        }
        guard amount > 0 else { throw fail("the length must be more than zero") }
        let seconds = amount * unit
        guard seconds <= 10 * 365 * 86_400 else { throw fail("it reaches back more than ten years") }
        return seconds
    }

    static func unitSeconds(_ unit: String) -> TimeInterval? {
        switch unit {
        case "s", "sec", "secs", "second", "seconds": return 1
        case "m", "min", "mins", "minute", "minutes": return 60
        case "h", "hr", "hrs", "hour", "hours": return 3600
        case "d", "day", "days": return 86_400
        case "w", "wk", "wks", "week", "weeks": return 604_800
        case "mo", "month", "months": return 30 * 86_400
        case "y", "yr", "yrs", "year", "years": return 365 * 86_400
        default: return nil
        }
    }
}
