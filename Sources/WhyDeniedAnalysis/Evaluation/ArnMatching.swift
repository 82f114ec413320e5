/// Matches ARN patterns segment by segment, as the Resource element and the Arn condition
/// operators do: a wildcard stays within its colon-separated segment for the first five
/// segments (partition, service, region, account), and may span `/` and `:` in the resource part.
/// Case-sensitive throughout.
///
/// ```swift
/// ArnMatching.matches(WildcardPattern(glob: "arn:aws:s3:::reports/*"), "arn:aws:s3:::reports/2026/q3.csv") // true
/// ArnMatching.matches(WildcardPattern(glob: "arn:aws:s3:::Reports/*"), "arn:aws:s3:::reports/x")          // false
/// ```
public enum ArnMatching {
    public static func matches(_ pattern: WildcardPattern, _ arn: String) -> Bool {
        if pattern.isMatchEverything { return true }
        let arnParts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard arnParts.count == 6, arnParts[0] == "arn" else {
            // Not an ARN (the `*` of a wildcard-only action): only an identical pattern matches.
            return pattern.matches(arn, caseInsensitive: false)
        }
        let patternParts = pattern.splitAtColons(maxSplits: 5)
        if patternParts.count == 6 {
            return zip(patternParts, arnParts).allSatisfy { $0.matches($1, caseInsensitive: false) }
        }
        // A short pattern such as `arn:aws:s3:*` covers the remaining segments only when it ends in `*`.
        guard let last = patternParts.last, last.tokens.last == .anySequence else { return false }
        let leading = patternParts.count - 1
        guard zip(patternParts.prefix(leading), arnParts.prefix(leading)).allSatisfy({ $0.matches($1, caseInsensitive: false) })
        else { return false }
        return last.matches(arnParts[leading...].joined(separator: ":"), caseInsensitive: false)
    }
}

/// Matches Action patterns: case-insensitive, `*` and `?` wildcards. A pattern with whitespace or
/// without a `service:` prefix (other than `*`) matches nothing, as IAM treats it.
///
/// ```swift
/// ActionMatching.matches("s3:Get*", "S3:getobject")   // true
/// ActionMatching.matches("s3: GetObject", "s3:GetObject")   // false
/// ```
public enum ActionMatching {
    public static func matches(_ pattern: String, _ action: String) -> Bool {
        if pattern == "*" { return true }
        guard !pattern.contains(where: \.isWhitespace),
              let colon = pattern.firstIndex(of: ":"),
              colon != pattern.startIndex, pattern.index(after: colon) != pattern.endIndex
        else { return false }
        return WildcardPattern(glob: pattern).matches(action, caseInsensitive: true)
    }
}
