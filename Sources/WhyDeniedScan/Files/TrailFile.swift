import Foundation

/// One trail log file found on disk, with the day its path says it covers (S3 delivery layout
/// `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/…`, or the `_YYYYMMDDTHHMMZ_` in its name).
public struct TrailFile: Sendable, Hashable {
    public let path: String
    /// Midnight UTC of the day in the path, when the path names one.
    public let day: Date?

    public init(path: String) {
        self.path = path
        self.day = TrailFile.day(inPath: path)
    }

    /// Whether a file of this day can hold events between `since` and `until`. Files without a
    /// day in their path are always read. A day is kept when any of its 24 hours overlaps the range.
    public func mayOverlap(since: Date?, until: Date?) -> Bool {
        guard let day else { return true }
        let dayEnd = day.addingTimeInterval(86_400)
        if let since, dayEnd <= since { return false }
        if let until, day > until { return false }
        return true
    }

    static func day(inPath path: String) -> Date? {
        let parts = path.split(separator: "/").map(String.init)
        // …/YYYY/MM/DD/file: the three folders before the file name.
        if parts.count >= 4 {
            let year = parts[parts.count - 4], month = parts[parts.count - 3], dayPart = parts[parts.count - 2]
            if year.count == 4, month.count == 2, dayPart.count == 2,
               let y = Int(year), let m = Int(month), let d = Int(dayPart) {
                return makeDay(y, m, d)
            }
        }
        // <account>_CloudTrail_<region>_20240730T2130Z_<random>.json.gz
        if let name = parts.last {
            for piece in name.split(separator: "_") where piece.count == 14 && piece.hasSuffix("Z") && piece.dropFirst(8).first == "T" {
                let digits = piece.prefix(8)
                if let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2)) {
                    return makeDay(y, m, d)
                }
            }
        }
        return nil
    }

    private static func makeDay(_ year: Int, _ month: Int, _ day: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), year > 1990 else { return nil }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}

/// Finds trail files under the paths an operator names: files as given, folders walked
/// recursively for `.json` and `.json.gz`, in a stable (sorted) order.
public enum TrailFileFinder {
    public struct FindError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path): no such file or folder" }
    }

    public static func files(in paths: [String], since: Date? = nil, until: Date? = nil) throws(FindError) -> (kept: [TrailFile], pruned: Int) {
        var found: [TrailFile] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw FindError(path: path) }
            if !isDirectory.boolValue {
                found.append(TrailFile(path: path))
                continue
            }
            var inFolder: [String] = []
            if let walker = manager.enumerator(atPath: path) {
                while let relative = walker.nextObject() as? String {
                    if relative.hasSuffix(".json.gz") || relative.hasSuffix(".json") || relative.hasSuffix(".jsonl") {
                        inFolder.append((path as NSString).appendingPathComponent(relative))
                    }
                }
            }
            found.append(contentsOf: inFolder.sorted().map(TrailFile.init(path:)))
        }
        let kept = found.filter { $0.mayOverlap(since: since, until: until) }
        return (kept, found.count - kept.count)
    }
}
