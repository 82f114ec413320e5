/// `Principal` or `NotPrincipal` of a statement: who the statement is about. Values keep their
/// type (`AWS`, `Service`, `Federated`, `CanonicalUser`) or are the bare wildcard `"*"`.
///
/// ```swift
/// // "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"]}
/// PrincipalElement.principal([.init(type: .aws, value: "arn:aws:iam::111122223333:root"),
///                             .init(type: .aws, value: "444455556666")])
/// ```
public enum PrincipalElement: Sendable, Hashable {
    case principal([PrincipalEntry])
    case notPrincipal([PrincipalEntry])

    public var name: String {
        switch self {
        case .principal: return "Principal"
        case .notPrincipal: return "NotPrincipal"
        }
    }
    public var entries: [PrincipalEntry] {
        switch self {
        case .principal(let entries), .notPrincipal(let entries): return entries
        }
    }
}

/// One principal named in a policy.
public struct PrincipalEntry: Sendable, Hashable, Codable, CustomStringConvertible {
    public var type: PrincipalType
    public var value: String
    public init(type: PrincipalType, value: String) {
        self.type = type
        self.value = value
    }
    public var description: String {
        type == .wildcard ? "*" : "\(type.rawValue): \(value)"
    }
}

/// The key a principal is listed under.
public enum PrincipalType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The bare `"Principal": "*"`.
    case wildcard = "*"
    case aws = "AWS"
    case service = "Service"
    case federated = "Federated"
    case canonicalUser = "CanonicalUser"
}
