/// The condition keys of one request. Keys are matched case-insensitively.
///
/// A key is *present* (with values), *known absent* (the request certainly did not carry it, such
/// as `aws:MultiFactorAuthPresent` for access-key callers), or *unknown* (the evidence does not say).
/// Unknown keys make conditions that read them undecided. Set `isComplete` when the context lists
/// everything the request carried, so that every other key counts as absent.
///
/// ```swift
/// var context = RequestContext()
/// context["aws:SourceIp"] = ContextValue(.ip, "198.51.100.7")
/// context.markAbsent("aws:MultiFactorAuthPresent")
/// ```
public struct RequestContext: Sendable, Hashable, Codable {
    /// Keyed by lowercased key name.
    public private(set) var entries: [String: Entry]
    public private(set) var absentKeys: Set<String>
    public var isComplete: Bool

    public struct Entry: Sendable, Hashable, Codable {
        public var key: String
        public var value: ContextValue
    }

    /// What the context knows about one key.
    public enum Lookup: Sendable, Hashable {
        case present(ContextValue)
        case absent
        case unknown
    }

    public init(isComplete: Bool = false) {
        entries = [:]
        absentKeys = []
        self.isComplete = isComplete
    }

    public subscript(key: String) -> ContextValue? {
        get { entries[key.lowercased()]?.value }
        set {
            let lowered = key.lowercased()
            if let newValue {
                entries[lowered] = Entry(key: key, value: newValue)
                absentKeys.remove(lowered)
            } else {
                entries[lowered] = nil
            }
        }
    }

    public mutating func markAbsent(_ key: String) {
        let lowered = key.lowercased()
        entries[lowered] = nil
        absentKeys.insert(lowered)
    }

    public func lookup(_ key: String) -> Lookup {
        let lowered = key.lowercased()
        if let entry = entries[lowered] { return .present(entry.value) }
        if absentKeys.contains(lowered) || isComplete { return .absent }
        return .unknown
    }

    /// Whether the key was given or marked absent explicitly (not merely implied by `isComplete`).
    public func isStated(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return entries[lowered] != nil || absentKeys.contains(lowered)
    }

    /// Keys in the order a person would read them.
    public var sortedEntries: [Entry] { entries.values.sorted { $0.key.lowercased() < $1.key.lowercased() } }
}
