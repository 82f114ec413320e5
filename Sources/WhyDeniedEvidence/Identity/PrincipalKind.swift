/// What sort of AWS principal made (or would make) a request.
///
/// ```swift
/// PrincipalIdentity(arn: "arn:aws:sts::123456789012:assumed-role/Admin/alice")?.kind  // .assumedRole
/// PrincipalIdentity(arn: "ec2.amazonaws.com")?.kind                                 // .service
/// ```
/// `unknown` covers ARNs that name something else (a group, a SAML provider) or text we cannot classify.
public enum PrincipalKind: String, Sendable, Codable, CaseIterable {
    case iamUser
    case role
    case assumedRole
    case federatedUser
    case root
    case service
    case anonymous
    case unknown
}
