import Foundation

/// Recognises the error codes AWS uses for an authorization failure, so denied events can be
/// picked out of a trail.
///
/// ```swift
/// DeniedErrorCode.isDenied("Client.UnauthorizedOperation")  // true
/// DeniedErrorCode.isDenied("NoSuchBucket")                  // false
/// ```
public enum DeniedErrorCode {
    /// Codes seen in CloudTrail and SDK errors for a denied request. Matching ignores case.
    public static let knownCodes: [String] = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
        "UnauthorizedAccess", "UnauthorizedException", "AuthorizationError", "AuthorizationErrorException",
        "Forbidden", "ForbiddenException", "NotAuthorized", "NotAuthorizedException",
        "AllAccessDisabled", "VpceAccessDenied", "InsufficientPermissionsException",
    ]

    private static let lowercasedCodes = Set(knownCodes.map { $0.lowercased() })

    /// True for a known denial code, or any code containing `AccessDenied` or `Unauthorized`
    /// (`KMS.AccessDeniedException`, `Client.UnauthorizedAccess`, ...).
    public static func isDenied(_ code: String?) -> Bool {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return false }
        let lowered = code.lowercased()
        return lowercasedCodes.contains(lowered) || lowered.contains("accessdenied") || lowered.contains("unauthorized")
    }
}
