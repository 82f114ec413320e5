import WhyDeniedJSON

/// Reads the next-page token from one page and merges pages into one answer: list fields are
/// concatenated, the token field dropped, other fields kept from the first page.
///
/// ```swift
/// let first = try JSONValue.parse(#"{"Events":[{"EventId":"a"}],"NextToken":"t1"}"#)
/// PageMerger.nextToken(in: first, field: "NextToken")   // "t1"
/// ```
public enum PageMerger {
    public static func nextToken(in page: JSONValue, field: String) -> String? {
        guard let token = page[field]?.stringValue, !token.isEmpty else { return nil }
        return token
    }

    public static func merge(_ pages: [JSONValue], tokenField: String) -> JSONValue {
        guard var merged = pages.first?.objectValue else { return pages.first ?? .null }
        for page in pages.dropFirst() {
            guard let object = page.objectValue else { continue }
            for (key, value) in object.entries {
                if case .array(let more) = value, case .array(let existing)? = merged[key] {
                    merged[key] = .array(existing + more)
                } else if merged[key] == nil {
                    merged[key] = value
                }
            }
        }
        merged[tokenField] = nil
        return .object(merged)
    }

    /// The argv for the next page: the token argument replaced or appended.
    public static func argv(_ argv: [String], withToken token: String, argument: String) -> [String] {
        var result = argv
        if let index = result.firstIndex(of: argument), index + 1 < result.count {
            result[index + 1] = token
        } else {
            result += [argument, token]
        }
        return result
    }
}
