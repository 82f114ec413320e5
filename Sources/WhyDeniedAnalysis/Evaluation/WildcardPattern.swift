/// A text pattern with IAM's two wildcards: `*` (any run of characters, also none) and `?` (one
/// character). Characters that came from a policy variable or an escape such as `${*}` are
/// literal, so they are kept as `.literal` tokens.
///
/// ```swift
/// WildcardPattern(glob: "s3:Get*").matches("S3:GetObject", caseInsensitive: true)  // true
/// ```
public struct WildcardPattern: Sendable, Hashable {
    public enum Token: Sendable, Hashable {
        case literal(Character)
        case anySequence
        case anyCharacter
    }

    public var tokens: [Token]

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Reads `*` and `?` as wildcards and every other character literally.
    public init(glob text: String) {
        tokens = text.map { character in
            switch character {
            case "*": return .anySequence
            case "?": return .anyCharacter
            default: return .literal(character)
            }
        }
    }

    /// Every character literal (for values that must not act as wildcards).
    public init(literal text: String) {
        tokens = text.map { .literal($0) }
    }

    /// The pattern as it would be written, wildcards as `*` and `?`.
    public var text: String {
        String(tokens.map { token -> Character in
            switch token {
            case .literal(let character): return character
            case .anySequence: return "*"
            case .anyCharacter: return "?"
            }
        })
    }

    public var isMatchEverything: Bool { tokens == [.anySequence] }

    public func matches(_ candidate: String, caseInsensitive: Bool) -> Bool {
        let text = Array(caseInsensitive ? candidate.lowercased() : candidate)
        let pattern: [Token] = caseInsensitive ? tokens.map { token in
            if case .literal(let character) = token { return .literal(Character(character.lowercased())) }
            return token
        } : tokens
        // Greedy matching with one backtrack point for the last `*`: linear in practice, and no
        // regular expressions, so ARN characters such as `+ ( [` are always literal.
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < text.count {
            if patternIndex < pattern.count {
                switch pattern[patternIndex] {
                case .anySequence:
                    starPattern = patternIndex
                    starText = textIndex
                    patternIndex += 1
                    continue
                case .anyCharacter:
                    textIndex += 1
                    patternIndex += 1
                    continue
                case .literal(let character) where character == text[textIndex]:
                    textIndex += 1
                    patternIndex += 1
                    continue
                case .literal:
                    break
                }
            }
            guard starPattern >= 0 else { return false }
            starText += 1
            textIndex = starText
            patternIndex = starPattern + 1
        }
        while patternIndex < pattern.count, pattern[patternIndex] == .anySequence { patternIndex += 1 }
        return patternIndex == pattern.count
    }

    /// Splits at literal `:` characters, at most `maxSplits` times (ARN segments).
    func splitAtColons(maxSplits: Int) -> [WildcardPattern] {
        var parts: [WildcardPattern] = []
        var current: [Token] = []
        for token in tokens {
            if token == .literal(":"), parts.count < maxSplits {
                parts.append(WildcardPattern(tokens: current))
                current = []
            } else {
                current.append(token)
            }
        }
        parts.append(WildcardPattern(tokens: current))
        return parts
    }
}
