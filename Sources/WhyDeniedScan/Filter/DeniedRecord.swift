#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import WhyDeniedJSON

/// One denied event the scanner kept: the record as read, and the columns the table shows.
public struct DeniedRecord: Sendable {
    public let file: String
    public let record: JSONValue

    public var eventID: String { record["eventID"]?.stringValue ?? "-" }
    public var eventTime: String { record["eventTime"]?.stringValue ?? "-" }
    public var errorCode: String { record["errorCode"]?.stringValue ?? "-" }
    public var action: String {
        let source = record["eventSource"]?.stringValue ?? "?"
        let prefix = source.split(separator: ".").first.map(String.init) ?? source
        return "\(prefix):\(record["eventName"]?.stringValue ?? "?")"
    }
    public var principal: String {
        let identity = record["userIdentity"]
        return identity?["arn"]?.stringValue
            ?? identity?["sessionContext"]?["sessionIssuer"]?["arn"]?.stringValue
            ?? identity?["invokedBy"]?.stringValue
            ?? identity?["type"]?.stringValue
            ?? "-"
    }
}

/// Decides, from a record's bytes, whether it is a denial worth keeping. Records without the
/// text `"errorCode"` are dropped without being parsed, which is most of a trail.
enum DenialFilter {
    private static let errorCodeKey = Array("\"errorCode\"".utf8)

    static func denial(in bytes: UnsafeBufferPointer<UInt8>, criteria: ScanCriteria) throws(JSONParseError) -> JSONValue? {
        guard contains(bytes, errorCodeKey) else { return nil }
        let record = try JSONValue.parse(Array(bytes))
        guard let code = record["errorCode"]?.stringValue, ScanCriteria.isDenialCode(code) else { return nil }
        return criteria.accepts(record) ? record : nil
    }

    /// Looks for `needle` by jumping with `memchr` to its rarest byte (the capital `C` of
    /// `"errorCode"`), then comparing around it; quotes are too common in JSON to jump on.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        let anchorOffset = needle.firstIndex(of: UInt8(ascii: "C")) ?? 0
        let anchor = needle[anchorOffset]
        var searchFrom = anchorOffset
        let lastAnchor = haystack.count - (needle.count - anchorOffset)
        while searchFrom <= lastAnchor {
            guard let hit = memchr(base + searchFrom, Int32(anchor), lastAnchor - searchFrom + 1) else { return false }
            let anchorIndex = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            let start = anchorIndex - anchorOffset
            if memcmp(base + start, needle, needle.count) == 0 { return true }
            searchFrom = anchorIndex + 1
        }
        return false
    }
}
