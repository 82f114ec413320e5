/// A three-valued answer: yes, no, or "cannot tell without these context keys".
///
/// The evaluator works in this logic so that a key the evidence does not carry turns into an
/// *Undecided* verdict naming the key, never into a silent allow or deny.
///
/// ```swift
/// let ip: Truth = .unknown(["aws:SourceIp"])
/// Truth.all([.yes, ip])   // .unknown(["aws:SourceIp"])
/// Truth.any([.yes, ip])   // .yes
/// ```
public enum Truth: Sendable, Hashable {
    case yes
    case no
    /// Depends on the named context keys (as written in the policy).
    case unknown(Set<String>)

    public init(_ flag: Bool) { self = flag ? .yes : .no }

    public var isYes: Bool { self == .yes }
    public var isNo: Bool { self == .no }

    public var missingKeys: Set<String> {
        if case .unknown(let keys) = self { return keys }
        return []
    }

    public var negated: Truth {
        switch self {
        case .yes: return .no
        case .no: return .yes
        case .unknown: return self
        }
    }

    /// Logical AND: any `no` decides; otherwise unknown if any operand is unknown.
    public static func all(_ values: [Truth]) -> Truth {
        var missing: Set<String> = []
        var sawUnknown = false
        for value in values {
            switch value {
            case .no: return .no
            case .yes: continue
            case .unknown(let keys):
                sawUnknown = true
                missing.formUnion(keys)
            }
        }
        return sawUnknown ? .unknown(missing) : .yes
    }

    /// Logical OR: any `yes` decides; otherwise unknown if any operand is unknown.
    public static func any(_ values: [Truth]) -> Truth {
        var missing: Set<String> = []
        var sawUnknown = false
        for value in values {
            switch value {
            case .yes: return .yes
            case .no: continue
            case .unknown(let keys):
                sawUnknown = true
                missing.formUnion(keys)
            }
        }
        return sawUnknown ? .unknown(missing) : .no
    }

    public static func && (lhs: Truth, rhs: Truth) -> Truth { all([lhs, rhs]) }
    public static func || (lhs: Truth, rhs: Truth) -> Truth { any([lhs, rhs]) }

    /// The Codable form used in traces.
    public var outcome: MatchOutcome {
        switch self {
        case .yes: return .matched
        case .no: return .notMatched
        case .unknown: return .unknown
        }
    }
}

/// How one element, condition or statement came out, as written into traces and `--json`.
public enum MatchOutcome: String, Sendable, Hashable, Codable {
    case matched
    case notMatched
    /// Depends on a context key the request does not carry.
    case unknown
}
