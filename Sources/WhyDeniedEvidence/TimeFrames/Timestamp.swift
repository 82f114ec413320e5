import Foundation

/// Reads and writes the instants that appear in CloudTrail and in what operators type:
/// ISO-8601 with `Z` or an offset (`2021-11-18T09:41:02-08:00`), with or without fractional
/// seconds, the space-separated form some exports use (`2022-12-11 19:42:55`, read as UTC), and
/// epoch seconds or milliseconds.
///
/// ```swift
/// Timestamp.parseISO("2023-06-15T14:00:00Z")          // Date(timeIntervalSince1970: 1686837600)
/// Timestamp.format(Date(timeIntervalSince1970: 0))    // "1970-01-01T00:00:00Z"
/// ```
public enum Timestamp {
    /// Parses an ISO-8601 date-time. A bare date (`2023-06-15`) is midnight UTC. Returns nil for
    /// anything else, including impossible dates such as February 30.
    public static func parseISO(_ text: String) -> Date? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var position = 0
        func number(_ digits: Int) -> Int? {
            guard position + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + digits] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            position += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if position < bytes.count {
            guard bytes[position] == UInt8(ascii: "T") || bytes[position] == UInt8(ascii: "t") || bytes[position] == UInt8(ascii: " ") else { return nil }
            position += 1
            guard let h = number(2), expect(":"), let m = number(2) else { return nil }
            hour = h; minute = m
            if expect(":") {
                guard let s = number(2) else { return nil }
                second = s
                if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    var scale = 0.1
                    let start = position
                    while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                        fraction += Double(bytes[position] - 48) * scale
                        scale /= 10
                        position += 1
                    }
                    guard position > start else { return nil }
                }
            }
            if position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    position += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
                    position += 1
                    guard let offsetHours = number(2) else { return nil }
                    _ = expect(":")
                    let offsetMinutes = number(2) ?? 0
                    guard offsetHours < 24, offsetMinutes < 60 else { return nil }
                    offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
                default:
                    return nil
                }
            }
        }
        guard position == bytes.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Reads epoch seconds (`1686837600`, `1424476529.0`) or, for 13 or more integer digits,
    /// epoch milliseconds (`1686837600000`).
    public static func parseEpoch(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(trimmed), value.isFinite else { return nil }
        let integerDigits = trimmed.prefix(while: { $0 != "." }).count
        return epoch(value, millisecondsIfLarge: integerDigits >= 13)
    }

    /// An epoch number from JSON (lookup-events `EventTime` as printed by older CLIs).
    public static func epoch(_ value: Double, millisecondsIfLarge: Bool = true) -> Date? {
        guard value.isFinite, value >= 0 else { return nil }
        // Up to year ~5000 either way; anything larger is not a timestamp.
        if millisecondsIfLarge, value >= 1e12 { return value < 1e14 ? Date(timeIntervalSince1970: value / 1000) : nil }
        guard value < 1e11 else { return nil }
        return Date(timeIntervalSince1970: value)
    }

    /// `2023-06-15T14:00:00Z`: whole seconds, UTC, the form CloudTrail and the CLI accept.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e14 else { return "(time out of range)" }
        let total = Int(seconds.rounded(.down))
        var days = total / 86_400
        var secondsOfDay = total % 86_400
        if secondsOfDay < 0 { secondsOfDay += 86_400; days -= 1 }
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))Z"
    }

    /// Midnight UTC at the start of the day holding `date`.
    static func startOfUTCDay(_ date: Date) -> Date {
        let seconds = (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: seconds)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar,
    // and free of Calendar/TimeZone state.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
