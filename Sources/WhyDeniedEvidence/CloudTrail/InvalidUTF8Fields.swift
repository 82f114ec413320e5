import WhyDeniedJSON

/// Invalid UTF-8 inside a record is replaced by U+FFFD when its JSON is read. A key so changed
/// no longer names its field (`bucket\u{FFFD}Name` is not `bucketName`, so the bucket is not
/// read), and a value so changed is not what was sent. Each such key and value becomes a note
/// naming the record and the field, so nothing is dropped without a word.
///
/// ```swift
/// InvalidUTF8Fields.notes(in: result)
/// // ["trail.json, record 0, line 1: invalid UTF-8 in the key \"bucket�Name\" of requestParameters …"]
/// ```
enum InvalidUTF8Fields {
    /// At most this many notes; the rest are counted.
    static let maximumNotes = 20

    static func notes(in result: CloudTrailReadResult) -> [String] {
        var notes: [String] = []
        var more = 0
        for (event, position) in zip(result.events, result.positions) {
            for place in places(in: event.raw, path: "") {
                if notes.count < maximumNotes { notes.append("\(position): \(place)") } else { more += 1 }
            }
        }
        if more > 0 { notes.append("… and \(more) more field(s) with invalid UTF-8") }
        return notes
    }

    /// Where invalid UTF-8 (now U+FFFD) sits in `value`, described for the operator.
    static func places(in value: JSONValue, path: String) -> [String] {
        switch value {
        case .object(let object):
            return object.entries.flatMap { entry -> [String] in
                let inner = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                var found: [String] = []
                if entry.key.unicodeScalars.contains(replacement) {
                    found.append("invalid UTF-8 in the key \"\(entry.key)\" of \(path.isEmpty ? "the record" : path) "
                                 + "(replaced by U+FFFD): the field is not read under its name")
                }
                return found + places(in: entry.value, path: inner)
            }
        case .array(let items):
            return items.enumerated().flatMap { places(in: $1, path: "\(path)[\($0)]") }
        case .string(let text) where text.unicodeScalars.contains(replacement):
            return ["invalid UTF-8 in the value of \(path) (replaced by U+FFFD): it is not the value that was sent"]
        default:
            return []
        }
    }

    static let replacement: Unicode.Scalar = "\u{FFFD}"
}
