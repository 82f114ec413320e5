import Foundation

/// Reads the date forms IAM accepts in Date conditions: ISO 8601 (`2026-11-23`,
/// `2026-11-23T11:20:00Z`, with fractions or a `+01:00` offset) and epoch time in seconds.
///
/// ```swift
/// PolicyDate.epochSeconds("2020-01-01T00:00:00Z")   // 1577836800
/// PolicyDate.epochSeconds("1577836800")             // 1577836800
/// ```
public enum PolicyDate {
    public static func epochSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
           !trimmed.dropFirst().contains("-") {
            return Double(trimmed)
        }
        return iso8601(trimmed)
    }

    static func iso8601(_ text: String) -> Double? {
        let chars = Array(text)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= chars.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                guard let digit = chars[index + offset].wholeNumberValue, chars[index + offset].isASCII else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < chars.count, chars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = 0.0
        var offset = 0
        if index < chars.count, chars[index] == "T" || chars[index] == "t" || chars[index] == " " {
            index += 1
            guard let hour = number(2), expect(":"), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60)
            if expect(":") {
                guard let second = number(2), second < 61 else { return nil }
                seconds += Double(second)
                if expect(".") {
                    var fraction = "0."
                    while index < chars.count, let _ = chars[index].wholeNumberValue {
                        fraction.append(chars[index])
                        index += 1
                    }
                    seconds += Double(fraction) ?? 0
                }
            }
            if index < chars.count {
                if chars[index] == "Z" || chars[index] == "z" {
                    index += 1
                } else if chars[index] == "+" || chars[index] == "-" {
                    let sign = chars[index] == "+" ? 1 : -1
                    index += 1
                    guard let offsetHours = number(2) else { return nil }
                    _ = expect(":")
                    let offsetMinutes = number(2) ?? 0
                    offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
                } else {
                    return nil
                }
            }
        }
        guard index == chars.count else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day) * 86_400) + seconds - Double(offset)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
