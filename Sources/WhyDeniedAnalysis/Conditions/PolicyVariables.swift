import Foundation

/// Substitutes policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, and the
/// escapes `${*}`, `${?}`, `${$}`) into a Resource pattern or a condition value.
///
/// Text outside variables keeps `*` and `?` as wildcards; substituted values and escapes are
/// literal. A variable whose key is absent (and has no default) or is multi-valued cannot be
/// substituted, so the value matches nothing; a key the evidence does not carry makes the
/// outcome unknown.
///
/// ```swift
/// let resolver = PolicyVariableResolver(context: context, enabled: true)
/// resolver.resolve("arn:aws:s3:::home/${aws:username}/*")   // .resolved(pattern for ana)
/// ```
public struct PolicyVariableResolver: Sendable {
    public var context: RequestContext
    /// False for documents without Version 2012-10-17: `${…}` is then literal text.
    public var enabled: Bool

    public init(context: RequestContext, enabled: Bool) {
        self.context = context
        self.enabled = enabled
    }

    public enum Resolution: Sendable, Hashable {
        case resolved(WildcardPattern)
        /// The variable has no usable value: this pattern or value matches nothing.
        case failed(variable: String, reason: String)
        /// Depends on keys the request does not say anything about.
        case unknown(Set<String>)
    }

    public func resolve(_ text: String) -> Resolution {
        guard enabled, text.contains("${") else { return .resolved(WildcardPattern(glob: text)) }
        var tokens: [WildcardPattern.Token] = []
        var unknownKeys: Set<String> = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            tokens += WildcardPattern(glob: String(rest[rest.startIndex..<start.lowerBound])).tokens
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                // No closing brace: not a variable, keep the text as written.
                tokens += WildcardPattern(glob: String(rest[start.lowerBound...])).tokens
                rest = rest[rest.endIndex...]
                break
            }
            let body = String(afterOpen[afterOpen.startIndex..<close])
            rest = afterOpen[afterOpen.index(after: close)...]
            switch body {
            case "*", "?", "$":
                tokens += WildcardPattern(literal: body).tokens
                continue
            default:
                break
            }
            let (key, defaultValue) = Self.splitDefault(body)
            switch context.lookup(key) {
            case .present(let value):
                if value.isMultiValued || value.values.count != 1 {
                    return .failed(variable: "${\(body)}", reason: "\(key) is multi-valued")
                }
                tokens += WildcardPattern(literal: value.values[0]).tokens
            case .absent:
                guard let defaultValue else {
                    return .failed(variable: "${\(body)}", reason: "\(key) is not in the request")
                }
                tokens += WildcardPattern(literal: defaultValue).tokens
            case .unknown:
                unknownKeys.insert(key)
            }
        }
        tokens += WildcardPattern(glob: String(rest)).tokens
        if !unknownKeys.isEmpty { return .unknown(unknownKeys) }
        return .resolved(WildcardPattern(tokens: tokens))
    }

    /// `aws:PrincipalTag/team, 'none'` → ("aws:PrincipalTag/team", "none"); `''` inside quotes is `'`.
    static func splitDefault(_ body: String) -> (key: String, defaultValue: String?) {
        guard let comma = body.firstIndex(of: ",") else {
            return (body.trimmingCharacters(in: .whitespaces), nil)
        }
        let key = body[body.startIndex..<comma].trimmingCharacters(in: .whitespaces)
        let rawDefault = body[body.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        guard rawDefault.count >= 2, rawDefault.hasPrefix("'"), rawDefault.hasSuffix("'") else {
            return (key, nil)
        }
        let inner = rawDefault.dropFirst().dropLast()
        return (key, inner.replacingOccurrences(of: "''", with: "'"))
    }
}
