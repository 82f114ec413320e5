import Foundation

/// Reads the operator's time frame (`1 hour ago`, `last 30 minutes`, `2h`,
/// `2023-06-15T14:00:00Z,2023-06-15T16:00:00Z`) into a UTC range so the form can show exactly
/// which window the event lookup will search.
///
/// ```swift
/// TimeFrameText.resolve("1 hour ago", now: now) // .success(now-3600 ... now)
/// ```
public enum TimeFrameText {
    public static func resolve(_ text: String, now: Date) -> Result<ClosedRange<Date>, FieldProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains(",") {
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { return .failure(FieldProblem("expected START,END")) }
            guard let start = instant(parts[0]) else {
                return .failure(FieldProblem("start \"\(parts[0])\" is not an ISO 8601 time"))
            }
            guard let end = instant(parts[1]) else {
                return .failure(FieldProblem("end \"\(parts[1])\" is not an ISO 8601 time"))
            }
            guard start < end else { return .failure(FieldProblem("start must be before end")) }
            return .success(start...end)
        }
        if let start = instant(trimmed) {
            guard start < now else { return .failure(FieldProblem("time is in the future")) }
            return .success(start...now)
        }
        guard let seconds = relativeSeconds(trimmed.lowercased()) else {
            return .failure(FieldProblem("use e.g. \"1 hour ago\", \"2d\" or START,END in ISO 8601"))
        }
        guard seconds > 0 else { return .failure(FieldProblem("the window must be longer than zero")) }
        return .success(now.addingTimeInterval(-seconds)...now)
    }

    /// `2023-06-15T14:00:00Z` style, always UTC.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    private static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static let units: [(names: [String], seconds: Double)] = [
        (["s", "sec", "secs", "second", "seconds"], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["d", "day", "days"], 86_400),
        (["w", "week", "weeks"], 604_800),
    ]

    private static func relativeSeconds(_ text: String) -> Double? {
        var words = text.split(separator: " ").map(String.init)
        if words.last == "ago" { words.removeLast() }
        if words.first == "last" || words.first == "past" { words.removeFirst() }
        var number: Double
        var unit: String
        switch words.count {
        case 1:
            // "2h", "30m", or just "hour" after "last"
            let word = words[0]
            let digits = word.prefix(while: { $0.isNumber })
            if digits.isEmpty {
                number = 1
                unit = word
            } else {
                guard let n = Double(digits) else { return nil }
                number = n
                unit = String(word.dropFirst(digits.count))
            }
        case 2:
            guard let n = Double(words[0]) ?? (words[0] == "an" || words[0] == "a" ? 1 : nil) else { return nil }
            number = n
            unit = words[1]
        default:
            return nil
        }
        guard let match = units.first(where: { $0.names.contains(unit) }) else { return nil }
        return number * match.seconds
    }
}

/// Why a value is not acceptable, in words the operator can act on.
public struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
